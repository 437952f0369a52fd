"""US_SSN: AAA-GG-SSSS (or with spaces/dots next to an SSN cue), never in the ranges the SSA
does not issue (area 000, 666, 900-999; group 00; serial 0000)."""
from __future__ import annotations

import regex

from transforms.pii.recognizers.base import Recognizer, near, words_regex

__all__ = ["SsnRecognizer"]

_DASHED = regex.compile(r"(?<![A-Za-z0-9_-])(\d{3})-(\d{2})-(\d{4})(?![A-Za-z0-9_-]|\.\d)")
_OTHER = regex.compile(r"(?<![A-Za-z0-9_.-])(\d{3})[ .]?(\d{2})[ .]?(\d{4})(?![A-Za-z0-9_-]|\.\d)")
_CUE = words_regex([r"ssn", r"social\s+security", r"social\s+sec\.?", r"ss#", r"sozialversicherungs\w*"],
                   suffix="")


def _issuable(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


class SsnRecognizer(Recognizer):
    entity, name = "US_SSN", "ssn"

    def find(self, view):
        text, out, seen = view.text, [], set()
        for m in _DASHED.finditer(text):
            if _issuable(*m.groups()):
                out.append(self.finding(m.start(), m.end(), 0.7, "dashed"))
                seen.add(m.start())
        if _CUE.search(text):
            for m in _OTHER.finditer(text):
                if m.start() not in seen and _issuable(*m.groups()) and near(text, m.start(), m.end(), _CUE, 60, 10):
                    out.append(self.finding(m.start(), m.end(), 0.8, "cue"))
        return out

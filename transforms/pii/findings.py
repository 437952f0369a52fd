"""What a recognizer reports, and the view of one text that recognizers share."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.code_spans import FENCED_CODE, inline_code

__all__ = ["Finding", "TextView", "ENTITIES", "mask_code"]

# Every entity type the stage can redact, in the order placeholders are declared.
ENTITIES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS",
            "US_SSN", "STREET_ADDRESS", "SECRET")
_INLINE = inline_code(500)
_TOKEN = re.compile(r"[^\W_]+")
_WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]")


def _capitalize(match) -> str:
    up = match.group().upper()
    return up if len(up) == 1 else match.group()


@dataclass(frozen=True)
class Finding:
    entity_type: str
    start: int
    end: int
    score: float
    source: str = ""  # the recognizer (or rule) that found it


def _code_spans(text: str) -> list:
    if "`" not in text:
        return []
    spans = [m.span() for m in FENCED_CODE.finditer(text)]
    blanked = _blank(text, spans)
    return sorted(spans + [m.span() for m in _INLINE.finditer(blanked)])


def _blank(text: str, spans) -> str:
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def mask_code(text: str) -> str:
    """Fenced and inline code replaced by spaces, offsets unchanged (NER must not see code)."""
    return _blank(text, _code_spans(text))


@dataclass
class TextView:
    """One message as the recognizers see it: the text, its language, the NER entities (label,
    start, end) when NER ran, and derived views computed once on first use."""

    text: str
    lang: str = ""
    ner: list = field(default_factory=list)
    ner_ran: bool = False
    _code: list | None = None
    _masked: str | None = None
    _tokens: list | None = None
    _lower: str | None = None
    _cased: str | None = None

    @property
    def code_spans(self) -> list:
        if self._code is None:
            self._code = _code_spans(self.text)
        return self._code

    @property
    def masked(self) -> str:
        """The text with code blanked out (same offsets)."""
        if self._masked is None:
            self._masked = _blank(self.text, self.code_spans)
        return self._masked

    @property
    def tokens(self) -> list:
        """(start, end, case-folded word) of the words (letters and digits) outside code."""
        if self._tokens is None:
            self._tokens = [(m.start(), m.end(), m.group().casefold()) for m in _TOKEN.finditer(self.masked)]
        return self._tokens

    @property
    def cased(self) -> str:
        """`masked`, with every word capitalized when the text has no capital letter at all
        (people who type everything in lower case: "name: ingrid solberg"); same offsets."""
        if self._cased is None:
            text = self.masked
            self._cased = text
            if not any(ch.isupper() for ch in text) and any(ch.isalpha() for ch in text):
                self._cased = _WORD_START.sub(_capitalize, text)
        return self._cased

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def in_code(self, start: int, end: int | None = None) -> bool:
        end = start + 1 if end is None else end
        return any(s < end and start < e for s, e in self.code_spans)

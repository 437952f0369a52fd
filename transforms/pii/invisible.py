"""Invisible characters (zero-width, bidi controls, BOM, soft hyphen) are not part of any value
a reader sees: `jo\u200bhn@mail.net` is read as `john@mail.net`, and `\u202e4111 1111 ...`
shows a card number. Recognizers see the text without them (`visible`), and what they find
is mapped back to the original text (`to_original`), so the placeholder covers the value with
the invisible characters inside it, and the rest of the message stays as sent.
"""
from __future__ import annotations

import bisect
import re

__all__ = ["INVISIBLE", "visible", "to_original"]

INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def visible(text: str) -> str:
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


def to_original(text: str, spans: list) -> list:
    """[(start, end)] in `visible(text)` -> the same characters' [(start, end)] in `text`
    (invisible characters inside a span are covered; those around it stay outside)."""
    if not spans or not INVISIBLE.search(text):
        return list(spans)
    # The visible index each invisible character sits before: its position minus the
    # invisible characters before it.
    before = [m.start() - j for j, m in enumerate(INVISIBLE.finditer(text))]

    def at(v: int) -> int:  # original index of visible character v
        return v + bisect.bisect_right(before, v)

    return [(at(s), at(e - 1) + 1) if e > s else (at(s), at(s)) for s, e in spans]

"""The recognizer contract: one class per kind of PII, one hook.

A recognizer reports `Finding`s in a `TextView`; it never decides what is finally redacted
(the keep policy and the overlap resolution do). Context words ("call", "card", "Name:") are
looked up in a small window around a candidate with `near`.
"""
from __future__ import annotations

import regex

from transforms.pii.findings import Finding, TextView

__all__ = ["Recognizer", "near", "words_regex"]


class Recognizer:
    """Subclasses set `entity` and `name` and implement `find`."""

    entity: str = ""
    name: str = ""

    def find(self, view: TextView) -> list[Finding]:
        raise NotImplementedError

    def finding(self, start: int, end: int, score: float, rule: str = "") -> Finding:
        return Finding(self.entity, start, end, score, f"{self.name}:{rule}" if rule else self.name)


def words_regex(words, prefix: str = r"(?<!\w)", suffix: str = r"(?!\w)") -> regex.Pattern:
    """Case-insensitive alternation of `words` (longest first), as whole words."""
    alternation = "|".join(sorted(words, key=len, reverse=True))
    return regex.compile(f"{prefix}(?:{alternation}){suffix}", regex.I)


def near(text: str, start: int, end: int, pattern: regex.Pattern, before: int = 40, after: int = 20) -> bool:
    """Whether `pattern` occurs within `before` chars before or `after` chars after [start, end)."""
    return bool(pattern.search(text, max(0, start - before), start)
                or pattern.search(text, end, min(len(text), end + after)))

"""The recognizer contract: one class per kind of PII, one hook.

A recognizer reports `Finding`s in a `TextView`; it never decides what is finally redacted
(the keep policy and the overlap resolution do). Context words ("call", "card", "Name:") are
looked up in a small window around a candidate with `near`.
"""
from __future__ import annotations

import regex

from transforms.pii.findings import Finding, TextView
from transforms.pii.gazetteer import stop_words

__all__ = ["Recognizer", "EnglishNameRecognizer", "near", "words_regex"]


class Recognizer:
    """Subclasses set `entity` and `name` and implement `find`."""

    entity: str = ""
    name: str = ""

    def find(self, view: TextView) -> list[Finding]:
        raise NotImplementedError

    @staticmethod
    def unique(findings: list) -> list:
        """One finding per span (the first), several rules may find the same value."""
        seen, out = set(), []
        for f in findings:
            if (f.start, f.end) not in seen:
                seen.add((f.start, f.end))
                out.append(f)
        return out

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


_CUE_TOKEN = regex.compile(r"[^\W_]+")


class CuePhrases:
    """Find cue phrases of several kinds ("intro": "my name is", "je m'appelle"; "form": "c/o")
    through the view's word tokens: one dictionary lookup per word, instead of a
    case-insensitive alternation tried at every character. Punctuation between a phrase's
    words is ignored ("m'appelle" = "m appelle")."""

    def __init__(self, kinds: dict):
        by_first: dict = {}
        for kind, phrases in kinds.items():
            for phrase in phrases:
                words = tuple(w.casefold() for w in _CUE_TOKEN.findall(phrase))
                by_first.setdefault(words[0], set()).add((words, kind))
        self._by_first = {k: sorted(v, key=lambda wk: (-len(wk[0]), wk)) for k, v in by_first.items()}

    def finditer(self, tokens: list):
        """(kind, start, end) of the longest phrase of each kind starting at each word."""
        by_first, n_tokens = self._by_first, len(tokens)
        for i, (start, _, word) in enumerate(tokens):
            candidates = by_first.get(word)
            if candidates is None:
                continue
            done = set()
            for phrase, kind in candidates:
                n = len(phrase)
                if kind not in done and (n == 1 or (i + n <= n_tokens and all(
                        tokens[i + k][2] == phrase[k] for k in range(1, n)))):
                    done.add(kind)
                    yield kind, start, tokens[i + n - 1][1]


class EnglishNameRecognizer(Recognizer):
    """A recognizer of names that reads the name gazetteer and the English stop words; both
    are ready when it is built (once per worker), not inside the first text."""

    def __init__(self, gazetteer):
        self.gaz = gazetteer
        stop_words(("en",))

"""The mixed-message rule: a message's language is the language of what the person wrote, not
of a text they quote or paste for the model to work on.

On a cleaned message (code, URLs and e-mail addresses already gone), in order:
  1. quoted lines ("> ...", as e-mail and Markdown quote) are dropped;
  2. text between paired quotation marks (“…”, «…», „…“, "…", 「…」, 『…』) is dropped;
  3. a lead-in that ends with a colon and is followed by a payload ("Translate this into
     Spanish: I love my dog", "总结这篇文章：\n<article>") keeps only the lead-in.
Each step applies only when what remains still has `min_letters` letters (CJK letters count
`cjk_weight` each, one CJK character carrying about a word): a message is never made too
short to detect by this rule, and a plain short lead-in ("Note: ...") keeps the whole text.
"""
from __future__ import annotations

import re

__all__ = ["own_text", "weighted_letters"]

_BLANKS = re.compile(r"[ \t]{2,}")
_QUOTE_LINE = re.compile(r"^[ \t]*>.*(?:\n|$)", re.M)
_QUOTED = re.compile(r"“[^”\n]*”|«[^»\n]*»|„[^“”\n]*[“”]|\"[^\"\n]*\"|「[^」]*」|『[^』]*』")
# A lead-in: at most 300 characters, no sentence end inside, then a colon and a payload that
# starts on the same line or on the next ones.
_LEAD_IN = re.compile(r"^([^\n:：.!?。！？]{1,300})[:：][ \t]*(?:\n+|(?=\S))(?=\S)", re.S)


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF


def weighted_letters(text: str, cjk_weight: int = 3) -> int:
    """Letters, a CJK character (Han, kana, Hangul syllable) counting `cjk_weight`."""
    return sum((cjk_weight if _is_cjk(ch) else 1) for ch in text if ch.isalpha())


def own_text(text: str, min_letters: int) -> str:
    """The part of a cleaned message the person wrote (see the module docstring)."""
    for step in (_drop_quote_lines, _drop_quoted, _keep_lead_in):
        reduced = step(text)
        if reduced != text and weighted_letters(reduced) >= min_letters:
            text = reduced
    return text


def _drop_quote_lines(text: str) -> str:
    return _QUOTE_LINE.sub("", text).strip()


def _drop_quoted(text: str) -> str:
    return _BLANKS.sub(" ", _QUOTED.sub(" ", text)).strip()


def _keep_lead_in(text: str) -> str:
    m = _LEAD_IN.match(text)
    if not m or len(text) - m.end() < 2:
        return text
    return m.group(1).strip()

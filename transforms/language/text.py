"""What a detector sees of a message: the text without code, URLs, e-mail addresses, digit
runs and blobs (base64, hex, keys: 48+ such characters without a space, longer than any
word), cut to a prefix of at most N letters; and the script rule (a script that belongs to one
language decides without a detector). A character's letter-ness and script are looked up
once per process (`functools.lru_cache`, pure functions of the character)."""
from __future__ import annotations

import functools
import re
import unicodedata

from transforms.code_spans import FENCED_CODE, inline_code

__all__ = ["clean_for_detection", "letter_count", "prefix_letters", "script_counts", "script_language"]

_INLINE = inline_code(200)
_URL = re.compile(r"\b(?:https?://|ftp://|www\.)\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_DIGITS = re.compile(r"\d[\d \t.,:/-]{2,}\d")
_BLOB = re.compile(r"[A-Za-z0-9+/_-]{48,}=*")
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\s*\n\s*")

# Unicode script (the character name's first word) -> the one language it names.
_SCRIPT_LANG = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "THAI": "th", "HEBREW": "he",
                "GREEK": "el", "ARMENIAN": "hy", "GEORGIAN": "ka", "GUJARATI": "gu",
                "KANNADA": "kn", "MALAYALAM": "ml", "TAMIL": "ta", "TELUGU": "te",
                "GURMUKHI": "pa", "BENGALI": "bn"}


def clean_for_detection(text: str) -> str:
    """Text without code, URLs, e-mail addresses, long digit runs and blobs; blanks collapsed,
    line breaks kept (the mixed-message rule reads the lines)."""
    for pattern in (FENCED_CODE, _INLINE, _URL, _EMAIL, _BLOB, _DIGITS):
        text = pattern.sub(" ", text)
    return _LINES.sub("\n", _BLANKS.sub(" ", text)).strip()


def letter_count(text: str) -> int:
    """Letters, combining vowel signs included (Devanagari, Bengali, Tamil, ... write most
    vowels as marks: without them "पहिल्या भेटीसाठी टिप्स" would count 11 letters, not 19)."""
    return sum(map(_is_letter, text))


@functools.lru_cache(maxsize=None)
def _is_letter(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch) in ("Mn", "Mc")


def prefix_letters(text: str, max_letters: int) -> str:
    """The shortest prefix of `text` holding `max_letters` letters (all of it if fewer)."""
    if len(text) <= max_letters:
        return text
    seen = 0
    for i, ch in enumerate(text):
        if ch.isalpha():
            seen += 1
            if seen >= max_letters:
                return text[: i + 1]
    return text


@functools.lru_cache(maxsize=None)
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return "HAN" if name.startswith("CJK") else name.split(" ", 1)[0]


def script_counts(text: str) -> dict:
    """Letters per Unicode script ("LATIN", "CYRILLIC", "HAN", ...)."""
    counts: dict = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    return counts


# A Han, kana or Hangul character carries more than a Latin letter: it weighs this many
# when scripts are compared ("ChatGPT和Claude哪个写代码更好" is Chinese).
CJK_WEIGHT = 2
_CJK_SCRIPTS = ("HAN", "HIRAGANA", "KATAKANA", "HANGUL")


def script_language(text: str) -> str | None:
    """The language named by the script that holds most of the text's (weighted) letters,
    when that script belongs to one language (Han with kana is Japanese; Han alone is
    Chinese); a CJK character weighs CJK_WEIGHT letters."""
    counts = script_counts(text)
    for script in _CJK_SCRIPTS:
        if script in counts:
            counts[script] *= CJK_WEIGHT
    total = sum(counts.values())
    if not total:
        return None
    kana = counts.get("HIRAGANA", 0) + counts.get("KATAKANA", 0)
    han = counts.get("HAN", 0)
    if counts.get("HANGUL", 0) * 2 >= total:
        return "ko"
    if kana and (kana + han) * 2 >= total:
        return "ja"
    if han * 2 >= total:
        return "zh"
    script, n = max(counts.items(), key=lambda kv: kv[1])
    return _SCRIPT_LANG.get(script) if n * 2 >= total else None

"""Letter evidence: letters a language never writes rule it out.

The Cyrillic alphabets differ by whole letters, so one letter is proof: "ы", "э", "ё" or "ъ"
is not Ukrainian, Macedonian or Serbian; "и", "щ" or "ъ" is not Belarusian; "і", "ї", "є" or
"ґ" is not Russian or Bulgarian; "ј", "љ", "њ" is Serbian or Macedonian, never Russian. Both
detectors score letter n-grams, so on a short message they can prefer a neighbour whose
alphabet cannot even spell it ("что это за дыра" as Belarusian); `ruled_out` names the
languages the message's own letters exclude, and `allowed` drops them from a ranking.

Latin-script alphabets overlap too much for proof (a name such as "Zürich" or "São Paulo"
appears in any language), so the Latin rule is weaker and only protects an answer: English
and Latin are written without diacritics, so lingua's "English" or "Latin" does not replace
a sure langdetect answer when the message has letters such as "è", "ñ", "ç", "ã" (message.py).
"""
from __future__ import annotations

import unicodedata

__all__ = ["ruled_out", "allowed", "has_diacritic_latin", "ASCII_ALPHABET"]

_BASE = frozenset("абвгдежзийклмнопрстуфхцчшщъыьэюя")
_ALPHABETS = {
    "ru": _BASE | {"ё"},
    "uk": (_BASE - set("ёъыэ")) | set("іїєґ"),
    "be": (_BASE - set("ищъ")) | set("ёіў"),
    "bg": _BASE - set("ёыэ"),
    "mk": frozenset("абвгдѓежзѕијклљмнњопрстќуфхцчџш"),
    "sr": frozenset("абвгдђежзијклљмнњопрстћуфхцчџш"),
    "kk": _BASE | set("ёәғқңөұүһі"),
    "mn": _BASE | set("ёөү"),
}
_CYRILLIC_LETTERS = frozenset().union(*_ALPHABETS.values())

# Languages written in plain ASCII letters (as chat is typed: English, and Latin without macrons).
ASCII_ALPHABET = frozenset({"en", "la"})


def ruled_out(text: str) -> frozenset:
    """Cyrillic-script languages whose alphabet lacks a letter of `text`. Letters no listed
    alphabet has (a typo, another script) prove nothing."""
    letters = {ch for ch in text.lower() if ch in _CYRILLIC_LETTERS}
    if not letters:
        return frozenset()
    return frozenset(code for code, alphabet in _ALPHABETS.items() if not letters <= alphabet)


def allowed(ranked: list, excluded: frozenset) -> list:
    """A ranked [(code, score)] without the excluded languages, the rest renormalized (the
    ranking a detector restricted to the allowed languages gives); unchanged when nothing
    is excluded, empty when everything is."""
    if not excluded or not ranked:
        return ranked
    kept = [(c, s) for c, s in ranked if c not in excluded]
    total = sum(s for _, s in kept)
    if len(kept) == len(ranked) or not total:
        return kept
    return [(c, round(s / total, 6)) for c, s in kept]


def has_diacritic_latin(text: str) -> bool:
    """True when `text` has a Latin letter outside ASCII ("è", "ñ", "ß", "ş")."""
    return any(ord(ch) > 127 and ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")
               for ch in text)

"""Letter evidence: letters a language never writes rule it out.

The Cyrillic alphabets differ by whole letters, so one letter is proof: "ы", "э", "ё" or "ъ"
is not Ukrainian, Macedonian or Serbian; "и", "щ" or "ъ" is not Belarusian; "і", "ї", "є" or
"ґ" is not Russian or Bulgarian; "ј", "љ", "њ" is Serbian or Macedonian, never Russian. Both
detectors score letter n-grams, so on a short message they can prefer a neighbour whose
alphabet cannot even spell it (Belarusian for a Russian "напиши ...", though Belarusian has
no "и"); `ruled_out` names the languages the message's own letters exclude, and `allowed`
drops them from a ranking.

Latin-script letters are no such proof: "résumé", "café" or "Zürich" turn up in English
messages, so no Latin-script language is ruled out by a letter.
"""
from __future__ import annotations

__all__ = ["ruled_out", "allowed"]

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


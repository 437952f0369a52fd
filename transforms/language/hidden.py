"""When a sure langdetect still needs lingua (`language.lingua_when: unsure`).

When langdetect is sure of X, lingua chooses among X's neighbours (neighbours.py) for two
reasons: on a short text langdetect mixes up languages it can name (a short English
request as French or Danish), and at any length it gives the languages it cannot name to a
neighbour (Azerbaijani as Turkish, Irish as English). So lingua can be left out only when
neither can happen:

- the sample has at least `sure_letters` letters (default 100; on the tune split this rule
  would lose no override of lingua's down to 40 letters, and loses some below), and
- X is in `MARKS`: every language its neighbours hide (one langdetect cannot name) writes a
  letter that X never does in nearly every sentence, and the sample has none of them. At the
  tune split's rates (5-15% of letters: Cyrillic Serbian 5%, Irish 7%, Azerbaijani 13%), a
  100-letter text of such a language misses all its marks less than 1% of the time.

Every other answer always gets lingua: its neighbours hide a language with no letter of its
own (Latin, Basque, Bokmål and Nynorsk, Bosnian, Malay, the Bantu languages, ...). Latin is
not counted behind English: langdetect gives it to a Romance, Baltic or Finnic guess
(neighbours.py), and none of the tune split's Latin texts came out as a sure English.
"""
from __future__ import annotations

__all__ = ["MARKS", "LINGUA_WHEN", "needs_lingua"]

LINGUA_WHEN = ("always", "unsure")

_IRISH = "áéíóú"  # the fada: in nearly every Irish sentence, never in plain English or Welsh
_CYRILLIC_HIDDEN = {
    "be": "іў",         # Belarusian: neither is Russian or Bulgarian
    "kk": "әғқңөұүһі",  # Kazakh
    "mn": "өү",         # Mongolian
    "sr": "ђјљњћџ",     # Serbian: Russian and Bulgarian write none
}

# X: {language X's neighbours hide: letters it writes that X never does}. An answer maps to
# {} when langdetect names every one of its neighbours.
MARKS: dict = {
    "en": {"ga": _IRISH},
    "cy": {"ga": _IRISH},
    "tr": {"az": "əqx"},  # Turkish writes no ə, q or x
    "ru": _CYRILLIC_HIDDEN,
    "bg": _CYRILLIC_HIDDEN,
    "sq": {"mi": "āēīōū"},  # Maori's macrons
    "ar": {}, "fa": {}, "ur": {}, "hi": {}, "mr": {},
}


def needs_lingua(answer: str, sample: str, letters: int, sure_letters: int) -> bool:
    """Whether lingua must check a sure langdetect's `answer` on `sample` (of `letters`
    letters): yes on fewer than `sure_letters` letters, for an answer not in MARKS, or when
    the sample has a letter of a language the answer hides."""
    if letters < sure_letters or answer not in MARKS:
        return True
    lowered = sample.lower()
    return any(ch in lowered for marks in MARKS[answer].values() for ch in marks)

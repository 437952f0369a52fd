"""The language of one message (strategy `langdetect_lingua_v1`).

  1. Clean (transforms/language/text.py) and keep what the person wrote (own_text.py).
  2. script: a script that belongs to one language decides (Hangul, kana, Han, Thai, ...).
  3. Fewer than `min_letters` letters: "short" (the conversation decides).
  4. langdetect on a prefix of at most `max_letters` letters. When it is sure (every trial
     agreed) on a language that no lingua-only language is mistaken for, it decides: rule
     "langdetect".
  5. Otherwise lingua gives a second opinion on the same prefix (`combine`): rule "lingua"
     when lingua's answer is taken, "langdetect" when langdetect's stands.
Each distinct sample is decided once per worker (LRU cache).
"""
from __future__ import annotations

from collections import OrderedDict

from transforms.language.detectors import Langdetect, Lingua
from transforms.language.own_text import own_text
from transforms.language.text import clean_for_detection, letter_count, prefix_letters, script_language

__all__ = ["Engines", "LanguageDetector", "combine", "LANGDETECT_SURE", "ASK_LINGUA"]

# langdetect's score when (nearly) every trial agreed.
LANGDETECT_SURE = 0.9
# What langdetect answers for text in a language it cannot name (Serbian -> hr, Bosnian -> hr,
# Esperanto -> lt/sl/..., Malay -> id, Azerbaijani -> tr, Belarusian -> ru/uk, Kazakh and
# Mongolian -> ru/bg/mk, Nynorsk/Bokmål -> no/da, Latin -> it/es/pt/ca/ro, Basque, Irish,
# Icelandic and the Bantu languages -> a scatter): lingua checks these answers even when
# langdetect is sure.
ASK_LINGUA = frozenset({
    "hr", "sl", "sk", "cs", "pl", "lt", "lv", "et", "id", "tl", "tr", "ru", "uk", "bg", "mk",
    "no", "da", "sv", "it", "es", "pt", "ca", "ro", "fr", "sw", "so", "af", "nl", "fi", "hu",
    "cy", "sq", "vi",
})
# lingua's confidence from which its answer overrides a sure langdetect.
LINGUA_OVERRIDE = 0.5


def combine(ld: list, li: list | None, lingua_codes: frozenset) -> tuple[str | None, str]:
    """(code, rule) from langdetect's and lingua's ranked [(code, score)]; `li` None when
    lingua was not asked."""
    ld_code, ld_score = ld[0] if ld else (None, 0.0)
    if not li:
        return ld_code, "langdetect"
    li_code, li_score = li[0]
    if ld_code is None:
        return li_code, "lingua"
    if ld_code == "no" and li_code in ("nb", "nn"):
        return li_code, "lingua"
    if ld_code not in lingua_codes:  # Nepali, Kannada, ...: lingua cannot say it
        return ld_code, "langdetect"
    if li_code == ld_code:
        return ld_code, "langdetect"
    if ld_score < LANGDETECT_SURE or li_score >= LINGUA_OVERRIDE:
        return li_code, "lingua"
    return ld_code, "langdetect"


class Engines:
    """The two detectors of one worker process (read-only once built, safe to share)."""

    def __init__(self, seed: int = 0, lingua_mode: str = "high", trials: int = 3):
        self.langdetect = Langdetect(seed, trials)
        self.lingua = Lingua(lingua_mode)


class LanguageDetector:
    """One message at a time, with a cache of decided samples. Build it in `setup()`: its
    `Engines` load langdetect's profiles and lingua's models (lazily) from their packages,
    offline; pass `engines` to share them."""

    def __init__(self, seed: int = 0, min_letters: int = 20, max_letters: int = 300,
                 lingua_mode: str = "high", cache_size: int = 100_000, engines: Engines | None = None):
        self._engines = engines or Engines(seed, lingua_mode)
        self.min_letters, self.max_letters = min_letters, max_letters
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self.cache_hits = 0

    def detect(self, text: str) -> tuple[str | None, str, int]:
        """(ISO 639-1 code or None, rule, letters) for one message; rule is one of script,
        langdetect, lingua, short."""
        own = own_text(clean_for_detection(text), self.min_letters)
        letters = letter_count(own)
        sample = prefix_letters(own, self.max_letters)
        code = script_language(sample) if letters >= 2 else None
        if code:
            return code, "script", letters
        if letters < self.min_letters:
            return None, "short", letters
        if sample in self._cache:
            self._cache.move_to_end(sample)
            self.cache_hits += 1
            code, rule = self._cache[sample]
        else:
            code, rule = self._decide(sample)
            self._cache[sample] = (code, rule)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return (code, rule, letters) if code else (None, "short", letters)

    def _decide(self, sample: str) -> tuple[str | None, str]:
        ld = self._engines.langdetect.scores(sample)
        lingua = self._engines.lingua
        li = None
        if not ld or ld[0][1] < LANGDETECT_SURE or ld[0][0] in ASK_LINGUA:
            li = lingua.scores(sample)
        return combine(ld, li, lingua.codes)

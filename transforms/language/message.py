"""The language of one message (strategy `langdetect_lingua_v3`).

  1. Clean (text.py) and keep what the person wrote (own_text.py).
  2. script: a script that belongs to one language decides (Hangul, kana, Han, Thai, ...).
  3. A message with fewer than `min_letters` letters: "short" (the conversation decides).
     A longer message whose own text has fewer (a short question around a pasted text):
     lingua decides on the own text, unless lingua is unsure (below LINGUA_FEW_SURE) and
     langdetect, which could have named lingua's answer, prefers another one: so few letters
     then settle nothing and the message is "short" too (the conversation decides).
  4. langdetect on a prefix of at most `max_letters` letters of the own text.
  5. lingua gives a second opinion (`combine`):
     - langdetect sure of X (score >= LANGDETECT_SURE, i.e. its trials agreed): lingua chooses
       among X's neighbours only (neighbours.py). Its answer Y replaces X when Y holds at least
       LINGUA_OVERRIDE of the group's confidence and X at most LINGUA_DOUBT: lingua must both
       favour another language and doubt langdetect's. Latin, which lingua reads into English
       technical words amid Romance text ("permission denied", "script"), needs at least
       LATIN_OVERRIDE.
     - langdetect unsure or silent: lingua over all its languages decides.
     With `lingua_when="unsure"` (the default) a sure langdetect is not checked when the
     sample is long and its answer hides no language the sample's letters allow (hidden.py).
     Both rankings first lose the languages the message's letters rule out (letters.py: a
     "ы" is not Ukrainian, an "и" not Belarusian).
     Rule "lingua" when lingua's answer is taken, "langdetect" when langdetect's stands.
Only the first `MAX_CHARS` characters of a message are read (a budget in characters, as PII's
NER budget): the sample is a 300-letter prefix anyway, and a 5 MB paste would otherwise cost
seconds of cleaning; its letters (the conversation rule's weight) are counted in that window.
Each distinct sample is decided once per worker (LRU cache).
Thresholds were chosen on the `tune` split of bench/lang_eval/ (README "Language").
"""
from __future__ import annotations

from collections import Counter, OrderedDict

from transforms.language.detectors import Langdetect, Lingua
from transforms.language.hidden import LINGUA_WHEN, needs_lingua
from transforms.language.letters import allowed, ruled_out
from transforms.language.neighbours import NEIGHBOURS
from transforms.language.own_text import own_text
from transforms.language.text import clean_for_detection, letter_count, prefix_letters, script_language

__all__ = ["Engines", "LanguageDetector", "combine", "LANGDETECT_SURE", "LINGUA_OVERRIDE", "LINGUA_DOUBT",
           "LATIN_OVERRIDE", "LINGUA_SURE_LETTERS", "MAX_CHARS"]

# langdetect's score when (nearly) every trial agreed.
LANGDETECT_SURE = 0.9
# lingua's answer replaces a sure langdetect's X when it holds at least LINGUA_OVERRIDE of the
# neighbours' confidence and X at most LINGUA_DOUBT.
LINGUA_OVERRIDE = 0.3
LINGUA_DOUBT = 0.3
# lingua's "Latin" replaces a sure langdetect only with this much of the group's confidence:
# a Portuguese or Romanian sentence around English words ("permission denied", "script")
# reads to lingua as Latin at 0.4-0.6, real Latin comes out at 0.8 and more.
LATIN_OVERRIDE = 0.7
# On an own text of fewer than `min_letters` letters, lingua below this confidence is unsure.
LINGUA_FEW_SURE = 0.5
# With lingua_when "unsure": a sure langdetect on a sample of this many letters or more is
# checked only when its answer may hide another language (hidden.py).
LINGUA_SURE_LETTERS = 100
# Characters of a message the stage reads (see the module docstring).
MAX_CHARS = 100_000
# The own-text rule may cut a message down to this many (weighted) letters.
OWN_MIN_LETTERS = 8


# Languages lingua cannot name, and what lingua says for them instead.
LINGUA_BLIND = {"ne": frozenset({"hi", "mr"})}


def combine(ld: list, li: list | None) -> tuple[str | None, str]:
    """(code, rule) from langdetect's ranked [(code, score)] and lingua's (over X's neighbours
    when langdetect is sure of X, else over all its languages; None when not asked)."""
    ld_code, ld_score = ld[0] if ld else (None, 0.0)
    if not li:
        return ld_code, "langdetect"
    li_code, li_score = li[0]
    if li_code in LINGUA_BLIND.get(ld_code, ()):
        return ld_code, "langdetect"  # Nepali: lingua can only say Hindi or Marathi
    if ld_code is None or ld_score < LANGDETECT_SURE:
        return li_code, "lingua"
    if li_code != ld_code and li_score >= LINGUA_OVERRIDE and dict(li).get(ld_code, 0.0) <= LINGUA_DOUBT:
        if li_code == "la" and li_score < LATIN_OVERRIDE:
            return ld_code, "langdetect"
        return li_code, "lingua"
    return ld_code, "langdetect"


class Engines:
    """The detectors of one worker process: langdetect, lingua over all its languages, and
    lingua over each neighbour group (built on first use; lingua shares its models between
    detectors of one process, so a group costs no memory). Read-only once built: safe to
    share between threads. `lingua_when` "always" checks every sure langdetect with lingua,
    "unsure" only the short samples and the answers that may hide a language (hidden.py)."""

    def __init__(self, seed: int = 0, lingua_mode: str = "high", trials: int = 3,
                 lingua_when: str = "unsure", sure_letters: int = LINGUA_SURE_LETTERS):
        if lingua_when not in LINGUA_WHEN:
            raise ValueError(f"lingua_when {lingua_when!r} is not one of {', '.join(LINGUA_WHEN)}")
        self.langdetect = Langdetect(seed, trials)
        self.lingua = Lingua(lingua_mode)
        self._mode = lingua_mode
        self._always = lingua_when == "always"
        self._sure_letters = sure_letters
        self._groups: dict = {}

    def lingua_among(self, group: frozenset) -> Lingua:
        detector = self._groups.get(group)
        if detector is None:
            detector = self._groups[group] = Lingua(self._mode, tuple(sorted(group & self.lingua.codes)))
        return detector

    def decide(self, sample: str, calls: Counter | None = None) -> tuple[str | None, str]:
        """(code, rule) of a sample of at least `min_letters` letters; `calls["lingua"]`
        counts lingua's runs."""
        calls = Counter() if calls is None else calls
        excluded = ruled_out(sample)
        ld = allowed(self.langdetect.scores(sample), excluded)
        if ld and ld[0][1] >= LANGDETECT_SURE:
            group = NEIGHBOURS.get(ld[0][0])
            if group and (self._always or needs_lingua(ld[0][0], sample, letter_count(sample), self._sure_letters)):
                calls["lingua"] += 1
                li = self.lingua_among(group).scores(sample)
            else:
                li = None
        else:
            calls["lingua"] += 1
            li = self.lingua.scores(sample)
        return combine(ld, allowed(li, excluded))

    def decide_few_letters(self, sample: str, calls: Counter | None = None) -> tuple[str | None, str]:
        """Own text of fewer than `min_letters` letters in a longer message: lingua decides
        unless lingua is unsure and langdetect prefers another language while it could have
        named lingua's (then: "short", the conversation decides); langdetect decides what lingua
        cannot name."""
        calls = Counter() if calls is None else calls
        excluded = ruled_out(sample)
        calls["lingua"] += 1
        li = allowed(self.lingua.scores(sample), excluded)
        if not li:
            return None, "short"
        ld = allowed(self.langdetect.scores(sample), excluded)
        if ld and li[0][0] in LINGUA_BLIND.get(ld[0][0], ()):
            return ld[0][0], "langdetect"
        if li[0][1] < LINGUA_FEW_SURE and ld and ld[0][0] != li[0][0] and li[0][0] in self.langdetect.codes:
            return None, "short"  # lingua unsure; langdetect prefers another, and could have named lingua's
        return li[0][0], "lingua"


class LanguageDetector:
    """One message at a time, with a cache of decided samples. Build it in `setup()`: its
    `Engines` load langdetect's profiles and lingua's models (lazily) from their packages,
    offline; pass `engines` to share them."""

    def __init__(self, seed: int = 0, min_letters: int = 20, max_letters: int = 300,
                 lingua_mode: str = "high", cache_size: int = 100_000, engines: Engines | None = None,
                 lingua_when: str = "unsure", sure_letters: int = LINGUA_SURE_LETTERS):
        self._engines = engines or Engines(seed, lingua_mode, lingua_when=lingua_when, sure_letters=sure_letters)
        self.min_letters, self.max_letters = min_letters, max_letters
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self.cache_hits = 0
        self.calls: Counter = Counter()  # "lingua": lingua's runs for this detector

    @property
    def lingua_calls(self) -> int:
        return self.calls["lingua"]

    def detect(self, text: str) -> tuple[str | None, str, int]:
        """(ISO 639-1 code or None, rule, letters) for one message; rule is one of script,
        langdetect, lingua, short."""
        cleaned = clean_for_detection(text[:MAX_CHARS])
        own = own_text(cleaned, OWN_MIN_LETTERS)
        letters = letter_count(own)
        sample = prefix_letters(own, self.max_letters)
        code = script_language(sample) if letters >= 2 else None
        if code:
            return code, "script", letters
        if letters < self.min_letters and (own == cleaned or letter_count(cleaned) < self.min_letters):
            return None, "short", letters
        if sample in self._cache:
            self._cache.move_to_end(sample)
            self.cache_hits += 1
            code, rule = self._cache[sample]
        else:
            few = letters < self.min_letters
            code, rule = (self._engines.decide_few_letters if few else self._engines.decide)(sample, self.calls)
            self._cache[sample] = (code, rule)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return (code, rule, letters) if code else (None, "short", letters)

"""The two detectors, each returning [(our code, score)] best first, deterministically.

- `Langdetect`: langdetect (55 languages) with its own seeded factory and `trials` random
  trials (3 instead of its default 7: same accuracy, 2.3x faster). Its score is the share of
  trials that voted for the language, so 1.0 means every trial agreed.
- `Lingua`: lingua-language-detector (75 languages, models inside its wheel, no download), no
  randomness. Its score is lingua's confidence, rounded so that the last bits of a float sum
  (whose order follows a per-process hash seed in its Rust core) never decide; ties go to the
  smaller code.

Both load their models from their packages, offline; build them in `setup()`.
"""
from __future__ import annotations

from transforms.language.names import from_langdetect, from_lingua

__all__ = ["Langdetect", "Lingua", "LINGUA_MODES"]

LINGUA_MODES = ("high", "low")


class Langdetect:
    def __init__(self, seed: int = 0, trials: int = 3):
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.set_seed(seed)
        self.trials = trials
        self.codes = frozenset(filter(None, map(from_langdetect, self._factory.get_lang_list())))

    def scores(self, text: str) -> list:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.n_trial = self.trials
        detector.append(text)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException:
            return []
        merged: dict = {}
        for r in ranked:
            code = from_langdetect(r.lang)
            if code:
                merged[code] = merged.get(code, 0.0) + r.prob
        return sorted(((c, round(p, 6)) for c, p in merged.items()), key=lambda cp: (-cp[1], cp[0]))


class Lingua:
    """`mode` "high" uses lingua's 1- to 5-gram models (about 1 GB once every Latin-script
    model is loaded), "low" only its trigrams (about 100 MB; weaker on short text). Models
    load lazily, per language, the first time a text could be in it."""

    def __init__(self, mode: str = "high", languages: tuple | None = None):
        from lingua import Language, LanguageDetectorBuilder

        if mode not in LINGUA_MODES:
            raise ValueError(f"lingua mode {mode!r} is not one of {', '.join(LINGUA_MODES)}")
        if languages:
            wanted = set(languages)
            chosen = [lang for lang in Language.all() if from_lingua(lang) in wanted]
            builder = LanguageDetectorBuilder.from_languages(*chosen)
        else:
            builder = LanguageDetectorBuilder.from_all_languages()
        if mode == "low":
            builder = builder.with_low_accuracy_mode()
        self._detector = builder.build()
        self.codes = frozenset(from_lingua(lang) for lang in (chosen if languages else Language.all()))

    def scores(self, text: str) -> list:
        values = self._detector.compute_language_confidence_values(text)
        ranked = [(from_lingua(v.language), round(v.value, 6)) for v in values]
        return sorted((cv for cv in ranked if cv[1] > 0), key=lambda cv: (-cv[1], cv[0]))

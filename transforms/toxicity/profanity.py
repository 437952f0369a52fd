"""Offline default (`profanity_check_v1`): alt-profanity-check, a linear SVM over word and
character n-grams trained on English toxic/offensive comments, shipped with its weights in a
PyPI package (scikit-learn, MIT). It runs on CPU in microseconds per message and downloads
nothing. It only knows English: other languages are not judged (their `toxic` stays null).

Entry per message: {"profanity": probability}; toxic when probability > threshold.
"""
from __future__ import annotations

from transforms.toxicity.base import BackendUnavailable, ToxicityBackend

__all__ = ["ProfanityCheckBackend"]


class ProfanityCheckBackend(ToxicityBackend):
    name = "profanity_check_v1"
    column = "profanity_check_moderation"
    languages = frozenset({"en"})
    default_threshold = 0.5

    def __init__(self):
        try:
            from profanity_check import profanity_check  # loads the model from the package
        except ImportError:
            raise BackendUnavailable("toxicity backend profanity_check_v1 needs the PyPI package "
                                     "alt-profanity-check (make install)") from None
        self._vectorizer, self._model = profanity_check.vectorizer, profanity_check.model

    @classmethod
    def from_config(cls, config):
        return cls()

    def score(self, texts):
        if not texts:
            return []
        probs = self._model.predict_proba(self._vectorizer.transform(texts))[:, 1]
        return [{"profanity": round(float(p), 6)} for p in probs]

    def verdict(self, entry, threshold, language_code=None):
        return entry["profanity"] > (self.default_threshold if threshold is None else threshold)

"""Offline multilingual default (`ngram_tox_v1`): the project's own linear model over hashed
character n-grams and words, trained on public human-labelled data in many languages
(`tools/toxicity/train.py`; sources and licences in the README), shipped as package data
(`transforms/toxicity/models/`, checksums in the manifest). Numpy only, CPU, no download.

It judges exactly the languages that have a threshold tuned on the training sources' tune split
AND a measurement on held-out data from other sources (`<model>.eval.json`); every other
language stays `toxic: null`. Entry per message: {"toxicity": probability of its worst
window}; toxic when the probability reaches the language's tuned threshold (or the configured
`toxicity.thresholds.ngram_tox_v1`, one number for every language, when it is set).
"""
from __future__ import annotations

import functools

from transforms.toxicity.base import BackendUnavailable, ToxicityBackend
from transforms.toxicity.ngram_model import ModelError, NgramToxicityModel

__all__ = ["NgramToxicityBackend", "MODEL_NAME"]

MODEL_NAME = "ngram_tox_v1"


class NgramToxicityBackend(ToxicityBackend):
    name = "ngram_tox_v1"
    column = "ngram_toxicity_moderation"
    default_threshold = None  # per language, from the model

    def __init__(self, model: NgramToxicityModel):
        self.model = model
        self.languages = model.judged_languages()

    @classmethod
    def load_model(cls) -> NgramToxicityModel:
        """The shipped artifact, read and checked once per process (read-only once loaded)."""
        try:
            return _load(MODEL_NAME)
        except ModelError as e:
            raise BackendUnavailable(f"toxicity backend {cls.name}: {e}") from None

    @classmethod
    def from_config(cls, config):
        return cls(cls.load_model())

    @classmethod
    def manifest_languages(cls, config):
        return sorted(cls.load_model().judged_languages())

    @classmethod
    def manifest_model(cls):
        model = cls.load_model()
        judged = model.judged_languages()
        return {
            "feature_version": model.meta["feature_version"],
            "thresholds": {k: v["threshold"] for k, v in sorted(model.meta["thresholds"].items())},
            # held-out precision/recall per judged language (other sources than training):
            # the card states 1 - recall as the toxic share a nontoxic variant keeps
            "heldout": {k: {m: v[m] for m in ("n", "positives", "precision", "recall", "f1")}
                        for k, v in sorted(model.evaluation.get("languages", {}).items()) if k in judged},
            # share of presumed-clean chat texts (bench/lang_eval held-out) flagged per judged
            # language: what a nontoxic variant drops that it should keep
            "clean_chat_flagged": {k: v["flagged"] for k, v in
                                   sorted(model.evaluation.get("clean_chat_flagged", {}).items())
                                   if k in judged},
            **model.checksums}

    def score(self, texts):
        return [{"toxicity": round(self.model.score(t), 6)} for t in texts]

    def verdict(self, entry, threshold, language_code=None):
        if threshold is None:
            threshold = self.model.threshold(language_code)
        return entry["toxicity"] >= threshold

    @staticmethod
    def empty_entry():
        return {"toxicity": None}


@functools.lru_cache(maxsize=None)
def _load(name: str) -> NgramToxicityModel:
    return NgramToxicityModel.load(name)

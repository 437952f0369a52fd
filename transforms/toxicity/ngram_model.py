"""The trained multilingual toxicity model: load its artifact and score texts (numpy only).

The artifact lives in `transforms/toxicity/models/` (package data, so workers get it with the
wheel): `<name>.npz` holds one weight per hashed feature and the intercept; `<name>.json` holds
what the model is (feature version, hash bits, window size), the per-language thresholds
chosen on the tune split with their operating points, the training files with their checksums,
and the sha256 of the `.npz`, which is checked at load time. `<name>.eval.json` holds the
held-out measurement per language (written by `tools/toxicity/train.py --evaluate`); only
languages measured there get verdicts (see `judged_languages`).

Score of a message = max over its windows of sigmoid(w . x + b), x the counts of `ngram_features`
scaled by the window's length (`scale_of`). Built by `tools/toxicity/train.py`.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

import numpy as np

from transforms.toxicity.ngram_features import FEATURE_VERSION, features, load_lexicon, normalise, window_of

__all__ = ["MODEL_DIR", "NgramToxicityModel", "ModelError", "model_paths"]

MODEL_DIR = os.path.join(os.path.dirname(__file__), "models")
DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


class ModelError(ValueError):
    """The artifact is missing, corrupt or was built for other features (fatal at start-up)."""


#: how a window's summed weights are scaled by its number of features n: "mean" (1/n: a
#: window's score does not grow with its length, so a 512-character chat window and a tweet
#: are on one scale) or "sqrt" (1/sqrt(n), the first artifacts)
SCALES = ("mean", "sqrt")


def scale_of(counts: np.ndarray, scale: str) -> np.ndarray:
    if scale == "mean":
        return counts.astype(np.float64)
    if scale == "sqrt":
        return np.sqrt(counts)
    raise ModelError(f"toxicity model: unknown scale {scale!r} (one of {SCALES})")


def model_paths(name: str, model_dir: str = MODEL_DIR) -> dict:
    base = os.path.join(model_dir, name)
    return {"weights": base + ".npz", "meta": base + ".json", "eval": base + ".eval.json"}


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class _Meta:
    bits: int
    max_n: int
    window_chars: int
    max_windows: int
    scale: str
    thresholds: dict
    measured: frozenset


class NgramToxicityModel:
    """Weights + metadata of one artifact; `score(texts)` -> probabilities."""

    def __init__(self, weights: np.ndarray, intercept: float, meta: dict, evaluation: dict | None,
                 checksums: dict | None = None):
        if meta.get("feature_version") != FEATURE_VERSION:
            raise ModelError(f"toxicity model was built for features {meta.get('feature_version')!r}, "
                             f"this code computes {FEATURE_VERSION!r}: retrain it "
                             f"(python -m tools.toxicity.train)")
        lexicon = meta.get("lexicon")
        expected = (1 << int(meta["bits"])) + (1 if lexicon else 0)
        if len(weights) != expected:
            raise ModelError(f"toxicity model has {len(weights)} weights, expected {expected}")
        self.lexicon = None
        if lexicon:
            path = os.path.join(DATA_DIR, lexicon["file"])
            if not os.path.exists(path) or _sha256(path) != lexicon["sha256"]:
                raise ModelError(f"toxicity model's word list {path} is missing or not the one it was "
                                 f"trained with (sha256 {lexicon['sha256']})")
            self.lexicon = load_lexicon(path, int(meta["max_n"]))
        self.weights = weights.astype(np.float64)
        self.intercept = float(intercept)
        self.meta = meta
        self.evaluation = evaluation or {}
        self.checksums = dict(checksums or {})
        self._m = _Meta(bits=int(meta["bits"]), max_n=int(meta["max_n"]),
                        window_chars=int(meta["window_chars"]), max_windows=int(meta["max_windows"]),
                        scale=meta.get("scale", "sqrt"),
                        thresholds={k: float(v["threshold"]) for k, v in meta["thresholds"].items()},
                        measured=frozenset(self.evaluation.get("languages", {})))

    @classmethod
    def load(cls, name: str, model_dir: str = MODEL_DIR) -> "NgramToxicityModel":
        paths = model_paths(name, model_dir)
        for kind in ("weights", "meta"):
            if not os.path.exists(paths[kind]):
                raise ModelError(f"toxicity model {name!r}: {paths[kind]} does not exist")
        with open(paths["meta"], encoding="utf-8") as f:
            meta = json.load(f)
        digest = _sha256(paths["weights"])
        if digest != meta.get("weights_sha256"):
            raise ModelError(f"toxicity model {name!r}: {paths['weights']} has sha256 {digest}, "
                             f"its metadata says {meta.get('weights_sha256')!r} (corrupt or replaced)")
        evaluation = None
        if os.path.exists(paths["eval"]):
            with open(paths["eval"], encoding="utf-8") as f:
                evaluation = json.load(f)
        with np.load(paths["weights"]) as z:
            weights, intercept = z["coef"], float(z["intercept"])
        checksums = {"weights_sha256": digest, "meta_sha256": _sha256(paths["meta"])}
        if evaluation is not None:
            checksums["eval_sha256"] = _sha256(paths["eval"])
        return cls(weights, intercept, meta, evaluation, checksums)

    # -- what it judges -------------------------------------------------------------------

    def judged_languages(self) -> frozenset:
        """Languages with a tuned threshold that were also measured on the held-out set."""
        return frozenset(self._m.thresholds) & self._m.measured

    def threshold(self, language_code: str) -> float:
        return self._m.thresholds[language_code]

    # -- scoring ---------------------------------------------------------------------------

    def decision(self, text: str) -> float:
        """Decision value (w . x + b) of the worst window of `text`; texts past
        `max_windows * window_chars` normalised characters are not read."""
        size = self._m.window_chars
        limit = size * self._m.max_windows
        norm = normalise(text[: 2 * limit])[:limit]  # normalising shortens text, never by half
        ids, starts = features(norm, self._m.bits, self._m.max_n, self.lexicon)
        if not len(ids):
            return self.intercept
        win = window_of(starts, size)
        sums = np.bincount(win, weights=self.weights[ids])
        counts = np.bincount(win)
        present = counts > 0
        return float((sums[present] / scale_of(counts[present], self._m.scale)).max()) + self.intercept

    def score(self, text: str) -> float:
        """Probability that `text` is toxic: its worst window."""
        return float(1.0 / (1.0 + np.exp(-self.decision(text))))

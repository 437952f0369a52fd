"""Detoxify backend (`detoxify_v1`), only with local weights.

Detoxify downloads its checkpoint from GitHub and its tokenizer from the Hugging Face hub at
first use; neither is reachable from a locked-down worker, so this backend runs only when the
config points at local files: `toxicity.detoxify.checkpoint` (the `.ckpt`, e.g.
multilingual_debiased-0b549669.ckpt) and `toxicity.detoxify.huggingface_config_path` (a local
copy of the tokenizer/config of its base model, xlm-roberta-base for `multilingual`).
Detoxify needs torch: install it with `pip install -e '.[detoxify]'`; it is never a default
dependency. Anything missing is a start-up error that says what to provide.

Entry per message (WildChat-1M's `detoxify_moderation` element): {identity_attack, insult,
obscene, severe_toxicity, sexual_explicit, threat, toxicity} scores in [0, 1]; toxic when
`toxicity` > threshold (WildChat: 0.1).
"""
from __future__ import annotations

import os

from transforms.toxicity.base import BackendUnavailable, ToxicityBackend

__all__ = ["DetoxifyBackend", "DETOXIFY_FIELDS", "MULTILINGUAL_LANGUAGES", "check_detoxify_config"]

DETOXIFY_FIELDS = ("identity_attack", "insult", "obscene", "severe_toxicity", "sexual_explicit",
                   "threat", "toxicity")
# The languages Detoxify's multilingual model was trained on (Jigsaw multilingual).
MULTILINGUAL_LANGUAGES = frozenset({"en", "fr", "es", "it", "pt", "tr", "ru"})


def check_detoxify_config(c) -> None:
    """Raise BackendUnavailable unless the weights, the tokenizer files and the package are here."""
    if not c.checkpoint:
        raise BackendUnavailable("toxicity backend detoxify_v1 needs local weights: set "
                                 "toxicity.detoxify.checkpoint to a Detoxify .ckpt file (Detoxify's "
                                 "own download is not used)")
    if not os.path.isfile(c.checkpoint):
        raise BackendUnavailable(f"toxicity.detoxify.checkpoint {c.checkpoint!r} does not exist")
    if not c.huggingface_config_path or not os.path.isdir(c.huggingface_config_path):
        raise BackendUnavailable("toxicity.detoxify.huggingface_config_path must be a local "
                                 f"directory with the base model's tokenizer/config, got "
                                 f"{c.huggingface_config_path!r}")
    try:
        import detoxify  # noqa: F401
    except ImportError:
        raise BackendUnavailable("toxicity backend detoxify_v1 needs the detoxify package and torch: "
                                 "pip install -e '.[detoxify]'") from None


class DetoxifyBackend(ToxicityBackend):
    name = "detoxify_v1"
    column = "detoxify_moderation"
    default_threshold = 0.1

    def __init__(self, model, languages, batch_size: int):
        self._model, self.languages, self._batch = model, languages, batch_size

    @classmethod
    def manifest_languages(cls, config):
        return sorted(MULTILINGUAL_LANGUAGES if config.detoxify.model == "multilingual" else {"en"})

    @classmethod
    def from_config(cls, config):
        c = config.detoxify
        check_detoxify_config(c)
        from detoxify import Detoxify

        model = Detoxify(c.model, checkpoint=c.checkpoint, device="cpu",
                         huggingface_config_path=c.huggingface_config_path)
        languages = MULTILINGUAL_LANGUAGES if c.model == "multilingual" else frozenset({"en"})
        return cls(model, languages, c.batch_size)

    def score(self, texts):
        out = []
        for i in range(0, len(texts), self._batch):
            scores = self._model.predict(texts[i:i + self._batch])
            for j in range(len(texts[i:i + self._batch])):
                out.append({f: (round(float(scores[f][j]), 6) if f in scores else None)
                            for f in DETOXIFY_FIELDS})
        return out

    def verdict(self, entry, threshold, language_code=None):
        return entry["toxicity"] > (self.default_threshold if threshold is None else threshold)

"""Toxicity tags: one small backend interface (`base.py`), the registry of backends by
versioned name (`registry.py`), one module per backend (`ngram.py` with its model and features
in `ngram_model.py` / `ngram_features.py`, `profanity.py`, `openai_moderation.py`,
`detoxify_backend.py`), the pure combining rule (`rule.py`) and the Beam transform
(`transform.py`)."""
from transforms.toxicity.base import BackendUnavailable, ToxicityBackend
from transforms.toxicity.registry import BACKENDS, backend_class, build_backend
from transforms.toxicity.rule import ToxicityTagger

__all__ = ["BACKENDS", "BackendUnavailable", "ToxicityBackend", "build_backend", "ToxicityTagger",
           "check_backends", "toxicity_manifest"]


def check_backends(config) -> None:
    """Start-up check (driver side): raise BackendUnavailable when a configured backend cannot
    run here (unknown name, missing package, weights or API key). Cheap: builds nothing heavy."""
    import os

    for name in config.backends:
        if name not in BACKENDS:
            raise BackendUnavailable(f"toxicity.backends: {name!r} is unknown; known: "
                                     f"{', '.join(sorted(BACKENDS))}")
        if name == "openai_moderation_v1" and not os.environ.get(config.openai.api_key_env):
            raise BackendUnavailable(f"toxicity backend openai_moderation_v1 needs an API key in the "
                                     f"environment variable {config.openai.api_key_env!r} (it is not set)")
        if name == "detoxify_v1":
            from transforms.toxicity.detoxify_backend import check_detoxify_config
            check_detoxify_config(config.detoxify)
        if name == "ngram_tox_v1":
            from transforms.toxicity.ngram import NgramToxicityBackend
            NgramToxicityBackend.load_model()  # checksum and feature version, fatal when wrong
        if name == "profanity_check_v1":
            import importlib.util
            if importlib.util.find_spec("profanity_check") is None:
                raise BackendUnavailable("toxicity backend profanity_check_v1 needs the PyPI package "
                                         "alt-profanity-check (make install)")


def toxicity_manifest(config) -> dict:
    """The manifest's `toxicity` entry: which backends ran, their languages and the rule."""
    if not config.backends:
        return {"backends": []}
    languages, models = {}, {}
    for name in config.backends:
        languages[name] = backend_class(name).manifest_languages(config)
        model = backend_class(name).manifest_model()
        if model is not None:
            models[name] = model
    return {"backends": list(config.backends), "rule": config.rule,
            "thresholds": {n: config.thresholds.get(n, backend_class(n).default_threshold)
                           for n in config.backends},
            "languages": languages, "models": models,
            "note": "messages in languages no backend covers have toxic: null (counted in "
                    "stats as toxicity.messages.unjudged.<lang>), never assumed clean"}

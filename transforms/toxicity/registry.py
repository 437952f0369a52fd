"""Backends by versioned name (a change of output means a new name). Modules are imported on
first use, so Detoxify's torch is imported only where it runs, and no backend module imports
this one (no import cycle)."""
from __future__ import annotations

import importlib

from transforms.toxicity.base import BackendUnavailable

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "backend_class", "build_backend"]

#: name -> "module:class"
BACKENDS = {
    "ngram_tox_v1": "transforms.toxicity.ngram:NgramToxicityBackend",
    "profanity_check_v1": "transforms.toxicity.profanity:ProfanityCheckBackend",
    "openai_moderation_v1": "transforms.toxicity.openai_moderation:OpenAIModerationBackend",
    "detoxify_v1": "transforms.toxicity.detoxify_backend:DetoxifyBackend",
}
DEFAULT_BACKEND = "ngram_tox_v1"


def backend_class(name: str):
    try:
        module, _, cls = BACKENDS[name].partition(":")
    except KeyError:
        raise BackendUnavailable(f"toxicity backend {name!r} is unknown; known: "
                                 f"{', '.join(sorted(BACKENDS))}") from None
    return getattr(importlib.import_module(module), cls)


def build_backend(name: str, config):
    """An instance of backend `name`, configured from `ToxicityConfig` `config`. Raises
    BackendUnavailable with the reason when it cannot run here."""
    return backend_class(name).from_config(config)

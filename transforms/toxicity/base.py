"""The one small interface every toxicity backend implements, and the registry of backends.

A backend scores a batch of non-empty texts and says which languages it can judge. It never
decides `toxic` itself: `verdict(entry, threshold)` turns its entry into a bool, and the rule in
`transforms/toxicity/rule.py` combines the verdicts of the backends that judged a message.
Backends are registered under versioned names (a change of output means a new name).
"""
from __future__ import annotations

import abc

__all__ = ["ToxicityBackend", "BackendUnavailable", "BACKENDS", "build_backend", "backend_class"]


class BackendUnavailable(ValueError):
    """Fatal, at start-up: a configured backend cannot run (missing weights, package or key)."""


class ToxicityBackend(abc.ABC):
    #: versioned registry name, e.g. "profanity_check_v1"
    name: str = ""
    #: the release column holding this backend's per-message entries
    column: str = ""
    #: ISO 639-1 codes it can judge; None means every language
    languages: frozenset | None = None
    #: default threshold of `verdict` (None: the backend's own flag)
    default_threshold: float | None = None

    def judges(self, language_code: str | None) -> bool:
        return self.languages is None or language_code in self.languages

    @abc.abstractmethod
    def score(self, texts: list[str]) -> list[dict | None]:
        """One entry per text, in order (None: this text could not be scored, e.g. the API
        kept failing). Texts are non-empty."""

    @abc.abstractmethod
    def verdict(self, entry: dict, threshold: float | None) -> bool:
        """Whether one entry is toxic under `threshold`."""

    @staticmethod
    def empty_entry() -> dict:
        """The entry of an empty message (WildChat: an empty dict; here: all fields null)."""
        return {}

    def close(self) -> None:
        pass


def backend_class(name: str):
    try:
        return BACKENDS[name]()
    except KeyError:
        raise BackendUnavailable(f"toxicity backend {name!r} is unknown; known: "
                                 f"{', '.join(sorted(BACKENDS))}") from None


def _profanity():
    from transforms.toxicity.profanity import ProfanityCheckBackend
    return ProfanityCheckBackend


def _openai():
    from transforms.toxicity.openai_moderation import OpenAIModerationBackend
    return OpenAIModerationBackend


def _detoxify():
    from transforms.toxicity.detoxify_backend import DetoxifyBackend
    return DetoxifyBackend


# name -> loader of the class (imports stay lazy: Detoxify needs torch).
BACKENDS = {"profanity_check_v1": _profanity, "openai_moderation_v1": _openai,
            "detoxify_v1": _detoxify}


def build_backend(name: str, config):
    """An instance of backend `name`, configured from `ToxicityConfig` `config`. Raises
    BackendUnavailable with the reason when it cannot run here."""
    return backend_class(name).from_config(config)

"""The one small interface every toxicity backend implements (the registry of backends is
`transforms/toxicity/registry.py`, so this module imports none of them).

A backend scores a batch of non-empty texts and says which languages it can judge. It never
decides `toxic` itself: `verdict(entry, threshold)` turns its entry into a bool, and the rule in
`transforms/toxicity/rule.py` combines the verdicts of the backends that judged a message.
Backends are registered under versioned names (a change of output means a new name).
"""
from __future__ import annotations

import abc

__all__ = ["ToxicityBackend", "BackendUnavailable"]


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

    @classmethod
    def manifest_languages(cls, config):
        """Sorted ISO codes this backend judges under `config` ("all": every language). Cheap:
        the manifest calls it on the driver."""
        return sorted(cls.languages) if cls.languages is not None else "all"

    @classmethod
    def manifest_model(cls) -> dict | None:
        """The manifest's `toxicity.models.<name>` entry of a backend that ships its own trained
        model: checksums, per-language `thresholds` and `heldout` precision/recall. None for
        backends that have no such record (an API, a package's fixed model)."""
        return None

    @abc.abstractmethod
    def score(self, texts: list[str]) -> list[dict | None]:
        """One entry per text, in order (None: this text could not be scored, e.g. the API
        kept failing). Texts are non-empty."""

    @abc.abstractmethod
    def verdict(self, entry: dict, threshold: float | None, language_code: str | None = None) -> bool:
        """Whether one entry is toxic under `threshold` (the configured one; None: the
        backend's own, which may depend on the message's language)."""

    @staticmethod
    def empty_entry() -> dict:
        """The entry of an empty message (WildChat: an empty dict; here: all fields null)."""
        return {}

    def close(self) -> None:
        pass

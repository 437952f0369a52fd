"""PII and secret scrubbing (strategy `ner_rules_v3`).

`from transforms.pii import ScrubPii` gives the Beam transform; the pure parts (the scrubber,
the recognizers, the gazetteer) import no Beam, so they load and test without it.
"""
from __future__ import annotations

__all__ = ["ScrubPii"]


def __getattr__(name):
    # Lazy: importing a pure submodule must not import Beam through the package.
    if name == "ScrubPii":
        from transforms.pii.transform import ScrubPii
        return ScrubPii
    raise AttributeError(name)

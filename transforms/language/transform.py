"""`DetectLanguage(config)`: PCollection[Conversation] -> PCollection[Conversation] with
`language` / `language_code` on every message and on the conversation, and `language.*` stats
(main output `conversations`), and the dead letters of conversations the stage failed on
(tagged output `STAGE_FAILED`, see `transforms/guard.py`).

The detectors (langdetect's profiles, lingua's models) are built once per worker process in
`setup()` and shared between DoFn instances through `apache_beam.utils.shared.Shared`; each
DoFn instance keeps its own cache of decided samples.

Metrics (namespace "language"): messages, rule_<rule> (script, langdetect, lingua,
conversation, unknown), cache_hits, lingua_calls (samples lingua was run on: with
`lingua_when: unsure`, the ones langdetect is unsure of, short or possibly hiding another
language); stage_failed/language.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

from transforms.guard import STAGE_FAILED, GuardedFn
from transforms.language.conversation import annotate_languages
from transforms.language.detectors import LINGUA_MODES
from transforms.language.hidden import LINGUA_WHEN
from transforms.language.message import Engines, LanguageDetector

__all__ = ["DetectLanguage"]

NS = "language"


def _engines_factory(cfg):
    """Builds the Engines of a `LanguageConfig`."""
    def build():
        return Engines(cfg.seed, cfg.lingua_mode, lingua_when=cfg.lingua_when, sure_letters=cfg.lingua_sure_letters)
    return build


class _DetectLanguageFn(beam.DoFn):
    def __init__(self, config, shared: Shared):
        self._config, self._shared = config, shared
        self._messages = Metrics.counter(NS, "messages")
        self._hits = Metrics.counter(NS, "cache_hits")
        self._lingua_calls = Metrics.counter(NS, "lingua_calls")

    def setup(self):
        cfg = self._config
        engines = self._shared.acquire(_engines_factory(cfg))
        self._detector = LanguageDetector(min_letters=cfg.min_letters, max_letters=cfg.max_letters,
                                          engines=engines)

    def process(self, conv):
        hits_before, lingua_before = self._detector.cache_hits, self._detector.lingua_calls
        out, rules = annotate_languages(conv, self._detector)
        stats = dict(conv.get("stats", {}))
        for rule, n in rules.items():
            Metrics.counter(NS, f"rule_{rule}").inc(n)
            stats[f"language.messages_by_rule.{rule}"] = n
        stats[f"language.conversations.{out['language']}"] = 1
        self._messages.inc(len(out["messages"]))
        self._hits.inc(self._detector.cache_hits - hits_before)
        self._lingua_calls.inc(self._detector.lingua_calls - lingua_before)
        out["stats"] = stats
        yield out


class DetectLanguage(beam.PTransform):
    def __init__(self, config):
        super().__init__()
        if config.min_letters < 1 or config.max_letters < config.min_letters:
            raise ValueError(f"language: need 1 <= min_letters <= max_letters, got "
                             f"{config.min_letters!r}, {config.max_letters!r}")
        if config.lingua_mode not in LINGUA_MODES:
            raise ValueError(f"language.lingua_mode: {config.lingua_mode!r} is not one of "
                             f"{', '.join(LINGUA_MODES)}")
        if config.lingua_when not in LINGUA_WHEN:
            raise ValueError(f"language.lingua_when: {config.lingua_when!r} is not one of "
                             f"{', '.join(LINGUA_WHEN)}")
        if not isinstance(config.lingua_sure_letters, int) or config.lingua_sure_letters < 1:
            raise ValueError(f"language.lingua_sure_letters must be an integer >= 1, got "
                             f"{config.lingua_sure_letters!r}")
        self._fn = _DetectLanguageFn(config, Shared())

    def expand(self, conversations):
        return conversations | "DetectPerMessage" >> beam.ParDo(
            GuardedFn("language", self._fn)).with_outputs(STAGE_FAILED, main="conversations")

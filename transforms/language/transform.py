"""`DetectLanguage(config)`: PCollection[Conversation] -> PCollection[Conversation] with
`language` / `language_code` on every message and on the conversation, and `language.*` stats
(main output `conversations`), and the dead letters of conversations the stage failed on
(tagged output `STAGE_FAILED`, see `transforms/guard.py`).

The detectors (langdetect's profiles, lingua's models) are built once per worker process in
`setup()` and shared between DoFn instances through `apache_beam.utils.shared.Shared`; each
DoFn instance keeps its own cache of decided samples.

Metrics (namespace "language"): messages, rule_<rule> (script, langdetect, lingua,
conversation, unknown), cache_hits; stage_failed/language.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

from transforms.guard import STAGE_FAILED, GuardedFn
from transforms.language.conversation import annotate_languages
from transforms.language.detectors import LINGUA_MODES
from transforms.language.message import Engines, LanguageDetector

__all__ = ["DetectLanguage"]

NS = "language"


def _engines_factory(seed: int, lingua_mode: str):
    def build():
        return Engines(seed, lingua_mode)
    return build


class _DetectLanguageFn(beam.DoFn):
    def __init__(self, config, shared: Shared):
        self._config, self._shared = config, shared
        self._messages = Metrics.counter(NS, "messages")
        self._hits = Metrics.counter(NS, "cache_hits")

    def setup(self):
        cfg = self._config
        engines = self._shared.acquire(_engines_factory(cfg.seed, cfg.lingua_mode))
        self._detector = LanguageDetector(min_letters=cfg.min_letters, max_letters=cfg.max_letters,
                                          engines=engines)

    def process(self, conv):
        hits_before = self._detector.cache_hits
        out, rules = annotate_languages(conv, self._detector)
        stats = dict(conv.get("stats", {}))
        for rule, n in rules.items():
            Metrics.counter(NS, f"rule_{rule}").inc(n)
            stats[f"language.messages_by_rule.{rule}"] = n
        stats[f"language.conversations.{out['language']}"] = 1
        self._messages.inc(len(out["messages"]))
        self._hits.inc(self._detector.cache_hits - hits_before)
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
        self._fn = _DetectLanguageFn(config, Shared())

    def expand(self, conversations):
        return conversations | "DetectPerMessage" >> beam.ParDo(
            GuardedFn("language", self._fn)).with_outputs(STAGE_FAILED, main="conversations")

"""Scrub PII and secrets from every message (strategy `ner_rules_v3`).

`ScrubPii(config)`: PCollection[Conversation] -> PCollection[Conversation] with scrubbed
`content`, per-message and per-conversation `redacted`, and `pii.*` stats (redactions per
entity type, messages per language and coverage) as main output `conversations`; a
conversation the scrubber fails on is never released: it leaves as a dead letter without its
text (tagged output `STAGE_FAILED`, see `transforms/guard.py`). Conversations are batched
(`BatchElements`) so spaCy sees up to `ner_batch_size` texts per `nlp.pipe` call. The
scrubber (spaCy models, gazetteer, recognizers) is built once per worker process in `setup()`
and shared between DoFn instances through `apache_beam.utils.shared.Shared`.

With `keep_names_seen_in: N`, a first pass counts in how many distinct conversations each
PERSON value occurs (a combine), and values seen in at least N conversations (public figures)
reach the scrubbing pass as a side input and are kept.

Metrics (namespace "pii"): conversations, messages, redacted_messages, and the scrubber's
counts: cache_hits, long_messages_chunked, ner_budget_exceeded; stage_failed/pii.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

from transforms.guard import STAGE_FAILED, GuardedFn
from transforms.pii.scrubber import PiiScrubber

__all__ = ["ScrubPii"]

NS = "pii"


def _scrubber_factory(config):
    def build():
        return PiiScrubber(dict(config.models), tuple(config.entities), config.score_threshold,
                           config.ner_batch_size, config.ner_chunk_chars, config.ner_max_chars,
                           ner_roles=tuple(config.ner_roles))
    return build


class _WithScrubber(beam.DoFn):
    def __init__(self, config, shared: Shared):
        self._config, self._shared = config, shared

    def setup(self):
        # Fatal on a missing model (ModelMissing): the run stops with the model's name.
        self._scrubber = self._shared.acquire(_scrubber_factory(self._config))

    @staticmethod
    def _report(counts):
        for name, n in sorted(counts.items()):
            Metrics.counter(NS, name).inc(n)


class _PersonNamesFn(_WithScrubber):
    def process(self, conv):
        names, counts = self._scrubber.person_names(conv)
        self._report(counts)
        yield from sorted(names)


class _ScrubBatchFn(_WithScrubber):
    def __init__(self, config, shared):
        super().__init__(config, shared)
        self._conversations = Metrics.counter(NS, "conversations")
        self._messages = Metrics.counter(NS, "messages")
        self._redacted = Metrics.counter(NS, "redacted_messages")

    def process(self, batch, keep_names=()):
        result = self._scrubber.scrub_conversations(list(batch), frozenset(keep_names))
        self._report(result.counts)
        for conv in result.conversations:
            self._conversations.inc()
            self._messages.inc(len(conv["messages"]))
            self._redacted.inc(sum(m["redacted"] for m in conv["messages"]))
            yield conv


def _at_least(n):
    def keep(kv):
        return kv[1] >= n
    return keep


def _name(kv):
    return kv[0]


class ScrubPii(beam.PTransform):
    def __init__(self, config):
        super().__init__()
        if not config.models and "PERSON" in config.entities:
            raise ValueError("pii.models is empty but PERSON is in pii.entities")
        if config.keep_names_seen_in is not None and config.keep_names_seen_in < 2:
            raise ValueError(f"pii.keep_names_seen_in must be >= 2, got {config.keep_names_seen_in!r}")
        self._config = config
        self._shared = Shared()

    def expand(self, conversations):
        cfg = self._config
        keep = ()
        if cfg.keep_names_seen_in:
            keep = beam.pvalue.AsList(
                conversations
                | "PersonNames" >> beam.ParDo(_PersonNamesFn(cfg, self._shared))
                | "CountNames" >> beam.combiners.Count.PerElement()
                | "SeenOften" >> beam.Filter(_at_least(cfg.keep_names_seen_in))
                | "Names" >> beam.Map(_name))
        batches = conversations | "Batch" >> beam.BatchElements(
            min_batch_size=1, max_batch_size=max(1, cfg.ner_batch_size // 2))
        scrub = GuardedFn("pii", _ScrubBatchFn(cfg, self._shared), batched=True)
        side = {"keep_names": keep} if cfg.keep_names_seen_in else {}
        return batches | "Scrub" >> beam.ParDo(scrub, **side).with_outputs(
            STAGE_FAILED, main="conversations")

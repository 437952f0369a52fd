"""`TagToxicity(config)`: PCollection[Conversation] -> PCollection[Conversation] with every
message's `toxic` and backend entries (`openai_moderation`, `detoxify_moderation`,
`profanity_check_moderation`), the conversation's `toxic` and `toxicity.*` stats (main output
`conversations`), and the dead letters of conversations the tagger raised on (tagged output
`STAGE_FAILED`, see `transforms/guard.py`; a backend that fails on a message marks it
`failed`, which is not a stage failure).

Conversations are batched (`BatchElements`, up to `toxicity.batch_size`) so a backend sees many
texts per call (one API request per batch). The backends are built once per worker process in
`setup()` and shared between DoFn instances (`apache_beam.utils.shared.Shared`).

Metrics (namespace "toxicity"): conversations, messages, toxic_messages, unjudged_messages,
failed_messages; stage_failed/toxicity.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.utils.shared import Shared

from transforms.guard import STAGE_FAILED, GuardedFn
from transforms.toxicity.registry import build_backend
from transforms.toxicity.rule import RULES, ToxicityTagger

__all__ = ["TagToxicity"]

NS = "toxicity"


def _tagger_factory(config):
    def build():
        return ToxicityTagger([build_backend(name, config) for name in config.backends],
                              config.rule, dict(config.thresholds))
    return build


class _TagBatchFn(beam.DoFn):
    def __init__(self, config, shared: Shared):
        self._config, self._shared = config, shared
        self._conversations = Metrics.counter(NS, "conversations")
        self._messages = Metrics.counter(NS, "messages")
        self._toxic = Metrics.counter(NS, "toxic_messages")
        self._unjudged = Metrics.counter(NS, "unjudged_messages")
        self._failed = Metrics.counter(NS, "failed_messages")

    def setup(self):
        # Fatal on a backend that cannot run (BackendUnavailable) or a refused API key.
        self._tagger = self._shared.acquire(_tagger_factory(self._config))

    def process(self, batch):
        for conv, stats in self._tagger.tag(list(batch)):
            self._conversations.inc()
            self._messages.inc(len(conv["messages"]))
            for key, n in stats.items():
                if key.startswith("toxicity.messages.toxic."):
                    self._toxic.inc(n)
                elif key.startswith("toxicity.messages.unjudged."):
                    self._unjudged.inc(n)
                elif key.startswith("toxicity.messages.failed."):
                    self._failed.inc(n)
            yield conv


class TagToxicity(beam.PTransform):
    def __init__(self, config):
        super().__init__()
        if not config.backends:
            raise ValueError("TagToxicity needs at least one backend in toxicity.backends")
        if config.rule not in RULES:
            raise ValueError(f"toxicity.rule {config.rule!r} is not one of {', '.join(RULES)}")
        self._config = config
        self._shared = Shared()

    def expand(self, conversations):
        return (
            conversations
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self._config.batch_size)
            | "Tag" >> beam.ParDo(GuardedFn("toxicity", _TagBatchFn(self._config, self._shared),
                                            batched=True)).with_outputs(STAGE_FAILED, main="conversations")
        )

"""Keep only turns whose user consented.

`KeepConsented`: PCollection[Turn] -> PCollection[Turn] with a "no_consent" output.
Metrics (namespace "consent"): total, forwarded, dropped_no_consent.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

__all__ = ["KeepConsented", "NO_CONSENT"]

NO_CONSENT = "no_consent"


class _ConsentFn(beam.DoFn):
    def __init__(self):
        self._total = Metrics.counter("consent", "total")
        self._forwarded = Metrics.counter("consent", "forwarded")
        self._dropped = Metrics.counter("consent", "dropped_no_consent")

    def process(self, turn):
        self._total.inc()
        if turn.consent is True:
            self._forwarded.inc()
            yield turn
        else:
            self._dropped.inc()
            yield beam.pvalue.TaggedOutput(NO_CONSENT, turn.turn_id)


class KeepConsented(beam.PTransform):
    def expand(self, turns):
        return turns | "FilterConsent" >> beam.ParDo(_ConsentFn()).with_outputs(NO_CONSENT, main="consented")

"""Validate raw records into `Turn`s; every bad record leaves on the dead-letter output.

`ParseTurns`: PCollection[(source, line, bytes)] -> {main: PCollection[Turn],
"deadletter": PCollection[dict]}.

Metrics (namespace "parse"): total, forwarded, dropped_<reason>.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.input import InvalidRecord, parse_turn
from transforms.deadletter import DEADLETTER, dead_letter
from transforms.read import TOO_LARGE_MARK

__all__ = ["ParseTurns"]


class _ParseTurnFn(beam.DoFn):
    def __init__(self, max_record_bytes: int, max_json_depth: int, max_messages: int):
        self._limits = dict(max_record_bytes=max_record_bytes, max_json_depth=max_json_depth,
                            max_messages=max_messages)
        self._total = Metrics.counter("parse", "total")
        self._forwarded = Metrics.counter("parse", "forwarded")

    def process(self, element):
        source, line, raw = element
        self._total.inc()
        try:
            if raw.startswith(TOO_LARGE_MARK):
                size, _, head = raw[len(TOO_LARGE_MARK):].partition(b":")
                raise InvalidRecord("record_too_large", f"{int(size)} bytes")
            turn = parse_turn(raw, source, line, **self._limits)
        except InvalidRecord as err:
            Metrics.counter("parse", f"dropped_{err.reason}").inc()
            kept = head if raw.startswith(TOO_LARGE_MARK) else raw
            yield beam.pvalue.TaggedOutput(DEADLETTER, dead_letter(err.reason, source, line, kept, err.detail))
            return
        except Exception as err:  # a bug, not bad data: still never lose the record
            Metrics.counter("parse", "dropped_internal_error").inc()
            yield beam.pvalue.TaggedOutput(
                DEADLETTER, dead_letter("internal_error", source, line, raw, type(err).__name__))
            return
        self._forwarded.inc()
        yield turn


class ParseTurns(beam.PTransform):
    """PCollection[(source, line, bytes)] -> PCollection[Turn] with a "deadletter" output."""

    def __init__(self, max_record_bytes: int = 8 << 20, max_json_depth: int = 16, max_messages: int = 4096):
        super().__init__()
        self._fn = _ParseTurnFn(max_record_bytes, max_json_depth, max_messages)

    def expand(self, records):
        return records | "Validate" >> beam.ParDo(self._fn).with_outputs(DEADLETTER, main="turns")

"""Validate raw records into `Turn`s; every bad record leaves on the dead-letter output.

`ParseTurns`: PCollection[(source, line, bytes)] -> {main: PCollection[Turn],
"deadletter": PCollection[dict]}.

`parse_record` is the pure core: each raw record becomes exactly one `Turn` or one dead
letter, whatever its bytes. Besides `schemas.input.REASONS`, the reader's marks give
`record_too_large` (a line cut while streaming), `truncated_input` and `unreadable_input` (a
file that could not be read to its end); `internal_error` is a bug (the record is still kept).

Metrics (namespace "parse"): total, forwarded, dropped_<reason>, repaired_lone_surrogates
(turns with a lone UTF-16 surrogate escape replaced by U+FFFD).
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.input import REASONS, InvalidRecord, Turn, parse_turn
from transforms.deadletter import DEADLETTER, dead_letter
from transforms.read import READ_ERROR_MARK, TOO_LARGE_MARK, parse_read_error

__all__ = ["ParseTurns", "parse_record", "PARSE_REASONS"]

PARSE_REASONS = REASONS + ("truncated_input", "unreadable_input", "internal_error")


def parse_record(source: str, line: int, raw: bytes, **limits) -> Turn | dict:
    """A `Turn`, or a dead-letter dict (see `transforms.deadletter.dead_letter`). Never raises."""
    try:
        if raw.startswith(TOO_LARGE_MARK):
            size, _, head = raw[len(TOO_LARGE_MARK):].partition(b":")
            return dead_letter("record_too_large", source, line, head, f"{int(size)} bytes")
        if raw.startswith(READ_ERROR_MARK):
            reason, detail, head = parse_read_error(raw)
            return dead_letter(reason, source, line, head, detail)
        return parse_turn(raw, source, line, **limits)
    except InvalidRecord as err:
        return dead_letter(err.reason, source, line, raw, err.detail)
    except Exception as err:  # noqa: BLE001 - a bug, not bad data: still never lose the record
        return dead_letter("internal_error", source, line, raw, type(err).__name__)


class _ParseTurnFn(beam.DoFn):
    def __init__(self, max_record_bytes: int, max_json_depth: int, max_messages: int,
                 max_message_chars: int | None = None):
        self._limits = dict(max_record_bytes=max_record_bytes, max_json_depth=max_json_depth,
                            max_messages=max_messages, max_message_chars=max_message_chars)
        self._total = Metrics.counter("parse", "total")
        self._forwarded = Metrics.counter("parse", "forwarded")
        self._repaired = Metrics.counter("parse", "repaired_lone_surrogates")

    def process(self, element):
        source, line, raw = element
        self._total.inc()
        result = parse_record(source, line, raw, **self._limits)
        if isinstance(result, Turn):
            self._forwarded.inc()
            if result.lone_surrogates:
                self._repaired.inc()
            yield result
        else:
            Metrics.counter("parse", f"dropped_{result['reason']}").inc()
            yield beam.pvalue.TaggedOutput(DEADLETTER, result)


class ParseTurns(beam.PTransform):
    """PCollection[(source, line, bytes)] -> PCollection[Turn] with a "deadletter" output."""

    def __init__(self, max_record_bytes: int = 8 << 20, max_json_depth: int = 16, max_messages: int = 4096,
                 max_message_chars: int | None = None):
        super().__init__()
        self._fn = _ParseTurnFn(max_record_bytes, max_json_depth, max_messages, max_message_chars)

    def expand(self, records):
        return records | "Validate" >> beam.ParDo(self._fn).with_outputs(DEADLETTER, main="turns")

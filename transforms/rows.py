"""Turn conversation dicts into release rows that match `schemas.release.release_schema`.

`conversation_hash` is 32 hex of xxh3-128 over the *released* (scrubbed) messages; a hash of
raw text could be dictionary-attacked to recover PII. Like WildChat's, it is a content hash,
not an id: `conversation_id` is the unique key.

`ToReleaseRows`: PCollection[Conversation] -> PCollection[dict] (main output `rows`), and the
dead letters of conversations that could not become a row (tagged output `STAGE_FAILED`, see
`transforms/guard.py`).
"""
from __future__ import annotations

import datetime as dt

import apache_beam as beam
import orjson
import xxhash

from schemas.release import MODERATION_COLUMNS
from transforms.guard import STAGE_FAILED, GuardedFn

__all__ = ["ToReleaseRows", "to_release_row", "conversation_hash"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def conversation_hash(messages: list) -> str:
    payload = orjson.dumps([[m["role"], m["content"]] for m in messages])
    return xxhash.xxh3_128_hexdigest(payload)


def _ts(micros):
    return None if micros is None else _EPOCH + dt.timedelta(microseconds=micros)


def _moderation_column(messages: list, column: str):
    """One entry per message, lifted out of the messages (WildChat keeps them in row-level
    lists); null when no message has one (the backend did not run or judged nothing)."""
    entries = [m.get(column) for m in messages]
    return entries if any(e is not None for e in entries) else None


def to_release_row(conv: dict) -> dict:
    messages = [{k: v for k, v in m.items() if k not in MODERATION_COLUMNS}
                for m in conv["messages"]]
    for m in messages:
        m["timestamp"] = _ts(m["timestamp"])
    row = {k: v for k, v in conv.items() if k not in ("messages", "stats")}
    for column in MODERATION_COLUMNS:
        row[column] = _moderation_column(conv["messages"], column)
    row["timestamp"] = _ts(conv["timestamp"])
    row["conversation"] = messages
    row["conversation_hash"] = conversation_hash(conv["messages"])
    return row


class _ToRowFn(beam.DoFn):
    def process(self, conv):
        yield to_release_row(conv)


class ToReleaseRows(beam.PTransform):
    def expand(self, conversations):
        return conversations | "ToRow" >> beam.ParDo(GuardedFn("rows", _ToRowFn())).with_outputs(
            STAGE_FAILED, main="rows")

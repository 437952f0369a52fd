"""Dead-letter records: what could not be used, with a snake_case reason and its source.

The dead-letter output holds raw lines, so it is internal and sensitive: it is written under
`OUT/deadletter/<run_id>/`, never under the release folder. Parsing and linking
(`conflicting_turn_id`) dead-letter input records; the stages after linking dead-letter
conversations (`stage_failed.<stage>`, `transforms/guard.py`: turn ids, no text, no source
line); the pipeline writes them together.
"""
from __future__ import annotations

import base64

import apache_beam as beam
import orjson
import xxhash
from apache_beam.io.filesystems import FileSystems

__all__ = ["DEADLETTER", "dead_letter", "WriteDeadLetters", "shard_of_letter"]

DEADLETTER = "deadletter"
# A dead-letter line keeps at most this many bytes of the raw record.
MAX_RAW_KEPT = 64 << 10


def _text(kept: bytes, cut: bool) -> str | None:
    """`kept` as text, or None when it is not UTF-8. A cut may split the last character (up
    to 3 bytes of it): those bytes are dropped rather than the whole text turned into base64."""
    for trim in range(4 if cut else 1):
        try:
            return kept[:len(kept) - trim].decode("utf-8")
        except UnicodeDecodeError as err:
            if err.start < len(kept) - 4:  # broken before the cut: not text
                return None
    return None


def dead_letter(reason: str, source: str, line: int, raw: bytes, detail: str = "") -> dict:
    """A dead-letter record. Undecodable bytes are kept as base64 so nothing is lost."""
    kept = raw[:MAX_RAW_KEPT]
    record = {"reason": reason, "detail": detail, "source": source, "line": line,
              "raw_bytes": len(raw), "raw": None, "raw_b64": None}
    record["raw"] = _text(kept, cut=len(raw) > len(kept))
    if record["raw"] is None:
        record["raw_b64"] = base64.b64encode(kept).decode("ascii")
    return record


def _to_json_line(record: dict) -> bytes:
    return orjson.dumps(record)


def _origin(record: dict) -> list:
    """(source, line) of a record's dead letter; a conversation's (stage failures) has neither."""
    if record.get("source") is None and record.get("conversation_id") is not None:
        return [record["conversation_id"], None]
    return [record.get("source"), record.get("line")]


def shard_of_letter(record: dict, num_shards: int) -> int:
    """Spread by record, not by file: one broken input file must not land on one worker."""
    return xxhash.xxh3_64_intdigest(orjson.dumps(_origin(record))) % num_shards


def _sort_key(line: bytes, record: dict):
    source, number = _origin(record)
    return source or "", number or 0, line


class _WriteShardFn(beam.DoFn):
    def __init__(self, directory: str, num_shards: int):
        self._dir, self._n = directory, num_shards

    def process(self, element):
        shard, grouped = element
        lines = sorted(grouped[_LETTERS])
        path = FileSystems.join(self._dir, f"deadletter-{shard:05d}-of-{self._n:05d}.jsonl")
        with FileSystems.create(path) as fh:
            for _, _, line in lines:
                fh.write(line + b"\n")
        yield path


_SHARDS, _LETTERS = "shards", "letters"


def _keyed(record: dict, num_shards: int):
    line = _to_json_line(record)
    return shard_of_letter(record, num_shards), _sort_key(line, record)


class WriteDeadLetters(beam.PTransform):
    """PCollection[dict] -> `deadletter-SSSSS-of-NNNNN.jsonl` under `directory`; returns the
    written paths. Each record goes to the shard its (source, line) hashes to, and a shard's
    lines are sorted, so the same input gives the same files whatever the runner's order.
    Every shard is written, empty or not. Memory per writing worker is one shard."""

    def __init__(self, directory: str, num_shards: int = 1):
        super().__init__()
        if num_shards <= 0:
            raise ValueError(f"num_shards must be positive, got {num_shards!r}")
        self._dir, self._n = directory.rstrip("/"), num_shards

    def expand(self, records):
        keyed = records | "KeyByShard" >> beam.Map(_keyed, self._n)
        shard_ids = records.pipeline | "ShardIds" >> beam.Create([(i, None) for i in range(self._n)])
        return (
            {_SHARDS: shard_ids, _LETTERS: keyed}
            | "LettersByShard" >> beam.CoGroupByKey()
            | "WriteShards" >> beam.ParDo(_WriteShardFn(self._dir, self._n))
        )

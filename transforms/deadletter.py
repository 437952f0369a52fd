"""Dead-letter records: what could not be used, with a snake_case reason and its source.

The dead-letter output holds raw lines, so it is internal and sensitive: it is written under
`OUT/deadletter/<run_id>/`, never under the release folder. Parsing and linking
(`conflicting_turn_id`) both dead-letter; the pipeline writes them together.
"""
from __future__ import annotations

import base64

import apache_beam as beam
import orjson
from apache_beam.io.filesystems import FileSystems

__all__ = ["DEADLETTER", "dead_letter", "WriteDeadLetters"]

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


def _to_json_line(record: dict) -> str:
    return orjson.dumps(record).decode("utf-8")


class WriteDeadLetters(beam.PTransform):
    """PCollection[dict] -> JSON lines under `directory` (deadletter-NNNNN-of-MMMMM.jsonl)."""

    def __init__(self, directory: str):
        super().__init__()
        self._prefix = FileSystems.join(directory.rstrip("/"), "deadletter")

    def expand(self, records):
        return (
            records
            | "ToJson" >> beam.Map(_to_json_line)
            | "Write" >> beam.io.WriteToText(
                self._prefix, file_name_suffix=".jsonl", num_shards=1)
        )

"""Read raw turn records from *.jsonl, *.jsonl.gz, *.jsonl.zst and *.parquet files.

`ReadRawRecords`: PBegin -> outputs
  - `records` (main): PCollection[RawRecord], RawRecord = (source, line, raw bytes);
  - `files`: PCollection[FileFingerprint], one per file read: {"read", "path", "bytes",
    "mtime", "sha256", "records"}. The input is read twice (linking, then assembly); the
    publisher refuses to publish when the two reads' fingerprints differ.
Every line becomes one record (blank lines are skipped and not counted: they hold no record).
A line over the size limit is not loaded whole: its first bytes travel on and `ParseTurns`
dead-letters it as `record_too_large`. Any Beam filesystem works (local, gs://, s3://).
Files are the unit of parallelism: shard big inputs into many files.

`sha256` covers the file's stored (compressed) bytes, hashed while they stream through the
decompressor; a Parquet file is read once more for it (Parquet is read by random access).

Metrics (namespace "read"): files, records.
"""
from __future__ import annotations

import hashlib
from typing import Iterator

import apache_beam as beam
import orjson
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressedFile, CompressionTypes
from apache_beam.metrics import Metrics

__all__ = ["ReadRawRecords", "iter_lines", "TOO_LARGE_MARK", "FILES"]

FILES = "files"

_CHUNK = 1 << 20
# Prefix marking a line that was cut at the size limit (never valid JSON, so never parsed).
TOO_LARGE_MARK = b"\x00too_large:"


def iter_lines(fobj, max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """Yield (1-based line number, bytes) of non-blank lines; lines over `max_bytes` are
    yielded as TOO_LARGE_MARK + their size + a 1 KB prefix, without holding them whole."""
    line_no, buf, skipping, skipped, head = 0, b"", False, 0, b""
    while True:
        chunk = fobj.read(_CHUNK)
        if not chunk:
            break
        buf += chunk
        while True:
            nl = buf.find(b"\n")
            if nl < 0:
                break
            piece, buf = buf[:nl], buf[nl + 1:]
            line_no += 1
            if skipping:
                skipping = False
                yield line_no, TOO_LARGE_MARK + str(skipped + len(piece)).encode() + b":" + head
            elif len(piece) > max_bytes:
                yield line_no, TOO_LARGE_MARK + str(len(piece)).encode() + b":" + piece[:1024]
            elif piece.strip():
                yield line_no, piece.rstrip(b"\r")
        if not skipping and len(buf) > max_bytes:
            skipping, skipped, head, buf = True, len(buf), buf[:1024], b""
        elif skipping:
            skipped += len(buf)
            buf = b""
    if skipping:
        yield line_no + 1, TOO_LARGE_MARK + str(skipped + len(buf)).encode() + b":" + head
    elif buf.strip():
        yield line_no + 1, buf.rstrip(b"\r")


def _json_default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(type(value).__name__)


class _HashingReader:
    """A read-only file object that hashes (sha256) and counts every byte read through it."""

    mode = "rb"  # CompressedFile checks it

    def __init__(self, raw):
        self._raw, self._sha, self.size = raw, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self._sha.update(data)
        self.size += len(data)
        return data

    def tell(self) -> int:
        return self.size

    def drain(self) -> None:
        """Hash what the reader left unread (a compressed file's trailer, a Parquet file)."""
        while self.read(_CHUNK):
            pass

    def hexdigest(self) -> str:
        return self._sha.hexdigest()

    def close(self) -> None:
        self._raw.close()


class _ReadFileFn(beam.DoFn):
    def __init__(self, max_record_bytes: int, read_name: str):
        self._max, self._read = max_record_bytes, read_name
        self._files = Metrics.counter("read", "files")
        self._records = Metrics.counter("read", "records")

    def process(self, readable):
        path = readable.metadata.path
        self._files.inc()
        records = 0
        with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as raw:
            hashed = _HashingReader(raw)
            if path.endswith(".parquet"):
                hashed.drain()
                lines = self._parquet(readable, path)
            else:
                compression = CompressionTypes.detect_compression_type(path)
                stream = hashed if compression == CompressionTypes.UNCOMPRESSED else \
                    CompressedFile(hashed, compression_type=compression)
                lines = ((path, n, data) for n, data in iter_lines(stream, self._max))
            for record in lines:
                records += 1
                self._records.inc()
                yield record
            hashed.drain()
        yield beam.pvalue.TaggedOutput(FILES, {
            "read": self._read, "path": path, "bytes": hashed.size,
            "mtime": readable.metadata.last_updated_in_seconds,
            "sha256": hashed.hexdigest(), "records": records})

    def _parquet(self, readable, path):
        import pyarrow.parquet as pq

        with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as fh:
            row = 0
            for batch in pq.ParquetFile(fh).iter_batches(batch_size=1024):
                for record in batch.to_pylist():
                    row += 1
                    yield path, row, orjson.dumps(record, default=_json_default)


class ReadRawRecords(beam.PTransform):
    """PBegin -> `records` (main: (source, line, raw bytes)) and `files` (fingerprints, tagged
    with `read_name`) for every file matching `pattern`."""

    def __init__(self, pattern: str, max_record_bytes: int = 8 << 20, read_name: str = "read"):
        super().__init__()
        if not pattern:
            raise ValueError("ReadRawRecords needs a file pattern")
        self._pattern = pattern
        self._max = max_record_bytes
        self._read = read_name

    def expand(self, pbegin):
        return (
            pbegin
            | "MatchFiles" >> fileio.MatchFiles(self._pattern)
            # Spread files over workers; each file is read by one worker.
            | "SpreadFiles" >> beam.Reshuffle()
            | "ReadMatches" >> fileio.ReadMatches()
            | "ReadLines" >> beam.ParDo(_ReadFileFn(self._max, self._read)).with_outputs(
                FILES, main="records")
        )

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

A file that cannot be read to its end (a gzip/zstd file cut short or corrupt, a broken
Parquet file) yields one record marked `READ_ERROR_MARK` where reading stopped, carrying the
reason (`truncated_input`, `unreadable_input`) and the partial line; `ParseTurns`
dead-letters it. A line starting with a NUL byte is never JSON and would look like a mark, so
it travels as an `invalid_json` mark too: marks cannot be forged by input data.

Metrics (namespace "read"): files, records.
"""
from __future__ import annotations

import base64
import hashlib
from typing import Iterator

import apache_beam as beam
import orjson
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.metrics import Metrics

from transforms.compressed import CorruptInput, open_decompressed

__all__ = ["ReadRawRecords", "iter_lines", "iter_parquet_records", "TOO_LARGE_MARK",
           "READ_ERROR_MARK", "read_error", "parse_read_error", "FILES"]

FILES = "files"

_CHUNK = 1 << 20
# Prefix marking a line that was cut at the size limit (never valid JSON, so never parsed).
TOO_LARGE_MARK = b"\x00too_large:"
# Prefix marking where a file could not be read on (or a line that starts with NUL):
# READ_ERROR_MARK + JSON [reason, detail] + "\n" + the first bytes of the line.
READ_ERROR_MARK = b"\x00read_error:"
_HEAD = 1024


def read_error(reason: str, detail: str, head: bytes) -> bytes:
    return READ_ERROR_MARK + orjson.dumps([reason, detail]) + b"\n" + head


def parse_read_error(raw: bytes) -> tuple[str, str, bytes]:
    """(reason, detail, head) of a `read_error` mark."""
    header, _, head = raw[len(READ_ERROR_MARK):].partition(b"\n")
    reason, detail = orjson.loads(header)
    return reason, detail, head


def _line(piece: bytes) -> bytes:
    if piece.startswith(b"\x00"):
        return read_error("invalid_json", "the line starts with a NUL byte", piece)
    return piece.rstrip(b"\r")


def iter_lines(fobj, max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """Yield (1-based line number, bytes) of non-blank lines; lines over `max_bytes` are
    yielded as TOO_LARGE_MARK + their size + a 1 KB prefix, without holding them whole.
    When `fobj` raises `CorruptInput` (a cut or corrupt compressed file), the line being read
    ends there: it is yielded as a `read_error` mark with the reason, and reading stops."""
    line_no, buf, skipping, skipped, head = 0, b"", False, 0, b""
    while True:
        try:
            chunk = fobj.read(_CHUNK)
        except CorruptInput as err:
            yield line_no + 1, read_error(err.reason, err.detail, head if skipping else buf[:_HEAD])
            return
        if not chunk:
            break
        buf += chunk
        start = 0  # slicing the rest of the buffer per line would copy it once per line
        while True:
            nl = buf.find(b"\n", start)
            if nl < 0:
                break
            piece, start = buf[start:nl], nl + 1
            line_no += 1
            if skipping:
                skipping = False
                head += piece[:_HEAD - len(head)]
                yield line_no, TOO_LARGE_MARK + str(skipped + len(piece)).encode() + b":" + head
            elif len(piece) > max_bytes:
                yield line_no, TOO_LARGE_MARK + str(len(piece)).encode() + b":" + piece[:_HEAD]
            elif piece.strip():
                yield line_no, _line(piece)
        buf = buf[start:]
        if not skipping and len(buf) > max_bytes:
            skipping, skipped, head, buf = True, len(buf), buf[:_HEAD], b""
        elif skipping:
            # The head is the line's first 1 KB whatever the read sizes (max_bytes may be less).
            skipped += len(buf)
            head += buf[:_HEAD - len(head)]
            buf = b""
    if skipping:
        head += buf[:_HEAD - len(head)]
        yield line_no + 1, TOO_LARGE_MARK + str(skipped + len(buf)).encode() + b":" + head
    elif buf.strip():
        yield line_no + 1, _line(buf)


def _json_default(value):
    """JSON for the Arrow values orjson does not know. The validator judges the result: a
    wrong column type becomes a `wrong_type` dead letter, an unused column does no harm."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:  # binary, not text: never a string field
            return {"base64": base64.b64encode(value).decode("ascii")}
    return str(value)  # Decimal, timedelta, MonthDayNano, ...


class _IoGuard:
    """Delegates to a file object and remembers an exception it raised, so that a decoder's
    error (a corrupt file: dead-lettered) is told apart from the storage's (retried)."""

    def __init__(self, raw):
        self._raw, self.error = raw, None

    def __getattr__(self, name):
        attr = getattr(self._raw, name)
        if not callable(attr):
            return attr

        def guarded(*args, **kwargs):
            try:
                return attr(*args, **kwargs)
            except Exception as err:
                self.error = err
                raise
        return guarded


def iter_parquet_records(fh) -> Iterator[tuple[int, bytes]]:
    """Yield (1-based row number, JSON bytes) of every row of a Parquet file. A file that
    cannot be decoded on (corrupt, cut short, not Parquet) ends with one `read_error` mark;
    an error of the underlying storage propagates."""
    import pyarrow.parquet as pq

    guard, row = _IoGuard(fh), 0
    try:
        for batch in pq.ParquetFile(guard).iter_batches(batch_size=1024):
            for record in batch.to_pylist():
                row += 1
                try:
                    yield row, orjson.dumps(record, default=_json_default)
                except orjson.JSONEncodeError as err:
                    yield row, read_error("unreadable_input", f"row {row} has no JSON form: {err}", b"")
    except MemoryError:
        raise
    except Exception as err:
        if guard.error is not None:
            raise
        yield row + 1, read_error("unreadable_input", f"parquet: {type(err).__name__}: {err}", b"")


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
                stream = open_decompressed(hashed, path)
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
        with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as fh:
            for row, data in iter_parquet_records(fh):
                yield path, row, data


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

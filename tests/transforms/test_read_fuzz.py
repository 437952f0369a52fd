"""Fuzzing the reader's pure core: every input line becomes exactly one turn or one dead
letter, a file cut short or corrupt costs only its damaged part (and says so with one dead
letter), and no exception escapes except the storage's own I/O errors (which the runner
retries)."""
import datetime as dt
import decimal
import gzip
import io
import json
import zlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

import tests.fuzz  # noqa: F401  (hypothesis profile)
from schemas.input import Turn
from tests.schemas.test_input import GOOD
from transforms.compressed import open_decompressed
from transforms.parse import PARSE_REASONS, parse_record
from transforms.read import (READ_ERROR_MARK, TOO_LARGE_MARK, iter_lines, iter_parquet_records,
                             parse_read_error, read_error)

MAX = 200  # small, so oversize lines are common


class Dribble(io.RawIOBase):
    """A file that returns short reads of the sizes given (legal for any file object), so
    lines cross read boundaries everywhere."""

    def __init__(self, data: bytes, sizes):
        self._data, self._sizes, self._pos, self._i = data, sizes or [7], 0, 0

    def read(self, n=-1):
        size = self._sizes[self._i % len(self._sizes)]
        self._i += 1
        chunk = self._data[self._pos:self._pos + min(size, n if n >= 0 else size)]
        self._pos += len(chunk)
        return chunk


def expected_lines(data: bytes, max_bytes: int = MAX) -> list:
    """The reader's contract, written independently: one record per non-blank line."""
    out = []
    for number, piece in enumerate(data.split(b"\n"), 1):
        if len(piece) > max_bytes:
            out.append((number, TOO_LARGE_MARK + str(len(piece)).encode() + b":" + piece[:1024]))
        elif piece.startswith(b"\x00"):
            out.append((number, read_error("invalid_json", "the line starts with a NUL byte", piece)))
        elif piece.strip():
            out.append((number, piece.rstrip(b"\r")))
    return out


def assert_each_becomes_a_turn_or_a_dead_letter(records):
    for line, raw in records:
        result = parse_record("f.jsonl", line, raw)
        if not isinstance(result, Turn):
            assert result["reason"] in PARSE_REASONS and result["reason"] != "internal_error", result
            assert (result["source"], result["line"]) == ("f.jsonl", line)


LINE = st.one_of(
    st.binary(max_size=40),
    st.sampled_from([json.dumps(GOOD).encode(), b"", b"  \t", b"\r", b"{}", b"\x00{}",
                     b"\x00too_large:12:x", b"\x00read_error:[\"x\",\"y\"]\nz", b"x" * (MAX + 1)]),
    st.binary(min_size=MAX - 2, max_size=MAX + 3),
)
TEXT = st.lists(LINE, max_size=12).map(b"\n".join) | st.binary(max_size=2000)


@given(TEXT, st.lists(st.integers(1, 300), min_size=1, max_size=5))
def test_fuzz_every_line_of_a_plain_file_is_one_record(data, sizes):
    got = list(iter_lines(Dribble(data, sizes), MAX))
    assert got == expected_lines(data)
    assert_each_becomes_a_turn_or_a_dead_letter(got)


def compress(kind: str, data: bytes, parts: int = 1) -> bytes:
    """`data` as one or more gzip members / zstd frames (both are legal files)."""
    step = -(-len(data) // parts) if data else 1
    chunks = [data[i:i + step] for i in range(0, len(data), step)] or [b""]
    if kind == "gz":
        return b"".join(gzip.compress(c, mtime=0) for c in chunks)
    return b"".join(zstandard.ZstdCompressor().compress(c) for c in chunks)


@given(TEXT, st.sampled_from(["gz", "zst"]), st.integers(1, 4), st.lists(st.integers(1, 300), max_size=3))
def test_fuzz_a_whole_compressed_file_reads_like_the_plain_one(data, kind, parts, sizes):
    stored = compress(kind, data, parts)
    got = list(iter_lines(open_decompressed(Dribble(stored, sizes), f"in.jsonl.{kind}"), MAX))
    assert got == expected_lines(data)


@given(TEXT.filter(bool), st.sampled_from(["gz", "zst"]), st.floats(0, 1, exclude_max=True))
def test_fuzz_a_cut_compressed_file_keeps_its_whole_lines_and_says_it_was_cut(data, kind, where):
    stored = compress(kind, data)
    cut = max(1, int(len(stored) * where))  # an empty file is simply empty
    got = list(iter_lines(open_decompressed(io.BytesIO(stored[:cut]), f"in.jsonl.{kind}"), MAX))
    # Every line the decoder could decode whole is kept; the cut line is the dead letter.
    decodable = decode_what_you_can(kind, stored[:cut])
    whole_lines = decodable[:decodable.rfind(b"\n") + 1]
    assert got[:-1] == expected_lines(whole_lines)
    last_line, mark = got[-1]
    assert last_line == whole_lines.count(b"\n") + 1
    reason, detail, _ = parse_read_error(mark)
    assert reason == "truncated_input" and "cut short" in detail
    assert_each_becomes_a_turn_or_a_dead_letter(got)


def decode_what_you_can(kind: str, stored: bytes) -> bytes:
    if kind == "gz":
        return zlib.decompressobj(31).decompress(stored)
    return zstandard.ZstdDecompressor().decompressobj().decompress(stored)


@given(TEXT.filter(lambda d: len(d) > 20), st.sampled_from(["gz", "zst"]),
       st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=4))
def test_fuzz_a_corrupt_compressed_file_never_raises(data, kind, flips):
    stored = bytearray(compress(kind, data))
    for where, mask in flips:
        stored[int(len(stored) * where)] ^= mask
    got = list(iter_lines(open_decompressed(io.BytesIO(bytes(stored)), f"in.jsonl.{kind}"), MAX))
    numbers = [n for n, _ in got]
    assert numbers == sorted(set(numbers))
    marks = [i for i, (_, raw) in enumerate(got) if raw.startswith(READ_ERROR_MARK)
             and parse_read_error(raw)[0] != "invalid_json"]
    assert marks in ([], [len(got) - 1])  # at most one, and reading stops there
    assert_each_becomes_a_turn_or_a_dead_letter(got)


class Flaky(io.RawIOBase):
    """Storage that fails after `ok` bytes, as a network read can."""

    def __init__(self, data: bytes, ok: int):
        self._data, self._ok, self._pos = data, ok, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, pos, whence=0):
        self._pos = {0: pos, 1: self._pos + pos, 2: len(self._data) + pos}[whence]
        return self._pos

    def tell(self):
        return self._pos

    def read(self, n=-1):
        end = len(self._data) if n < 0 else min(self._pos + n, len(self._data))
        if end > self._ok:  # a read that reaches the failure point fails whole
            raise ConnectionResetError("storage went away")
        chunk = self._data[self._pos:end]
        self._pos += len(chunk)
        return chunk

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


@pytest.mark.parametrize("name", ["in.jsonl", "in.jsonl.gz", "in.jsonl.zst"])
def test_a_storage_error_is_raised_for_a_retry_not_dead_lettered(name):
    data = b"\n".join(json.dumps(dict(GOOD, turn_id=i)).encode() for i in range(2000))
    stored = compress(name.rsplit(".", 1)[1], data) if name.endswith(("gz", "zst")) else data
    with pytest.raises(ConnectionResetError):
        list(iter_lines(open_decompressed(Flaky(stored, len(stored) // 2), name), 1 << 20))


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=3)
    return sink.getvalue()


def test_a_storage_error_while_reading_parquet_is_raised_not_dead_lettered():
    stored = parquet_bytes(pa.Table.from_pylist([dict(GOOD, turn_id=i) for i in range(50)]))
    with pytest.raises(ConnectionResetError):
        list(iter_parquet_records(Flaky(stored, len(stored) // 3)))


# Arrow types a producer may give each contract field by mistake, with a value of each.
WRONG_TYPES = {
    "string": (pa.string(), lambda i: f"v{i}"),
    "large_string": (pa.large_string(), lambda i: f"v{i}"),
    "int64": (pa.int64(), lambda i: i),
    "uint64": (pa.uint64(), lambda i: 2**64 - 1 - i),
    "float64": (pa.float64(), lambda i: i + 0.5),
    "bool": (pa.bool_(), lambda i: i % 2 == 0),
    "timestamp_utc": (pa.timestamp("us", tz="UTC"), lambda i: dt.datetime(2023, 4, 9, 0, 2, i, tzinfo=dt.timezone.utc)),
    "timestamp_naive": (pa.timestamp("ns"), lambda i: dt.datetime(2023, 4, 9, 0, 2, i)),
    "date": (pa.date32(), lambda i: dt.date(2023, 4, 9)),
    "time": (pa.time64("us"), lambda i: dt.time(0, 2, i)),
    "duration": (pa.duration("s"), lambda i: dt.timedelta(seconds=i)),
    "decimal": (pa.decimal128(20, 2), lambda i: decimal.Decimal(i) / 4),
    "binary_utf8": (pa.binary(), lambda i: b"203.0.113.7"),
    "binary_not_utf8": (pa.binary(), lambda i: b"\xff\xfe" + bytes([i % 256])),
    "list_string": (pa.list_(pa.string()), lambda i: ["user", "hi"]),
    "map": (pa.map_(pa.string(), pa.string()), lambda i: [("role", "user"), ("content", "hi")]),
    "struct": (pa.struct([("role", pa.string()), ("content", pa.string())]), lambda i: {"role": "user", "content": "hi"}),
    "dictionary": (pa.dictionary(pa.int8(), pa.string()), lambda i: "user"),
    "null": (pa.null(), lambda i: None),
    "nullable_string": (pa.string(), lambda i: None if i % 2 else "x"),
}


def good_column(name, n):
    values = [dict(GOOD, turn_id=i)[name] for i in range(n)]
    return pa.array(values)


@given(st.dictionaries(st.sampled_from(sorted(GOOD)), st.sampled_from(sorted(WRONG_TYPES)), max_size=4),
       st.integers(1, 7))
def test_fuzz_parquet_with_wrong_column_types_gives_one_record_per_row(wrong, rows):
    columns = {}
    for name in GOOD:
        if name in wrong:
            kind, make = WRONG_TYPES[wrong[name]]
            values = [make(i) for i in range(rows)]
            columns[name] = (pa.array(["user"] * rows).dictionary_encode() if wrong[name] == "dictionary"
                             else pa.array(values, type=kind))
        else:
            columns[name] = good_column(name, rows)
    stored = parquet_bytes(pa.table(columns))
    got = list(iter_parquet_records(io.BytesIO(stored)))
    assert [n for n, _ in got] == list(range(1, rows + 1))
    assert_each_becomes_a_turn_or_a_dead_letter(got)
    if not wrong:
        assert all(isinstance(parse_record("f", n, raw), Turn) for n, raw in got)


@pytest.mark.parametrize("column, kind, expected", [
    ("turn_id", "string", "wrong_type"),
    ("turn_id", "decimal", "wrong_type"),
    ("timestamp", "timestamp_utc", None),  # a typed UTC timestamp is fine
    ("timestamp", "timestamp_naive", "bad_timestamp"),  # no offset: which zone?
    ("timestamp", "duration", "bad_timestamp"),
    ("ip", "binary_utf8", None),  # bytes holding UTF-8 text are text
    ("response", "binary_not_utf8", "wrong_type"),  # binary data is never text
    ("messages", "list_string", "wrong_type"),
    ("consent", "string", "non_boolean_consent"),
])
def test_parquet_column_types_are_judged_by_the_contract(column, kind, expected):
    arrow_type, make = WRONG_TYPES[kind]
    columns = {name: good_column(name, 3) for name in GOOD}
    columns[column] = pa.array([make(i) for i in range(3)], type=arrow_type)
    got = list(iter_parquet_records(io.BytesIO(parquet_bytes(pa.table(columns)))))
    results = [parse_record("f", n, raw) for n, raw in got]
    reasons = [None if isinstance(r, Turn) else r["reason"] for r in results]
    assert reasons == [expected] * 3


@pytest.mark.parametrize("damage", ["cut in half", "cut footer", "empty", "not parquet", "flipped bytes"])
def test_a_broken_parquet_file_gives_its_good_rows_and_one_dead_letter(damage):
    stored = parquet_bytes(pa.Table.from_pylist([dict(GOOD, turn_id=i, response="r" * 200) for i in range(30)]))
    broken = {
        "cut in half": stored[:len(stored) // 2], "cut footer": stored[:-3], "empty": b"",
        "not parquet": b"PAR1 this is not a parquet file PAR1",
        "flipped bytes": stored[:200] + bytes(b ^ 0x5A for b in stored[200:400]) + stored[400:],
    }[damage]
    got = list(iter_parquet_records(io.BytesIO(broken)))
    *rows, (last, mark) = got
    assert [n for n, _ in rows] == list(range(1, len(rows) + 1)) and last == len(rows) + 1
    assert parse_read_error(mark)[0] == "unreadable_input"
    assert_each_becomes_a_turn_or_a_dead_letter(got)

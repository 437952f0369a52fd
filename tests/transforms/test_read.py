"""Reading every supported file kind, line numbers, and oversize lines."""
import gzip
import hashlib
import io

import apache_beam as beam

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import zstandard
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.read import TOO_LARGE_MARK, ReadRawRecords, iter_lines


def test_iter_lines_numbers_lines_and_skips_blank_ones():
    data = io.BytesIO(b'{"a":1}\r\n\n{"b":2}\n{"c":3}')
    assert list(iter_lines(data, 100)) == [(1, b'{"a":1}'), (3, b'{"b":2}'), (4, b'{"c":3}')]


def test_iter_lines_cuts_oversize_lines_without_losing_the_next_one():
    big = b"x" * (3 << 20)  # spans several read chunks
    data = io.BytesIO(b'{"a":1}\n' + big + b'\n{"b":2}\n')
    lines = list(iter_lines(data, 1000))
    assert [n for n, _ in lines] == [1, 2, 3]
    assert lines[1][1].startswith(TOO_LARGE_MARK + str(len(big)).encode() + b":xxx")
    assert len(lines[1][1]) < 1100
    assert lines[2] == (3, b'{"b":2}')


def test_every_file_kind_is_read_with_source_line_and_a_fingerprint(tmp_path):
    recs = [{"turn_id": i, "x": "é"} for i in range(3)]
    lines = b"".join(orjson.dumps(r) + b"\n" for r in recs)
    (tmp_path / "a.jsonl").write_bytes(lines + b"\n\n")  # blank lines hold no record
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "c.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(lines))
    pq.write_table(pa.Table.from_pylist(recs), tmp_path / "d.parquet")
    names = ("a.jsonl", "b.jsonl.gz", "c.jsonl.zst", "d.parquet")
    expected = [(str(tmp_path / name), i + 1, orjson.dumps(r)) for name in names
                for i, r in enumerate(recs)]
    # The fingerprint is of the stored (compressed) bytes, the whole file.
    fingerprints = [("second", str(tmp_path / name), (tmp_path / name).stat().st_size,
                     hashlib.sha256((tmp_path / name).read_bytes()).hexdigest(), 3,
                     (tmp_path / name).stat().st_mtime) for name in names]
    with TestPipeline() as p:
        got = p | ReadRawRecords(str(tmp_path / "*"), read_name="second")
        assert_that(got.records, equal_to(expected))
        assert_that(got.files | beam.Map(lambda f: (f["read"], f["path"], f["bytes"], f["sha256"],
                                                    f["records"], f["mtime"])),
                    equal_to(fingerprints), label="fingerprints")

"""ParseTurns: each raw record becomes one Turn or one dead letter with its reason and source;
a damaged input file costs only its damaged part; nasty text that is valid JSON is kept."""
import gzip
import hashlib
import json

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import Turn, parse_turn
from tests.data import nasty
from tests.schemas.test_input import GOOD
from transforms.deadletter import DEADLETTER
from transforms.parse import ParseTurns, parse_record
from transforms.read import ReadRawRecords, read_error


def line(**changes) -> bytes:
    return json.dumps(dict(GOOD, **changes)).encode()


def counters(result, namespace):
    found = result.metrics().query(MetricsFilter().with_namespace(namespace))["counters"]
    return {c.key.metric.name: c.committed for c in found}


def reasons(dead_letters):
    return dead_letters | beam.Map(lambda d: (d["source"], d["line"], d["reason"]))


def test_each_record_is_a_turn_or_a_dead_letter_with_its_reason():
    records = [
        ("a.jsonl", 1, line(turn_id=1)),
        ("a.jsonl", 2, b'{"turn_id": 2, '),  # cut mid-record
        ("a.jsonl", 3, line(turn_id=3, consent="yes")),
        ("a.jsonl", 4, line(turn_id=4, response="@@").replace(b"@@", rb"cut emoji \ud83d")),
        ("a.jsonl", 5, b"\x00too_large:9000000:{\"turn_id\": 5"),  # the reader cut this line
        ("b.jsonl.gz", 9, read_error("truncated_input", "the gzip stream ends early", b'{"tu')),
    ]
    p = TestPipeline()
    parsed = p | beam.Create(records) | ParseTurns()
    assert_that(parsed.turns | "Ids" >> beam.Map(lambda t: (t.turn_id, t.response, t.lone_surrogates)),
                equal_to([(1, GOOD["response"], 0), (4, "cut emoji \ufffd", 1)]), label="Turns")
    assert_that(reasons(parsed[DEADLETTER]), equal_to([
        ("a.jsonl", 2, "invalid_json"), ("a.jsonl", 3, "non_boolean_consent"),
        ("a.jsonl", 5, "record_too_large"), ("b.jsonl.gz", 9, "truncated_input")]), label="DeadLetters")
    result = p.run()
    result.wait_until_finish()
    assert counters(result, "parse") == {
        "total": 6, "forwarded": 2, "repaired_lone_surrogates": 1, "dropped_invalid_json": 1,
        "dropped_non_boolean_consent": 1, "dropped_record_too_large": 1, "dropped_truncated_input": 1}


def test_a_dead_letter_keeps_what_the_record_was_and_why():
    bad = line(turn_id=3, ip="999.1.2.3")
    d = parse_record("a.jsonl", 3, bad)
    assert d == {"reason": "invalid_ip", "detail": "", "source": "a.jsonl", "line": 3,
                 "raw_bytes": len(bad), "raw": bad.decode(), "raw_b64": None}
    too_large = parse_record("a.jsonl", 5, b"\x00too_large:9000000:{\"turn_id\": 5")
    assert (too_large["reason"], too_large["detail"], too_large["raw"]) == (
        "record_too_large", "9000000 bytes", '{"turn_id": 5')


def write_damaged_inputs(folder):
    """Four files of 400 records (300 KB: several zstd blocks) each: one whole, three
    damaged near their middle."""
    records = [line(turn_id=i, response=hashlib.sha512(str(i).encode()).hexdigest() * 3)
               for i in range(400)]  # text that does not compress away
    text = b"\n".join(records) + b"\n"
    (folder / "whole.jsonl").write_bytes(text)
    gz = gzip.compress(text, mtime=0)
    (folder / "cut.jsonl.gz").write_bytes(gz[:len(gz) // 2])
    zst = zstandard.ZstdCompressor().compress(text)
    (folder / "cut.jsonl.zst").write_bytes(zst[:len(zst) // 2])
    table = pa.Table.from_pylist([json.loads(r) for r in records])
    pq.write_table(table, folder / "broken.parquet", row_group_size=100)
    data = (folder / "broken.parquet").read_bytes()
    (folder / "broken.parquet").write_bytes(data[:-10])  # footer gone


def test_damaged_files_keep_their_whole_records_and_say_where_they_broke(tmp_path):
    write_damaged_inputs(tmp_path)
    p = TestPipeline()
    parsed = (p | ReadRawRecords(str(tmp_path / "*"))).records | ParseTurns()
    by_file = (parsed.turns | beam.Map(lambda t: (t.source.rsplit("/", 1)[1], 1))
               | "CountTurns" >> beam.CombinePerKey(sum))
    dead = parsed[DEADLETTER] | beam.Map(lambda d: (d["source"].rsplit("/", 1)[1], d["reason"]))

    def check_counts(got):
        got = dict(got)
        assert got["whole.jsonl"] == 400
        assert 0 < got.get("cut.jsonl.gz", 0) < 400 and 0 < got.get("cut.jsonl.zst", 0) < 400
        assert "broken.parquet" not in got  # Parquet needs its footer to read anything

    assert_that(by_file, check_counts, label="Turns")
    assert_that(dead, equal_to([("cut.jsonl.gz", "truncated_input"), ("cut.jsonl.zst", "truncated_input"),
                                ("broken.parquet", "unreadable_input")]), label="DeadLetters")
    p.run().wait_until_finish()


@pytest.mark.parametrize("case", nasty.CASES, ids=lambda c: c.name)
def test_nasty_text_is_kept_as_sent_or_refused_with_its_reason(case):
    limits = dict(max_messages=10_000, max_record_bytes=8 << 20)
    result = parse_record("nasty.jsonl", 1, nasty.line(case), **limits)
    expected = nasty.expected_reason(case, **limits)
    if expected is None:
        assert isinstance(result, Turn), result
        assert result.messages == nasty.expected_messages(case)
        assert result.response == nasty.expected_messages(nasty.Case("r", case.response))[-1][1]
    else:
        assert result["reason"] == expected


def test_the_sample_limits_refuse_ten_thousand_messages_and_a_huge_record():
    many, huge = nasty.by_name("ten_thousand_messages"), nasty.by_name("huge_5mb_message")
    assert parse_record("n", 1, nasty.line(many), max_messages=512)["reason"] == "too_many_messages"
    assert parse_record("n", 1, nasty.line(huge), max_record_bytes=1 << 20)["reason"] == "record_too_large"
    assert parse_turn(nasty.line(many), max_messages=10_000).user_turns == 5_000

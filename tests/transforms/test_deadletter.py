"""Dead letters: what could not be used, why, and where it came from, written as JSON lines
that read back exactly (the output is internal and sensitive: it holds the raw text)."""
import base64
import json

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline

from schemas.release import DEADLETTER_FIELDS
from transforms.deadletter import MAX_RAW_KEPT, WriteDeadLetters, dead_letter


def test_a_dead_letter_keeps_the_raw_text_its_reason_and_its_source():
    d = dead_letter("invalid_ip", "in/a.jsonl", 12, b'{"ip": "999.1.2.3"}', "not an address")
    assert d == {"reason": "invalid_ip", "detail": "not an address", "source": "in/a.jsonl",
                 "line": 12, "raw_bytes": 19, "raw": '{"ip": "999.1.2.3"}', "raw_b64": None}
    assert tuple(sorted(d)) == tuple(sorted(DEADLETTER_FIELDS))


def test_bytes_that_are_not_utf8_are_kept_as_base64():
    raw = b'{"model": "caf\xe9"}'
    d = dead_letter("undecodable_bytes", "a.jsonl", 1, raw)
    assert d["raw"] is None and base64.b64decode(d["raw_b64"]) == raw


def test_a_huge_line_keeps_its_first_64_kib_and_its_real_size():
    raw = b"x" + "\u00e9".encode() * 100_000  # 200 KB, the cut falls inside a character
    d = dead_letter("record_too_large", "a.jsonl", 1, raw)
    assert d["raw_bytes"] == 200_001
    # Still text (the split character is dropped), not base64.
    assert d["raw_b64"] is None and d["raw"] == "x" + "\u00e9" * (MAX_RAW_KEPT // 2 - 1)
    bad = b"\xff" + raw
    assert dead_letter("undecodable_bytes", "a.jsonl", 1, bad)["raw"] is None


def test_written_dead_letters_read_back_as_they_were(tmp_path):
    letters = [
        dead_letter("invalid_json", "a.jsonl", 1, b'{"turn_id": 1,', "unexpected end of data"),
        dead_letter("undecodable_bytes", "b.jsonl.gz", 2, b"\xff\xfe"),
        dead_letter("invalid_json", "c.jsonl", 3, '{"content": "\u05e9\u05dc\u05d5\u05dd \x00"'.encode()),
    ]
    with TestPipeline() as p:
        _ = p | beam.Create(letters) | WriteDeadLetters(str(tmp_path / "deadletter"))
    files = list((tmp_path / "deadletter").glob("deadletter-*.jsonl"))
    assert len(files) == 1
    got = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
    assert sorted(got, key=lambda d: d["line"]) == letters

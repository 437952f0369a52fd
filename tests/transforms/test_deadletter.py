"""Dead letters: what could not be used, why, and where it came from, written as JSON lines
that read back exactly (the output is internal and sensitive: it holds the raw text)."""
import base64
import json

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline

from schemas.release import DEADLETTER_FIELDS
from transforms.deadletter import MAX_RAW_KEPT, WriteDeadLetters, dead_letter, shard_of_letter


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


LETTERS = [
    dead_letter("invalid_json", "a.jsonl", 1, b'{"turn_id": 1,', "unexpected end of data"),
    dead_letter("undecodable_bytes", "b.jsonl.gz", 2, b"\xff\xfe"),
    dead_letter("invalid_json", "c.jsonl", 3, '{"content": "\u05e9\u05dc\u05d5\u05dd \x00"'.encode()),
    *(dead_letter("invalid_ip", "d.jsonl", n, b'{"ip": "x"}') for n in range(1, 8)),
]


def write(letters, folder, num_shards=3):
    with TestPipeline() as p:
        _ = p | beam.Create(letters) | WriteDeadLetters(str(folder), num_shards)
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir())}


def test_written_dead_letters_read_back_as_they_were_sharded_and_sorted(tmp_path):
    files = write(LETTERS, tmp_path / "deadletter")
    # Every shard is written, empty or not, so a reader knows it has them all.
    assert sorted(files) == [f"deadletter-{i:05d}-of-00003.jsonl" for i in range(3)]
    got = []
    for i, name in enumerate(sorted(files)):
        shard = [json.loads(line) for line in files[name].decode("utf-8").splitlines()]
        assert all(shard_of_letter(d, 3) == i for d in shard)
        assert [(d["source"], d["line"]) for d in shard] == sorted((d["source"], d["line"]) for d in shard)
        got += shard
    assert sorted(got, key=lambda d: (d["source"], d["line"])) == LETTERS


def test_the_same_dead_letters_give_the_same_bytes_in_any_order(tmp_path):
    assert write(LETTERS, tmp_path / "a") == write(LETTERS[::-1], tmp_path / "b")

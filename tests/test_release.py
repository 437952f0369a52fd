"""The release end to end on the bundled sample: counts, truth, privacy, determinism, format."""
from __future__ import annotations

import collections
import json
import os
import pathlib

import pyarrow.parquet as pq
import pytest

from tests.conftest import SAMPLE, TEST_KEY, run_cli, run_release
from pipelines.publish import COUNT_KEYS, check_counts
from schemas.release import release_schema


def content(messages):
    return tuple((m["role"], m["content"]) for m in messages)


def sample_ips():
    """Every `ip` value of the sample input, read straight from the files."""
    import gzip

    import zstandard
    ips = set()
    for path in SAMPLE.glob("turns-*"):
        if path.suffix == ".parquet":
            ips.update(pq.read_table(path, columns=["ip"]).column("ip").to_pylist())
            continue
        data = path.read_bytes()
        data = gzip.decompress(data) if path.suffix == ".gz" else (
            zstandard.ZstdDecompressor().decompressobj().decompress(data) if path.suffix == ".zst" else data)
        for line in data.splitlines():
            try:
                ips.add(json.loads(line)["ip"])
            except Exception:
                pass
    return {ip for ip in ips if isinstance(ip, str) and ip}


def test_counts_add_up_and_match_the_generator(sample_release, truth):
    _, manifest, _ = sample_release
    counts = manifest["counts"]
    assert sorted(counts) == sorted(COUNT_KEYS)
    assert counts["input_records"] == (counts["deadletter"] + counts["filtered_no_consent"]
                                       + counts["duplicate_turns"] + counts["linked_turns"])
    assert counts == truth["counts"]


def test_every_linked_turn_is_in_a_released_conversation(sample_release):
    _, manifest, _ = sample_release
    assert manifest["stats"]["link.turns_in_conversations"] == manifest["counts"]["linked_turns"]


def test_publishing_refuses_counts_that_lose_a_record_or_a_turn():
    counts = {"input_records": 10, "deadletter": 1, "filtered_no_consent": 2, "duplicate_turns": 1,
              "linked_turns": 6, "released_conversations": 3}
    check_counts(counts, {"link.turns_in_conversations": 6})
    with pytest.raises(RuntimeError, match="do not add up"):
        check_counts(dict(counts, deadletter=0))
    with pytest.raises(RuntimeError, match="6 linked turns but 5 in released conversations"):
        check_counts(counts, {"link.turns_in_conversations": 5})


def test_released_content_is_exactly_the_truth(unscrubbed_rows, truth):
    got = collections.Counter(content(r["conversation"]) for r in unscrubbed_rows)
    expected = collections.Counter(tuple(map(tuple, c["messages"])) for c in truth["conversations"])
    assert got == expected


def test_distinguishable_conversations_have_exactly_their_turns(sample_rows, truth):
    got = {tuple(m["turn_identifier"] for m in r["conversation"] if m["role"] == "user"): r
           for r in sample_rows}
    checked = 0
    for conv in truth["conversations"]:
        if conv["ambiguous"]:
            continue
        row = got[tuple(conv["turn_ids"])]
        assert row["orphan"] == conv["orphan"]
        assert row["turn"] == sum(1 for m in conv["messages"] if m[0] == "user")
        checked += 1
    assert checked > 100


def test_every_dead_letter_has_reason_source_line_and_raw(sample_release, truth):
    out, manifest, _ = sample_release
    lines = [json.loads(l) for f in (out / "deadletter").glob("*.jsonl") for l in f.read_text().splitlines()]
    assert len(lines) == manifest["counts"]["deadletter"]
    for d in lines:
        assert d["reason"] and d["reason"] == d["reason"].lower()
        assert d["source"].startswith(str(SAMPLE)) and d["line"] >= 1
        assert d["raw"] is not None or d["raw_b64"] is not None
    reasons = {d["reason"] for d in lines}
    assert {"invalid_json", "undecodable_bytes", "invalid_ip", "bad_timestamp", "unknown_role",
            "non_boolean_consent", "history_not_ending_with_user", "json_too_deep"} <= reasons
    assert not (out / "release" / "deadletter").exists()


def test_no_raw_ip_reaches_the_release_or_the_logs(sample_release):
    out, _, proc = sample_release
    ips = sample_ips()
    assert len(ips) > 50
    release_bytes = b"".join(p.read_bytes() for p in (out / "release").rglob("*") if p.is_file())
    table_text = pq.read_table(out / "release" / "data").to_pandas().to_json()
    logs = proc.stdout + proc.stderr
    leaked = [ip for ip in ips if ip in table_text or ip.encode() in release_bytes or ip in logs]
    assert leaked == []
    assert TEST_KEY not in logs and TEST_KEY not in (out / "release" / "manifest.json").read_text()


def test_release_layout_schema_and_manifest(sample_release):
    out, manifest, proc = sample_release
    files = sorted(p.name for p in (out / "release" / "data").iterdir())
    n = manifest["config"]["release"]["num_shards"]
    assert files == [f"train-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
    for shard in manifest["shards"]:
        f = pq.ParquetFile(out / "release" / shard["file"])
        assert f.schema_arrow.remove_metadata() == release_schema().remove_metadata()
        assert f.metadata.num_rows == shard["rows"]
        assert f.metadata.row_group(0).column(0).compression == "ZSTD"
    assert sum(s["rows"] for s in manifest["shards"]) == manifest["counts"]["released_conversations"]
    assert manifest["ip_hash_key"] == {"fingerprint": manifest["ip_hash_key"]["fingerprint"],
                                       "origin": "env", "ephemeral": False}
    assert manifest["strategies"]["linking"] == "prefix_v1"
    assert "input records" in proc.stdout and "linked" in proc.stdout
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_release_opens_with_pandas_and_datasets(sample_release):
    out, manifest, _ = sample_release
    import datasets
    import pandas as pd

    df = pd.read_parquet(out / "release" / "data")
    assert len(df) == manifest["counts"]["released_conversations"]
    ds = datasets.load_dataset("parquet", data_files=str(out / "release" / "data" / "*.parquet"),
                               split="train", cache_dir=str(out / "hf-cache"))
    assert ds.num_rows == len(df)
    first = ds[0]
    assert set(first["conversation"][0]) >= {"content", "role", "turn_identifier", "hashed_ip", "header"}
    assert len(first["conversation_hash"]) == 32


def test_a_rerun_with_the_same_key_gives_the_same_content(sample_release, tmp_path):
    out, manifest, _ = sample_release
    again = run_release(tmp_path)
    assert [s["sha256"] for s in again["shards"]] == [s["sha256"] for s in manifest["shards"]]
    assert again["counts"] == manifest["counts"]


def test_a_failed_run_leaves_the_release_intact_and_a_rerun_replaces_it(tmp_path, fast_config, monkeypatch):
    first = run_release(tmp_path, config=fast_config)
    before = (tmp_path / "release" / "manifest.json").read_text()
    shards_before = {p.name: p.read_bytes() for p in (tmp_path / "release" / "data").iterdir()}

    from transforms import write

    def crash(self, shard, parts):
        raise OSError("disk full")
    # In-process workers, so the patched finalizer runs: the run dies after parts were written.
    monkeypatch.setattr(write._FinalizeShardFn, "process", crash)
    with pytest.raises(Exception, match="disk full"):
        run_release(tmp_path, config=fast_config, extra=["--direct_running_mode=in_memory"])
    monkeypatch.undo()
    assert (tmp_path / "release" / "manifest.json").read_text() == before
    assert {p.name: p.read_bytes() for p in (tmp_path / "release" / "data").iterdir()} == shards_before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".staging")]
    second = run_release(tmp_path, config=fast_config)
    assert second["shards"] == first["shards"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deadletter", "release"]


def test_a_missing_spacy_model_stops_the_run_before_it_starts(tmp_path):
    import yaml

    cfg = yaml.safe_load(pathlib.Path("configs/sample.yaml").read_text())
    cfg["pii"]["models"] = {"en": "en_core_web_xl_not_installed"}
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(cfg))
    proc = run_cli(tmp_path / "out", config=str(path))
    assert proc.returncode == 2 and "'en_core_web_xl_not_installed'" in proc.stderr


def test_a_release_without_a_key_refuses_to_run(tmp_path):
    proc = run_cli(tmp_path, key=None, config="configs/release.yaml")
    assert proc.returncode == 2
    assert "WCHAT_IP_HASH_KEY" in proc.stderr
    assert not (tmp_path / "release").exists()


def test_the_sample_config_uses_an_ephemeral_key_and_says_so(tmp_path, fast_config):
    manifest = run_release(tmp_path, key=None, config=fast_config)
    assert manifest["ip_hash_key"]["ephemeral"] is True


def test_a_bad_config_value_is_quoted(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("linking:\n  strategy: magic\n")
    proc = run_cli(tmp_path, config=str(bad))
    assert proc.returncode == 2 and "'magic'" in proc.stderr


def test_every_conversation_gets_the_language_it_was_written_in(unscrubbed_rows, truth):
    by_content = {content(r["conversation"]): r for r in unscrubbed_rows}
    wrong = [(c["lang"], by_content[tuple(map(tuple, c["messages"]))]["language_code"])
             for c in truth["conversations"]
             if by_content[tuple(map(tuple, c["messages"]))]["language_code"] != c["lang"]]
    assert wrong == []
    assert all(m["language"] and m["language_code"] for r in unscrubbed_rows for m in r["conversation"])


def test_no_planted_pii_or_secret_survives_and_only_pii_changed(sample_rows, unscrubbed_rows, truth):
    text = "\n".join(m["content"] for r in sample_rows for m in r["conversation"])
    survivors = [p for p in truth["pii"] if p["value"] in text]
    assert survivors == []
    raw = {r["conversation_id"]: r for r in unscrubbed_rows}
    changed_without_pii = []
    for row in sample_rows:
        for m, before in zip(row["conversation"], raw[row["conversation_id"]]["conversation"]):
            assert m["redacted"] == (m["content"] != before["content"])
            planted = any(p["value"] in before["content"] for p in truth["pii"])
            if m["redacted"] and not planted and m["role"] == "user":
                changed_without_pii.append(before["content"][:80])
        assert row["redacted"] == any(m["redacted"] for m in row["conversation"])
    assert changed_without_pii == []


def test_the_manifest_counts_redactions_and_coverage(sample_release, truth):
    _, manifest, proc = sample_release
    stats = manifest["stats"]
    assert manifest["scrubbed"] is True and "NOT scrubbed" not in proc.stdout
    planted = collections.Counter(p["type"] for p in truth["pii"])
    for entity in planted:
        assert stats[f"pii.redactions.{entity}"] >= planted[entity] * 0.9
    assert stats["pii.messages.ner+patterns.en"] > 0 and stats["pii.messages.patterns.zh"] > 0

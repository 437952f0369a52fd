"""The release end to end on the bundled sample: counts, truth, privacy, determinism, format."""
from __future__ import annotations

import collections
import hashlib
import json
import os
import pathlib

import pyarrow.parquet as pq
import pytest

from tests.conftest import ONE_PROCESS, SAMPLE, TEST_KEY, current_files, input_records, run_cli, run_release
from pipelines import layout
from schemas.release import release_schema
from schemas.sft import sft_schema
from transforms.stats import COUNT_KEYS


def content(messages):
    return tuple((m["role"], m["content"]) for m in messages)


def sample_ips():
    """Every `ip` value of the sample input, read straight from the files."""
    return {ip for r in input_records(SAMPLE) if isinstance(ip := r.get("ip"), str) and ip}


def test_counts_add_up_and_match_the_generator(sample_release, truth):
    _, manifest, _ = sample_release
    counts = manifest["counts"]
    assert sorted(counts) == sorted(COUNT_KEYS)
    assert counts["input_records"] == (counts["deadletter"] + counts["filtered_no_consent"]
                                       + counts["duplicate_turns"] + counts["linked_turns"])
    assert counts == truth["counts"]


def test_the_flow_after_linking_closes_and_the_manifest_shows_it(sample_release):
    _, manifest, _ = sample_release
    c, r = manifest["counts"], manifest["reconciliation"]
    assert r["turns_in_conversations"] == c["linked_turns"]
    assert r["reread_records"] == r["input_records"] == c["input_records"]
    assert r["plans"] == r["conversations"] == r["rows"] and r["plans_without_record"] == 0
    assert set(manifest["config"]["release"]["variants"]) == {"full", "nontoxic"}
    assert set(r["variants"]) == {"full", "nontoxic", "sft"}  # the variants and the sft export
    assert r["variants"]["full"]["rows"] == c["released_conversations"] == r["rows"]  # none withheld
    assert 0 < r["variants"]["sft"]["rows"] < r["variants"]["nontoxic"]["rows"] < r["rows"]
    for name, v in r["variants"].items():
        counted = manifest["stats"]["sft.rows" if name == "sft" else f"variants.{name}.rows"]
        assert v["rows"] == v["rows_in_parts"] == v["rows_in_shards"] == counted
    assert manifest["stats"]["duplicates.rows"] == r["rows"]  # every row took part
    files = {f["path"]: f for f in manifest["input_files"]}
    assert sorted(files) == sorted(str(p) for p in SAMPLE.glob("turns-*"))
    assert sum(f["records"] for f in files.values()) == c["input_records"]


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
    lines = [json.loads(l) for f in (out / "deadletter" / manifest["run_id"]).glob("*.jsonl")
             for l in f.read_text().splitlines()]
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
    table_text = pq.read_table(current_files(out)).to_pandas().to_json()
    logs = proc.stdout + proc.stderr
    leaked = [ip for ip in ips if ip in table_text or ip.encode() in release_bytes or ip in logs]
    assert leaked == []
    assert TEST_KEY not in logs and TEST_KEY not in json.dumps(layout.read_manifest(str(out)))


def test_release_layout_schema_and_manifest(sample_release):
    out, manifest, proc = sample_release
    run = manifest["run_id"]
    assert (out / "release" / "LATEST").read_text() == f"{run}\n"
    n = manifest["config"]["release"]["num_shards"]
    for variant in ("full", "nontoxic", "sft"):
        files = sorted(p.name for p in (out / "release" / run / "data" / variant).iterdir())
        assert files == [f"train-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
        assert layout.data_files(str(out), variant) == [
            str(out / "release" / run / "data" / variant / name) for name in files]
    for shard in manifest["shards"]:
        path = out / "release" / run / shard["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == shard["sha256"]
        assert path.stat().st_size == shard["bytes"]
        f = pq.ParquetFile(path)
        schema = sft_schema() if shard["variant"] == "sft" else release_schema()
        assert f.schema_arrow.remove_metadata() == schema.remove_metadata()
        assert pq.read_table(path).nbytes == shard["arrow_bytes"]
        assert f.metadata.num_rows == shard["rows"]
        assert f.metadata.row_group(0).column(0).compression == "ZSTD"
    assert sum(s["rows"] for s in manifest["shards"] if s["variant"] == "full") == \
        manifest["counts"]["released_conversations"]
    assert manifest["ip_hash_key"] == {"fingerprint": manifest["ip_hash_key"]["fingerprint"],
                                       "origin": "env", "ephemeral": False}
    assert manifest["strategies"]["linking"] == "prefix_v3"
    assert f"release {run}" in proc.stdout and "input records" in proc.stdout
    assert sorted(p.name for p in (out / "release").iterdir()) == sorted(["LATEST", "README.md", run])
    assert list((out / "tmp").iterdir()) == []


def test_release_opens_with_pandas_and_datasets(sample_release):
    out, manifest, _ = sample_release
    import datasets
    import pandas as pd

    df = pd.read_parquet(current_files(out))
    assert len(df) == manifest["counts"]["released_conversations"]
    # The card at OUT/release/README.md points Hugging Face at the current run's files.
    ds = datasets.load_dataset(str(out / "release"), split="train", cache_dir=str(out / "hf-cache"))
    assert ds.num_rows == len(df)
    first = ds[0]
    assert set(first["conversation"][0]) >= {"content", "role", "turn_identifier", "hashed_ip", "header"}
    assert len(first["conversation_hash"]) == 32
    nontoxic = datasets.load_dataset(str(out / "release"), "nontoxic", split="train",
                                     cache_dir=str(out / "hf-cache"))
    assert nontoxic.num_rows == manifest["reconciliation"]["variants"]["nontoxic"]["rows"]


def test_a_rerun_with_the_same_key_gives_the_same_content(sample_release, tmp_path):
    out, manifest, _ = sample_release  # from the CLI, two worker processes
    again = run_release(tmp_path, extra=ONE_PROCESS)
    assert [s["sha256"] for s in again["shards"]] == [s["sha256"] for s in manifest["shards"]]
    assert again["counts"] == manifest["counts"]


def copy_release(src, dst):
    import shutil

    shutil.copytree(src, dst)
    return dst, {p.relative_to(dst): p.read_bytes() for p in dst.rglob("*") if p.is_file()}


def test_a_failed_run_leaves_the_release_intact_and_the_next_run_cleans_up(
        tmp_path, fast_config, fast_release, monkeypatch):
    out, before = copy_release(fast_release[0], tmp_path / "out")
    previous = fast_release[1]["run_id"]
    from transforms import write

    def crash(self, element):
        raise OSError("disk full")
    # In-process workers, so the patched finalizer runs: the run dies after parts were written.
    monkeypatch.setattr(write._FinalizeShardFn, "process", crash)
    with pytest.raises(Exception, match="disk full"):
        run_release(out, config=fast_config, extra=["--direct_running_mode=in_memory"])
    monkeypatch.undo()
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # the failed run removed everything it wrote

    # Debris of an older crashed run, and a run that started later and may still be running.
    (out / "tmp" / "20000101T000000Z-0a0a0a" / "parts").mkdir(parents=True)
    (out / "release" / "20000101T000000Z-0a0a0a" / "data").mkdir(parents=True)
    (out / "release" / "29990101T000000Z-0b0b0b").mkdir()
    second = run_release(out, config=fast_config, extra=ONE_PROCESS)
    assert layout.latest_run(str(out)) == second["run_id"] != previous
    assert second["shards"] == fast_release[1]["shards"]
    assert sorted(p.name for p in (out / "release").iterdir()) == sorted(
        ["LATEST", "README.md", previous, second["run_id"], "29990101T000000Z-0b0b0b"])
    assert sorted(p.name for p in (out / "deadletter").iterdir()) == sorted([previous, second["run_id"]])
    assert list((out / "tmp").iterdir()) == []
    assert layout.read_manifest(str(out), previous) == fast_release[1]  # kept for readers mid-switch


def test_a_run_that_loses_data_or_reads_a_changed_input_publishes_nothing_and_says_where(
        tmp_path, fast_config, fast_release, monkeypatch):
    """Three faults in one run; each is named with its step and numbers."""
    import re
    import shutil
    import zlib

    import apache_beam as beam

    from pipelines import publish, release
    from transforms import read, write

    out, before = copy_release(fast_release[0], tmp_path / "out")
    inputs = shutil.copytree(SAMPLE, tmp_path / "in")
    changed = str(inputs / "turns-00.jsonl")

    real_read, appended = read._ReadFileFn.process, []

    def read_then_append_a_line(self, readable):  # the file is rewritten between the two reads
        yield from real_read(self, readable)
        if readable.metadata.path == changed and not appended:
            appended.append(changed)
            with open(changed, "ab") as fh:
                fh.write(b'{"turn_id": 1}\n')

    real_assemble = release.AssembleConversations

    def assemble_losing_plans(plans, *args, **kwargs):  # plans lost on their way to Assemble
        lost = plans | "LosePlans" >> beam.Filter(lambda kv: zlib.crc32(repr(kv[0]).encode()) % 16 != 0)
        return real_assemble(lost, *args, **kwargs)

    real_parts = write._WritePartsFn.process

    def write_losing_rows(self, row):  # rows the writer drops
        if not row["conversation_id"].endswith("7"):
            yield from real_parts(self, row)

    monkeypatch.setattr(read._ReadFileFn, "process", read_then_append_a_line)
    monkeypatch.setattr(release, "AssembleConversations", assemble_losing_plans)
    monkeypatch.setattr(write._WritePartsFn, "process", write_losing_rows)
    with pytest.raises(publish.NotPublished) as refused:
        run_release(out, config=fast_config, input=str(inputs / "turns-*"),
                    extra=["--direct_running_mode=in_memory"])
    monkeypatch.undo()
    message = str(refused.value)
    assert "nothing was published" in message
    n = sum(1 for line in (SAMPLE / "turns-00.jsonl").read_bytes().splitlines() if line.strip())
    assert re.search(rf"input changed between the two reads: {re.escape(changed)}: bytes \d+ -> \d+, "
                     rf"records ({n} -> {n + 1}|{n + 1} -> {n}), .*sha256", message)
    plans = fast_release[1]["reconciliation"]["plans"]
    lost = re.search(rf"assemble: {plans} plans but (\d+) conversations assembled and 0 plans without "
                     r"a record \(\+(\d+) lost between Link and Assemble\)", message)
    assert lost and plans - int(lost[1]) == int(lost[2]) > 0
    dropped = re.search(r"write \(full\): (\d+) rows were sent to the writer but its part files hold (\d+) "
                        r"\(-(\d+)\)", message)
    assert dropped and int(dropped[1]) - int(dropped[2]) == int(dropped[3]) > 0
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


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
    manifest = run_release(tmp_path, key=None, config=fast_config, extra=ONE_PROCESS)
    assert manifest["ip_hash_key"]["ephemeral"] is True


def test_a_bad_config_value_is_quoted(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("linking:\n  strategy: magic\n")
    proc = run_cli(tmp_path, config=str(bad))
    assert proc.returncode == 2 and "'magic'" in proc.stderr


def test_every_conversation_gets_the_language_it_was_written_in(unscrubbed_rows, truth):
    by_content = {content(r["conversation"]): r for r in unscrubbed_rows}
    # (Nasty-text cases without a certain language are checked in test_nasty_release.py.)
    wrong = [(c["lang"], by_content[tuple(map(tuple, c["messages"]))]["language_code"])
             for c in truth["conversations"] if c["lang"] is not None
             if by_content[tuple(map(tuple, c["messages"]))]["language_code"] != c["lang"]]
    assert wrong == []
    assert all(m["language"] and m["language_code"] for r in unscrubbed_rows for m in r["conversation"])


def test_no_planted_pii_or_secret_survives_and_only_pii_changed(sample_rows, unscrubbed_rows, truth):
    text = "\n".join(m["content"] for r in sample_rows for m in r["conversation"])
    survivors = [p for p in truth["pii"] if p["value"] in text]
    assert survivors == []
    raw = {r["conversation_id"]: r for r in unscrubbed_rows}
    # Nasty-text cases hide their PII behind invisible characters: test_nasty_release.py.
    nasty_ids = {c["turn_ids"][0] for c in truth["conversations"] if c.get("nasty")}
    changed_without_pii = []
    for row in sample_rows:
        if row["conversation"][0]["turn_identifier"] in nasty_ids:
            continue
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
    # Chinese has a NER model now (jieba); Arabic still has patterns only, and both are counted.
    assert stats["pii.messages.ner+patterns.en"] > 0 and stats["pii.messages.ner+patterns.zh"] > 0
    assert stats["pii.messages.patterns.ar"] > 0 and "pii.messages.ner+patterns.ar" not in stats


def test_the_direct_runner_never_downloads_prism():
    from pipelines.release import NO_PRISM, _offline_direct_runner

    assert NO_PRISM in _offline_direct_runner([])  # Beam's default runner is the DirectRunner
    assert NO_PRISM in _offline_direct_runner(["--runner=DirectRunner", "--direct_num_workers=2"])
    assert _offline_direct_runner(["--runner=DataflowRunner"]) == ["--runner=DataflowRunner"]
    mine = ["--prism_location=/opt/prism"]
    assert _offline_direct_runner(mine) == mine

"""Snapshot diff: what moved between two releases, found wherever the previous one lives."""
import json

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import diff
from pipelines.diff import Snapshot, diff_snapshots, load_snapshot
from pipelines.report import schema_fields
from schemas.release import release_schema
from transforms.dataset_stats import summarize_rows


def rows(langs: dict, model="gpt-4"):
    out = []
    for lang, n in langs.items():
        for i in range(n):
            out.append({"conversation_id": f"{lang}{i}", "language": lang, "model": model,
                        "turn": 1, "conversation": [{"role": "user", "content": "hi there",
                                                     "language": lang}]})
    return out


def manifest(run_id, conversations, **config):
    return {"run_id": run_id, "schema_version": "wchat-release/1",
            "counts": {"released_conversations": conversations, "input_records": conversations},
            "stats": {"deadletter.invalid_json": 2, "language.conversations.Zulu": 1},
            "strategies": {"pii": "presidio_v1"},
            "config": {"input": "a/*", "output": "x", "release": {"num_shards": 2}, **config}}


def test_moved_shares_new_and_vanished_values_schema_and_config_changes():
    before = summarize_rows(rows({"English": 60, "French": 30, "German": 10}), k=10)
    after = summarize_rows(rows({"English": 60, "French": 12, "Korean": 28}, model="gpt-4o"), k=10)
    schema = schema_fields(release_schema())
    grown = schema_fields(release_schema().append(pa.field("toxic_score", pa.float64())))
    previous = Snapshot(manifest("20240101T000000Z-aaaaaa", 100), before, schema)
    current = Snapshot(dict(manifest("20240201T000000Z-bbbbbb", 100, input="b/*"),
                            strategies={"pii": "presidio_v2"}), after, grown)
    d = diff_snapshots(previous, current, min_share_change=0.05)
    shares = {(e["value"], e["change"]) for e in d["shares"]["language"]}
    assert shares == {("French", -0.18), ("Korean", 0.28), ("German", -0.1)}  # English: 0.6 -> 0.6
    assert d["new"] == {"language": ["Korean"], "model": ["gpt-4o"], "country": []}
    assert d["vanished"] == {"language": ["German"], "model": ["gpt-4"], "country": []}
    assert d["schema"]["added"] == [{"field": "toxic_score", "type": "double"}]
    assert d["schema"]["removed"] == d["schema"]["changed"] == []
    assert d["strategies"] == [{"name": "pii", "previous": "presidio_v1", "current": "presidio_v2"}]
    assert d["config"] == []  # input/output are where a run reads, not what it does
    assert d["numbers"] == []  # same counts
    text = json.dumps(d)
    assert "Zulu" not in text  # manifest counters per language are not folded: never diffed


def test_counts_that_moved_and_counters_that_appeared():
    a = Snapshot(manifest("20240101T000000Z-aaaaaa", 100), None, None)
    b_manifest = manifest("20240201T000000Z-bbbbbb", 150, release={"num_shards": 4})
    b_manifest["stats"]["deadletter.bad_timestamp"] = 3
    d = diff_snapshots(a, Snapshot(b_manifest, None, None))
    moved = {n["name"]: (n["previous"], n["current"], n["relative_change"]) for n in d["numbers"]}
    assert moved == {"counts.input_records": (100, 150, 0.5),
                     "counts.released_conversations": (100, 150, 0.5),
                     "stats.deadletter.bad_timestamp": (0, 3, None)}
    assert d["config"] == [{"name": "release.num_shards", "previous": 2, "current": 4}]
    assert any("no stats.json" in n for n in d["notes"])


def _write(path, doc):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))


def test_a_previous_snapshot_is_found_in_every_layout(tmp_path):
    run = "20240101T000000Z-aaaaaa"
    stats = summarize_rows(rows({"English": 10}), k=1)
    stats["schema"] = schema_fields(release_schema())
    m = manifest(run, 10)
    out = tmp_path / "out"
    (out / "release").mkdir(parents=True)
    (out / "release" / "LATEST").write_text(run + "\n")
    _write(out / "release" / run / "manifest.json", m)
    _write(out / "report" / run / "stats.json", stats)
    for where in (out, out / "release", out / "release" / run):
        snap = load_snapshot(str(where))
        assert (snap.manifest, snap.stats, snap.run_id) == (m, stats, run), where
    assert load_snapshot(str(out / "report" / run)).stats == stats  # a report folder alone

    # the layout before run ids: OUT/release/manifest.json, schema read from the data file
    old = tmp_path / "old"
    table = pa.Table.from_pylist([], schema=release_schema())
    (old / "release" / "data").mkdir(parents=True)
    pq.write_table(table, old / "release" / "data" / "train-00000-of-00001.parquet")
    _write(old / "release" / "manifest.json", dict(m, shards=[
        {"file": "data/train-00000-of-00001.parquet", "rows": 0, "bytes": 1}]))
    snap = load_snapshot(str(old))
    assert snap.stats is None and snap.schema == schema_fields(release_schema())

    assert load_snapshot(str(tmp_path / "nothing")) is None


def test_the_command_line(tmp_path, capsys):
    for name, langs in (("a", {"English": 20}), ("b", {"English": 10, "French": 10})):
        _write(tmp_path / name / "stats.json", summarize_rows(rows(langs), k=10))
    assert diff.main(["--previous", str(tmp_path / "a"), "--current", str(tmp_path / "b"),
                      "--output", str(tmp_path / "diff.json")]) == 0
    d = json.loads((tmp_path / "diff.json").read_text())
    assert d["new"]["language"] == ["French"]
    assert "French" in capsys.readouterr().out
    assert diff.main(["--previous", str(tmp_path / "none"), "--current", str(tmp_path / "b")]) == 2


def test_a_second_run_with_previous_writes_a_diff(sample_release, fast_config, fast_release,
                                                  tmp_path):
    """The fast config (language and PII off) run again into the fast release's OUT, diffed
    against the sample release given by --previous (not the release current at OUT)."""
    import shutil

    from tests.conftest import run_release

    out = tmp_path / "out"
    shutil.copytree(fast_release[0], out)
    sample_out, sample_manifest, _ = sample_release
    manifest = run_release(out, config=fast_config, extra=[
        "--previous", str(sample_out), "--direct_running_mode=in_memory", "--direct_num_workers=1"])
    report = out / "report" / manifest["run_id"]
    d = json.loads((report / "diff.json").read_text())
    assert d["previous"]["run_id"] == sample_manifest["run_id"]
    assert "English" in d["vanished"]["language"]  # language detection was off
    previous_pii = sample_manifest["strategies"]["pii"]  # ner_rules_v3 today
    assert {"name": "pii", "previous": previous_pii, "current": "none"} in d["strategies"]
    assert not any(n["name"].startswith("counts.") for n in d["numbers"])  # same input
    assert d["schema"] == {"added": [], "removed": [], "changed": []}
    md = (report / "report.md").read_text()
    assert f"Against snapshot `{sample_manifest['run_id']}`" in md and "English" in md


def test_by_default_the_diff_is_against_the_release_current_at_out(fast_release):
    """fast_release is the first run at its OUT: nothing to diff against."""
    out, manifest = fast_release
    assert not (out / "report" / manifest["run_id"] / "diff.json").exists()
    assert "first release" in (out / "report" / manifest["run_id"] / "report.md").read_text()

"""The release layout's reader contract and the publisher's clean-up, on files written through
Beam's FileSystems (tests/test_object_store.py runs the same scenarios on s3://)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from apache_beam.io.filesystems import FileSystems

from pipelines import layout, publish

OLD, PREVIOUS, CURRENT, NEWER = ("20240101T000000Z-aaaaaa", "20240102T000000Z-bbbbbb",
                                 "20240103T000000Z-cccccc", "20240104T000000Z-dddddd")


def put(path: str, data: bytes = b"x") -> None:
    with FileSystems.create(path) as fh:
        fh.write(data)


def files_under(out: str) -> list:
    prefix = out.rstrip("/") + "/"
    return sorted(m.path[len(prefix):] for m in FileSystems.match([prefix + "**"])[0].metadata_list)


def plant_runs(out: str, put=put) -> None:
    """An output folder after a few runs: OLD (superseded), PREVIOUS (what LATEST named
    before CURRENT), CURRENT (just committed), NEWER (started later, maybe still running), a
    crashed run's pointer file and a file that is not a run's."""
    for run in (OLD, PREVIOUS, CURRENT, NEWER):
        put(f"{out}/release/{run}/data/full/train-00000-of-00001.parquet")
        put(f"{out}/deadletter/{run}/deadletter-00000-of-00001.jsonl")
        put(f"{out}/tmp/{run}/parts/full/shard-00000/p.parquet")
    put(f"{out}/report/{OLD}/stats.json")
    put(f"{out}/release/LATEST", CURRENT.encode())
    put(f"{out}/release/LATEST.{OLD}.tmp", OLD.encode())
    put(f"{out}/release/notes.txt")


def assert_cleaned(out: str, deleted: list) -> None:
    left = files_under(out)
    assert not [f for f in left if OLD in f]
    for run in (PREVIOUS, CURRENT, NEWER):
        assert f"release/{run}/data/full/train-00000-of-00001.parquet" in left
        assert f"deadletter/{run}/deadletter-00000-of-00001.jsonl" in left
    assert "release/notes.txt" in left and "release/LATEST" in left
    # The previous run stays readable; its scratch is never needed again.
    assert not [f for f in left if f.startswith(f"tmp/{PREVIOUS}/")]
    assert sorted(p.rstrip("/").rsplit("/", 2)[-2] for p in deleted) == sorted(
        ["release", "release", "deadletter", "tmp", "tmp", "report"])


def test_run_ids_sort_by_start_time_and_junk_is_not_a_run():
    early = layout.new_run_id(dt.datetime(2024, 5, 1, 23, 59, 59, tzinfo=dt.timezone.utc))
    late = layout.new_run_id(dt.datetime(2024, 5, 2, 0, 0, 0, tzinfo=dt.timezone.utc))
    assert early.startswith("20240501T235959Z-") and early < late
    assert layout.is_run_id(early) and not layout.is_run_id("data") and not layout.is_run_id("LATEST")
    with pytest.raises(ValueError, match="'../etc'"):
        layout.run_paths("out", "../etc")


def test_publishing_deletes_older_runs_but_keeps_the_previous_one_and_newer_ones(tmp_path):
    out = str(tmp_path)
    plant_runs(out)
    (tmp_path / "tmp" / "20231231T000000Z-eeeeee").mkdir()  # an empty scratch folder of a crash
    deleted = publish.clean_up(out, CURRENT, PREVIOUS)
    assert not (tmp_path / "tmp" / "20231231T000000Z-eeeeee").exists()
    assert_cleaned(out, [d for d in deleted if "eeeeee" not in d])


def write_run(out: str, run_id: str, files: dict, listed: list) -> None:
    for name, data in files.items():
        put(f"{out}/release/{run_id}/{name}", data)
    shards = [{"variant": "full", "file": name, "rows": 1, "bytes": len(files[name]), "sha256": "-"}
              for name in listed]
    put(f"{out}/release/{run_id}/manifest.json", json.dumps({"run_id": run_id, "shards": shards}).encode())


def test_a_reader_follows_latest_and_trusts_only_what_the_manifest_lists(tmp_path):
    out = str(tmp_path)
    assert layout.latest_run(out) is None
    with pytest.raises(FileNotFoundError, match="no release"):
        layout.read_manifest(out)
    listed = ["data/full/train-00000-of-00002.parquet", "data/full/train-00001-of-00002.parquet"]
    write_run(out, PREVIOUS, {name: b"old" for name in listed[:1]}, listed[:1])
    # CURRENT's folder also holds a file a crashed writer left; its manifest does not list it.
    write_run(out, CURRENT, {**{name: b"new" for name in listed}, "data/full/stray.parquet": b"?"}, listed)
    put(f"{out}/release/LATEST", f"{PREVIOUS}\n".encode())
    assert layout.data_files(out) == [f"{out}/release/{PREVIOUS}/{listed[0]}"]
    put(f"{out}/release/LATEST", f"{CURRENT}\n".encode())
    assert layout.latest_run(out) == CURRENT
    assert layout.data_files(out) == [f"{out}/release/{CURRENT}/{name}" for name in listed]
    assert layout.data_files(out, run_id=PREVIOUS) == [f"{out}/release/{PREVIOUS}/{listed[0]}"]
    with pytest.raises(KeyError, match="'nontoxic' is not in run"):
        layout.data_files(out, "nontoxic")
    put(f"{out}/release/LATEST", b"<html>")
    with pytest.raises(ValueError, match="not a run id"):
        layout.latest_run(out)


def test_a_run_without_a_manifest_never_completed(tmp_path):
    put(f"{tmp_path}/release/{CURRENT}/data/full/train-00000-of-00001.parquet")
    with pytest.raises(FileNotFoundError, match="never completed"):
        layout.read_manifest(str(tmp_path), CURRENT)


def test_a_failed_run_removes_its_files_unless_the_card_already_points_at_them(tmp_path):
    out = str(tmp_path)
    plant_runs(out)
    run = publish.Run(out, NEWER)
    run.card_replaced = True
    run.discard()
    assert [f for f in files_under(out) if NEWER in f] == [
        f"deadletter/{NEWER}/deadletter-00000-of-00001.jsonl",
        f"release/{NEWER}/data/full/train-00000-of-00001.parquet"]
    publish.Run(out, NEWER).discard()
    assert not [f for f in files_under(out) if NEWER in f]
    assert f"release/{CURRENT}/data/full/train-00000-of-00001.parquet" in files_under(out)

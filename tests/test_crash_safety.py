"""Crash safety, tested by killing the process: a release killed with SIGKILL at any point
leaves readers a whole release (the previous one, or none into an empty OUT), and the next
run cleans the debris up and succeeds.

One OUT goes through the whole story, so each pipeline run is paid once: kills into the empty
OUT, a first release, kills while it is current, a refused key change, a kill just after the
commit point, then a run with a new key that cleans everything up. Runs hold at fault points
(pipelines/faults.py); a held run writes nothing, so what is on storage while it is held is
what a kill there leaves, and one run can be looked at in several publishing states before it
is killed with SIGKILL (the whole process group, as when a machine dies). Language, PII, geo
and toxicity are off: this tests the plumbing.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest
import yaml

from pipelines import layout
from pipelines.faults import DIR_ENV, POINT_ENV
from tests.conftest import ONE_PROCESS, ROOT, SAMPLE, TEST_KEY
from transforms.ip_key import key_fingerprint

OTHER_KEY = "rotated-key-0123456789abcdef-not-a-secret"


@pytest.fixture(scope="module")
def plumbing_config(tmp_path_factory):
    cfg = yaml.safe_load((ROOT / "configs" / "sample.yaml").read_text())
    cfg.update(language={"strategy": "none"}, pii={"strategy": "none"}, geo={"strategy": "none"},
               toxicity={"backends": []})
    path = tmp_path_factory.mktemp("crash") / "config.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return str(path)


def command(out, config, *extra):
    return [sys.executable, "-m", "pipelines.release", "--config", config,
            "--input", str(SAMPLE / "turns-*"), "--output", str(out), *ONE_PROCESS, *extra]


def environment(key, **fault):
    env = dict(os.environ, WCHAT_IP_HASH_KEY=key)
    for name in (POINT_ENV, DIR_ENV):
        env.pop(name, None)
    env.update(fault)
    return env


def all_runs(out) -> set:
    return set().union(*(runs_in(out, area) for area in layout.AREAS))


class HeldRun:
    """A release run that holds at the fault `points` (see pipelines/faults.py)."""

    def __init__(self, out, config, signals, points):
        self.signals, self.before = signals, all_runs(out)
        self.out, self.log = out, signals / f"{points[0]}.log"
        for name in points:
            (signals / name).unlink(missing_ok=True)
            (signals / f"{name}.continue").unlink(missing_ok=True)
        with open(self.log, "w") as err:
            self.proc = subprocess.Popen(
                command(out, config), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err,
                env=environment(TEST_KEY, **{POINT_ENV: ",".join(points), DIR_ENV: str(signals)}),
                start_new_session=True)

    def wait_for(self, point) -> "HeldRun":
        deadline = time.monotonic() + 900
        while not (self.signals / point).exists():
            if self.proc.poll() is not None:
                self.kill()
                raise AssertionError(f"the run ended before {point}: {self.log.read_text()[-2000:]}")
            assert time.monotonic() < deadline, f"the run never reached {point}"
            time.sleep(0.1)
        return self

    def resume(self, point) -> None:
        (self.signals / f"{point}.continue").touch()

    def finish(self) -> int:
        return self.proc.wait(timeout=900)

    def kill(self) -> str | None:
        """SIGKILL the run and every worker it started; its run id (None: it wrote nothing)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        new = all_runs(self.out) - self.before
        assert len(new) <= 1, new
        return new.pop() if new else None


def kill_at(point, out, config, signals) -> str | None:
    """Run a release until it holds at `point` and SIGKILL it there; returns its run id."""
    run = HeldRun(out, config, signals, [point]).wait_for(point)
    run_id = run.kill()
    assert run.proc.returncode == -signal.SIGKILL
    return run_id


def run_to_the_end(out, config, *extra, key=TEST_KEY):
    return subprocess.run(command(out, config, *extra), cwd=ROOT, env=environment(key),
                          capture_output=True, text=True, timeout=900)


def runs_in(out, area) -> set:
    folder = out / area
    return {p.name for p in folder.iterdir() if layout.is_run_id(p.name)} if folder.is_dir() else set()


def release_a_reader_gets(out) -> str | None:
    """What a reader following release/LATEST gets, after checking every file the manifest
    lists (size, sha256, rows) and that it lists every shard of its data folder."""
    run = layout.latest_run(str(out))
    if run is None:
        return None
    manifest = layout.read_manifest(str(out), run)
    folder = out / "release" / run
    for shard in manifest["shards"]:
        data = (folder / shard["file"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (shard["bytes"], shard["sha256"])
        assert pq.ParquetFile(folder / shard["file"]).metadata.num_rows == shard["rows"]
    on_disk = {str(p.relative_to(folder)) for p in (folder / "data").rglob("*.parquet")}
    assert on_disk == {s["file"] for s in manifest["shards"]}
    return run


def runs_the_card_shows(out) -> set:
    """The runs the top-level README.md (Hugging Face's entry point) sends readers to, after
    checking that it lists exactly the files of each run's manifest."""
    card = out / "release" / "README.md"
    if not card.exists():
        return set()
    front_matter = yaml.safe_load(card.read_text().split("---\n")[1])
    listed = [path for config in front_matter["configs"] for files in config["data_files"]
              for path in files["path"]]
    runs = {path.split("/")[0] for path in listed}
    for run in runs:
        manifest = layout.read_manifest(str(out), run)
        assert sorted(p.split("/", 1)[1] for p in listed if p.startswith(run)) == sorted(
            s["file"] for s in manifest["shards"])
    return runs


def snapshot(out, run) -> dict:
    """Every byte of a run's release and dead letters."""
    return {str(p.relative_to(out)): p.read_bytes()
            for area in ("release", "deadletter") for p in (out / area / run).rglob("*") if p.is_file()}


def test_killed_runs_never_show_a_partial_release_and_the_next_run_cleans_up(tmp_path, plumbing_config):
    out, signals = tmp_path / "out", tmp_path / "signals"
    signals.mkdir()

    # 1. Into an empty OUT: nothing is visible after a kill, whenever it comes.
    def nothing_visible(when):
        assert release_a_reader_gets(out) is None, when
        assert runs_the_card_shows(out) == set(), when
        with pytest.raises(FileNotFoundError):
            layout.data_files(str(out))

    kill_at("link", out, plumbing_config, signals)
    nothing_visible("link")
    mid_write = kill_at("write", out, plumbing_config, signals)
    nothing_visible("write")
    # It was killed mid-write: some shards, no manifest.
    assert list((out / "release" / mid_write / "data").rglob("*.parquet"))
    assert not (out / "release" / mid_write / "manifest.json").exists()

    # 2. The next run: held once its manifest is written (what a kill there leaves: nothing
    #    visible), then it goes on, succeeds and removes the killed runs' debris.
    run = HeldRun(out, plumbing_config, signals, ["publish.manifest"]).wait_for("publish.manifest")
    nothing_visible("publish.manifest")
    run.resume("publish.manifest")
    assert run.finish() == 0, run.log.read_text()[-3000:]
    first = release_a_reader_gets(out)
    assert runs_the_card_shows(out) == {first}
    assert all_runs(out) == {first}  # the killed runs' debris is gone from every area
    before = snapshot(out, first)

    # 3. Kills while a release is current: it stays current, intact and readable.
    def first_intact(when):
        assert release_a_reader_gets(out) == first, when
        assert snapshot(out, first) == before, when

    kill_at("link", out, plumbing_config, signals)
    first_intact("link")
    kill_at("write", out, plumbing_config, signals)
    first_intact("write")
    run = HeldRun(out, plumbing_config, signals, ["publish.manifest", "publish.card", "publish.latest"])
    run.wait_for("publish.manifest")
    first_intact("publish.manifest")
    assert runs_the_card_shows(out) == {first}
    run.resume("publish.manifest")
    run.wait_for("publish.card")
    first_intact("publish.card")
    # Between the card and LATEST: the card already shows the new run, which is whole (its
    # manifest lists exactly its files, checked); LATEST readers still get `first`.
    new = sorted(all_runs(out) - {first})[-1]
    assert runs_the_card_shows(out) == {new}
    run.resume("publish.card")

    # 4. Killed just after the commit point: the new run is current and whole.
    run.wait_for("publish.latest")
    committed = run.kill()
    assert committed == new
    assert release_a_reader_gets(out) == committed and runs_the_card_shows(out) == {committed}

    # 5. Another key, without --rotate-key: refused before anything runs.
    proc = run_to_the_end(out, plumbing_config, key=OTHER_KEY)
    assert proc.returncode == 2 and "--rotate-key" in proc.stderr
    assert key_fingerprint(TEST_KEY.encode()) in proc.stderr and OTHER_KEY not in proc.stderr
    assert release_a_reader_gets(out) == committed

    # 6. The next run (a deliberate key rotation) cleans up: only it and the previous current
    #    run are left, in every area, and no scratch or pointer debris.
    proc = run_to_the_end(out, plumbing_config, "--rotate-key", key=OTHER_KEY)
    assert proc.returncode == 0, proc.stderr[-3000:]
    last = release_a_reader_gets(out)
    manifest = layout.read_manifest(str(out))
    assert manifest["ip_hash_key"]["rotated_from"] == key_fingerprint(TEST_KEY.encode())
    assert manifest["ip_hash_key"]["fingerprint"] == key_fingerprint(OTHER_KEY.encode())
    assert runs_in(out, "release") == {last, committed}
    assert runs_in(out, "deadletter") <= {last, committed} and runs_in(out, "tmp") == set()
    assert sorted(p.name for p in (out / "release").iterdir() if not p.is_dir()) == ["LATEST", "README.md"]

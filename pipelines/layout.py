"""Where a run's files live, and how a reader finds the current release.

Object stores have no atomic rename, so a release is never renamed into place. Every run
writes under its own id and one small pointer file moves last (the commit point):

  OUT/release/LATEST                     the id of the current run, written last
  OUT/release/README.md                  the current run's dataset card (Hugging Face entry point)
  OUT/release/<run_id>/manifest.json     written after every data file; a reader trusts only the
                                         files it lists (each with rows, bytes and sha256)
  OUT/release/<run_id>/README.md         that run's dataset card
  OUT/release/<run_id>/data/<variant>/train-SSSSS-of-NNNNN.parquet
  OUT/report/<run_id>/                   aggregates only
  OUT/deadletter/<run_id>/               internal and sensitive
  OUT/reuse/<run_id>/                    internal: per-message results for the next run
                                         (transforms/reuse.py; keyed hashes, no text)
  OUT/tmp/<run_id>/                      scratch, removed when the run ends

run_id = `YYYYMMDDTHHMMSSZ-<6 hex>` (UTC start time + random), so ids sort by start time.
Every path goes through Beam's `FileSystems`: local paths, gs:// and s3:// alike.

Reader side: `latest_run`, `read_manifest`, `data_files`. The writer side (commit and
clean-up) is `pipelines.publish`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import secrets

from apache_beam.io.filesystems import FileSystems

__all__ = ["RunPaths", "run_paths", "new_run_id", "is_run_id", "latest_path", "card_path",
           "latest_run", "read_manifest", "data_files", "read_text", "DEFAULT_VARIANT",
           "AREAS"]

RELEASE, REPORT, DEADLETTER, TMP, REUSE = "release", "report", "deadletter", "tmp", "reuse"
AREAS = (RELEASE, REPORT, DEADLETTER, REUSE, TMP)  # each holds one folder per run id
LATEST = "LATEST"
MANIFEST = "manifest.json"
CARD = "README.md"
DEFAULT_VARIANT = "full"
_RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")


def new_run_id(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def is_run_id(name: str) -> bool:
    return bool(_RUN_ID.match(name))


def _join(*parts: str) -> str:
    return FileSystems.join(*parts)


@dataclasses.dataclass(frozen=True)
class RunPaths:
    """Every location one run writes to."""

    out: str
    run_id: str

    @property
    def release(self) -> str:
        return _join(self.out, RELEASE, self.run_id)

    @property
    def manifest(self) -> str:
        return _join(self.release, MANIFEST)

    @property
    def card(self) -> str:
        return _join(self.release, CARD)

    def data(self, variant: str = DEFAULT_VARIANT) -> str:
        return _join(self.release, "data", variant)

    @property
    def report(self) -> str:
        return _join(self.out, REPORT, self.run_id)

    @property
    def deadletter(self) -> str:
        return _join(self.out, DEADLETTER, self.run_id)

    @property
    def reuse(self) -> str:
        return _join(self.out, REUSE, self.run_id)

    @property
    def tmp(self) -> str:
        return _join(self.out, TMP, self.run_id)

    def parts(self, variant: str = DEFAULT_VARIANT) -> str:
        return _join(self.tmp, "parts", variant)

    @property
    def stats(self) -> str:
        return _join(self.tmp, "stats.jsonl")

    def area(self, name: str) -> str:
        return _join(self.out, name, self.run_id)


def run_paths(out: str, run_id: str) -> RunPaths:
    if not is_run_id(run_id):
        raise ValueError(f"not a run id: {run_id!r} (expected YYYYMMDDTHHMMSSZ-<6 hex>)")
    return RunPaths(out.rstrip("/"), run_id)


def latest_path(out: str) -> str:
    return _join(out.rstrip("/"), RELEASE, LATEST)


def card_path(out: str) -> str:
    return _join(out.rstrip("/"), RELEASE, CARD)


def read_text(path: str) -> str | None:
    """A small file's text, or None when it does not exist."""
    if not FileSystems.exists(path):
        return None
    with FileSystems.open(path) as fh:
        return fh.read().decode("utf-8")


def latest_run(out: str) -> str | None:
    """The id of the current release, or None before the first successful run."""
    text = read_text(latest_path(out))
    if text is None:
        return None
    run_id = text.strip()
    if not is_run_id(run_id):
        raise ValueError(f"{latest_path(out)} holds {run_id[:40]!r}, not a run id")
    return run_id


def read_manifest(out: str, run_id: str | None = None) -> dict:
    """The manifest of `run_id` (default: the current release)."""
    run_id = run_id or latest_run(out)
    if run_id is None:
        raise FileNotFoundError(f"no release under {out!r}: {latest_path(out)} does not exist")
    text = read_text(run_paths(out, run_id).manifest)
    if text is None:
        raise FileNotFoundError(f"run {run_id} has no manifest: it never completed")
    return json.loads(text)


def data_files(out: str, variant: str = DEFAULT_VARIANT, run_id: str | None = None) -> list[str]:
    """Full paths of the data files the manifest lists for `variant`, in shard order. Files
    it does not list (a crashed writer's leftovers) are never returned."""
    manifest = read_manifest(out, run_id)
    base = run_paths(out, manifest["run_id"]).release
    files = [_join(base, s["file"]) for s in manifest["shards"] if s["variant"] == variant]
    if not files:
        variants = sorted({s["variant"] for s in manifest["shards"]})
        raise KeyError(f"variant {variant!r} is not in run {manifest['run_id']} (variants: {variants})")
    return files

"""Publish a finished run: check its numbers, write its manifest and card, move LATEST, clean up.

Writer side of the layout in `pipelines.layout` (read that first). Every path goes through
Beam's `FileSystems`, so local disks, gs:// and s3:// behave alike; nothing is renamed except
two small pointer files, each replaced in one step.

Order of a successful run (the pipeline wrote the data files, dead letters and stats):
  1. reconcile the stats and check the listed shards exist with their sizes; otherwise
     raise `NotPublished` (nothing was published)
  2. report/<run>/: stats.json, diff.json, report.md, report.html, plots (pipelines/report.py)
  3. release/<run>/manifest.json, then release/<run>/README.md
  4. release/README.md (the current card), replaced in one step
  5. release/LATEST <- run id: the commit point
  6. delete every older run that is neither current nor the one LATEST named before
     (crashed runs' debris included), and this run's scratch folder
A crash before 5 leaves the previous release current and intact; its debris goes in the
next successful run's step 6. Runs that started after this one are never touched (they may
still be running).
"""
from __future__ import annotations

import datetime as dt
import json
import logging

from apache_beam.io.filesystems import FileSystems
from apache_beam.io.localfilesystem import LocalFileSystem

from pipelines import faults, layout, report
from pipelines.card import render_card
from pipelines.config import Config
from pipelines.reconcile import NotPublished, reconcile
from schemas.release import SCHEMA_VERSION, release_schema
from schemas.sft import SFT_SCHEMA_VERSION
from transforms.geo import geo_manifest
from transforms.stats import COUNT_KEYS, RunStats, read_stats
from transforms.toxicity import toxicity_manifest

__all__ = ["Run", "finish", "summary", "clean_up", "warn_about_old_layout",
           "NotPublished", "COUNT_KEYS"]

log = logging.getLogger("wchat-release")


class Run:
    """One run: its paths, and how far its publication got (for `discard`)."""

    def __init__(self, out: str, run_id: str | None = None):
        self.paths = layout.run_paths(out, run_id or layout.new_run_id())
        self.card_replaced = False  # release/README.md already points at this run
        self.committed = False  # LATEST names this run

    @property
    def run_id(self) -> str:
        return self.paths.run_id

    def discard(self) -> None:
        """Remove what a failed run wrote. Best effort: what stays is debris the next
        successful run deletes. After the top-level card moved, the run's files stay (the
        card points at them) until that clean-up."""
        if self.committed:
            return
        areas = [layout.TMP] if self.card_replaced else list(layout.AREAS)
        for area in areas:
            _delete_quietly(self.paths.area(area))


def _write(path: str, data: bytes) -> None:
    with FileSystems.create(path) as fh:
        fh.write(data)


def _replace(path: str, data: bytes, run_id: str) -> None:
    """Replace a small file in one step: readers see the old or the new bytes, never a part
    (a local rename is atomic; an object store's copy is one PUT)."""
    tmp = f"{path}.{run_id}.tmp"
    _write(tmp, data)
    FileSystems.rename([tmp], [path])


def _is_local(path: str) -> bool:
    return isinstance(FileSystems.get_filesystem(path), LocalFileSystem)


def _list_files(prefix: str) -> dict:
    """path -> size of every file under `prefix` (recursive)."""
    found = FileSystems.match([FileSystems.join(prefix, "**")])[0].metadata_list
    return {m.path: m.size_in_bytes for m in found}


def _delete_tree(path: str) -> None:
    if _is_local(path):
        if FileSystems.exists(path):
            FileSystems.delete([path])  # removes the directory tree
        return
    files = sorted(_list_files(path))
    if files:
        FileSystems.delete(files)


def _delete_quietly(path: str) -> None:
    try:
        _delete_tree(path)
    except Exception as err:  # noqa: BLE001 - clean-up must not hide the run's own error
        log.warning("could not delete %s (the next successful run retries): %s", path, err)


def _children(path: str) -> set:
    """Names directly under `path` (directories included on a local disk)."""
    if _is_local(path):
        import os
        return set(os.listdir(path)) if os.path.isdir(path) else set()
    prefix = path.rstrip("/") + "/"
    return {p[len(prefix):].split("/", 1)[0] for p in _list_files(path)}


def clean_up(out: str, current: str, previous: str | None) -> list[str]:
    """Delete every run older than `current` except `previous` (whose scratch folder goes too),
    and stale pointer files.
    Returns what was deleted."""
    deleted = []
    for area in layout.AREAS:
        base = FileSystems.join(out, area)
        for name in sorted(_children(base)):
            stale_pointer = area == layout.RELEASE and name.endswith(".tmp") and current not in name
            # The previous run stays readable, but its scratch is never needed again (a crash
            # after its commit point left it behind, with an ephemeral key in it).
            old_run = layout.is_run_id(name) and name < current and (
                name != previous or area == layout.TMP)
            if stale_pointer or old_run:
                path = FileSystems.join(base, name)
                if old_run:
                    _delete_quietly(path)
                else:
                    _delete_files_quietly([path])
                deleted.append(path)
    return deleted


def _delete_files_quietly(paths: list) -> None:
    try:
        FileSystems.delete(paths)
    except Exception as err:  # noqa: BLE001
        log.warning("could not delete %s: %s", paths, err)


def warn_about_old_layout(out: str) -> None:
    """Releases written before the LATEST layout kept release/manifest.json and release/data/;
    no reader follows them any more and the clean-up leaves them alone (they are no run)."""
    old = FileSystems.join(out, layout.RELEASE, layout.MANIFEST)
    if FileSystems.exists(old):
        log.warning("%s and the data/ folder beside it are an older layout's release: readers "
                    "now follow release/LATEST; delete them when nothing uses them", old)


def _manifest_shards(paths: layout.RunPaths, shards: list) -> list:
    """ShardStats -> manifest entries, `file` relative to the run's folder."""
    base = paths.release.rstrip("/") + "/"
    entries = []
    for s in shards:
        if not s["path"].startswith(base):
            raise NotPublished(f"write: shard {s['path']} is outside the run folder {base}")
        entries.append({"variant": s["variant"], "file": s["path"][len(base):], "rows": s["rows"],
                        "bytes": s["bytes"], "sha256": s["sha256"],
                        **({"arrow_bytes": s["arrow_bytes"]} if "arrow_bytes" in s else {})})
    return sorted(entries, key=lambda e: (e["variant"], e["file"]))


def _storage_problems(paths: layout.RunPaths, shards: list) -> list[str]:
    """The listed shards are on storage with their sizes, and nothing else is in data/."""
    on_disk = _list_files(FileSystems.join(paths.release, "data"))
    problems = []
    listed = {FileSystems.join(paths.release, s["file"]): s for s in shards}
    for path, s in sorted(listed.items()):
        if on_disk.get(path) != s["bytes"]:
            problems.append(f"write: {s['file']} is {on_disk.get(path, 'missing')} on storage, "
                            f"{s['bytes']} bytes in the manifest")
    problems += [f"write: {p} is in the data folder but not in the manifest"
                 for p in sorted(set(on_disk) - set(listed))]
    return problems


def _strategies(cfg: Config) -> dict:
    return {"linking": cfg.linking.strategy, "language": cfg.language.strategy,
            "pii": cfg.pii.strategy, "geo": cfg.geo.strategy,
            "toxicity": "+".join(cfg.toxicity.backends) or "none", "ip_hash": "hmac_sha256_v1", "sharding": "xxh3_64_mod_v1",
            "duplicates": cfg.duplicates.strategy}


def _reconciliation(stats: RunStats) -> dict:
    """The numbers `reconcile` checked, for the manifest."""
    variants = {v: {"rows": n, "rows_in_parts": 0, "rows_in_shards": 0}
                for v, n in stats.variant_rows.items()}
    for s in stats.shards:
        v = variants.setdefault(s["variant"], {"rows": 0, "rows_in_parts": 0, "rows_in_shards": 0})
        v["rows_in_parts"] += s["part_rows"]
        v["rows_in_shards"] += s["rows"]
    return {"input_records": stats.counts["input_records"],
            "linked_turns": stats.counts["linked_turns"], **stats.flow,
            "variants": dict(sorted(variants.items()))}


def build_manifest(cfg: Config, run_id: str, stats: RunStats, shards: list, key_ref,
                   rotated_from: str | None = None) -> dict:
    return {
        "name": cfg.release.name,
        "run_id": run_id,
        "published_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "schema_version": SCHEMA_VERSION,
        **({"sft_schema_version": SFT_SCHEMA_VERSION} if cfg.sft.enabled else {}),
        "config": cfg.to_dict(),
        "strategies": _strategies(cfg),
        "scrubbed": cfg.pii.strategy != "none",
        "ip_hash_key": {"fingerprint": key_ref.fingerprint, "origin": key_ref.origin,
                        "ephemeral": key_ref.origin == "ephemeral",
                        **({"rotated_from": rotated_from} if rotated_from else {})},
        "geo": geo_manifest(cfg.geo),
        "toxicity": toxicity_manifest(cfg.toxicity),
        "counts": stats.counts,
        "reconciliation": _reconciliation(stats),
        "stats": stats.stats,
        "input_files": [{k: f[k] for k in ("path", "bytes", "mtime", "sha256", "records")}
                        for _, f in sorted(stats.input_files.get("read", {}).items())],
        "shards": shards,
    }


def finish(cfg: Config, run: Run, key_ref, rotated_from: str | None = None) -> dict:
    """Check the finished pipeline's numbers and publish the run (see the module docstring)."""
    paths = run.paths
    stats = read_stats(paths.stats)
    problems = reconcile(stats, cfg.release.num_shards, cfg.sft.variant if cfg.sft.enabled else None)
    shards = _manifest_shards(paths, stats.shards)
    problems += _storage_problems(paths, shards)
    if problems:
        raise NotPublished("the run's numbers do not close, nothing was published:\n  "
                           + "\n  ".join(problems))
    text = json.dumps(build_manifest(cfg, run.run_id, stats, shards, key_ref, rotated_from), indent=2,
                      sort_keys=True) + "\n"
    manifest = json.loads(text)  # what a reader gets (lists, not tuples)
    # #12: the report (stats.json, diff.json against the previous snapshot, report.md/.html,
    # plots) under report/<run>/, before the manifest; the cards come from the same numbers.
    schema = release_schema(cfg.header_fields)
    stats = report.publish_report(
        paths.report, report.read_json(report.dataset_stats_path(paths)), manifest, schema,
        cfg.report.previous or cfg.output, cfg.report.diff_min_share_change)
    _write(paths.manifest, text.encode())
    _write(paths.card, render_card(manifest, stats, schema).encode())
    faults.reached("publish.manifest")
    previous = layout.latest_run(cfg.output)
    run.card_replaced = True
    _replace(layout.card_path(cfg.output),
             render_card(manifest, stats, schema, f"{run.run_id}/").encode(), run.run_id)
    faults.reached("publish.card")
    _replace(layout.latest_path(cfg.output), f"{run.run_id}\n".encode(), run.run_id)
    run.committed = True
    faults.reached("publish.latest")
    clean_up(cfg.output, run.run_id, previous)
    _delete_quietly(paths.tmp)
    return manifest


def summary(manifest: dict) -> str:
    c = manifest["counts"]
    variants = manifest["reconciliation"]["variants"]
    lines = [
        f"release {manifest['run_id']}: {c['released_conversations']} conversations from "
        f"{c['linked_turns']} turns; variants: "
        + ", ".join(f"{name} {v['rows']}" for name, v in variants.items())
        + f" ({manifest['config']['release']['num_shards']} shards each)",
        f"input records {c['input_records']} = dead-letter {c['deadletter']} + no consent "
        f"{c['filtered_no_consent']} + duplicates {c['duplicate_turns']} + linked {c['linked_turns']}",
        f"strategies: {', '.join(f'{k}={v}' for k, v in manifest['strategies'].items())}",
        f"ip hash key: {manifest['ip_hash_key']['origin']} (fingerprint {manifest['ip_hash_key']['fingerprint']})",
        # #12
        "report: " + FileSystems.join(manifest["config"]["output"], "report", manifest["run_id"],
                                      "report.html"),
    ]
    if not manifest["scrubbed"]:
        lines.append("WARNING: PII scrubbing was off; this release is NOT scrubbed.")
    return "\n".join(lines)

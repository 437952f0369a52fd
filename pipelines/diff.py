"""Diff of a snapshot against the previous one: counts and shares that moved, languages /
models / countries that appeared or are no longer listed, schema, strategy and config changes.

Both sides are aggregates only (a snapshot's `stats.json` and `manifest.json`), so the diff is
as safe to publish as the report. Written as `OUT/report/<run_id>/diff.json` and as the last
section of the report; standalone:

    python -m pipelines.diff --previous DIR --current DIR [--output FILE]

DIR is an output directory (`OUT`, holding release/LATEST), a release folder (`OUT/release`),
one run's folder (`OUT/release/<run_id>`), a report folder holding `stats.json`, or an older
layout's `OUT` with `release/manifest.json`.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import posixpath
import sys

from apache_beam.io.filesystems import FileSystems

from pipelines.report_blocks import Table, schema_fields, write_file

__all__ = ["Snapshot", "load_snapshot", "diff_snapshots", "diff_blocks", "main"]

DIFF_VERSION = "wchat-diff/1"
LISTED_DIMENSIONS = ("language", "model", "country")
SHARE_DIMENSIONS = ("language", "model", "country", "month")
# Manifest stats that are safe aggregates (per-language counters are not: they are not folded).
MANIFEST_STAT_PREFIXES = ("link.", "deadletter.", "stage_failed.", "pii.redactions.", "variants.",
                          "never_release.", "orphan_conversations", "geo.turns.",
                          "toxicity.conversations.")
# Config keys that name where a run reads and writes, not what it does.
CONFIG_IGNORED = ("input", "output", "beam_args", "report.previous")


@dataclasses.dataclass
class Snapshot:
    manifest: dict | None
    stats: dict | None
    schema: list | None  # [{"field", "type"}] as in stats.json

    @property
    def run_id(self):
        for doc in (self.stats, self.manifest):
            if doc and doc.get("run_id"):
                return doc["run_id"]
        return None


def _join(*parts):
    return FileSystems.join(*parts)


def _read_json(path: str):
    if not FileSystems.exists(path):
        return None
    with FileSystems.open(path) as fh:
        return json.loads(fh.read().decode("utf-8"))


def _read_text(path: str):
    if not FileSystems.exists(path):
        return None
    with FileSystems.open(path) as fh:
        return fh.read().decode("utf-8").strip()


def _schema_from_data(manifest: dict, release_dir: str):
    """The schema of the first data file the manifest lists (for snapshots without stats.json)."""
    import pyarrow.parquet as pq

    shards = manifest.get("shards") or []
    if not shards:
        return None
    with FileSystems.open(_join(release_dir, shards[0]["file"])) as fh:
        return schema_fields(pq.read_schema(fh))


def load_snapshot(directory: str) -> Snapshot | None:
    """The snapshot found at `directory` (see the module docstring), or None."""
    d = directory.rstrip("/")
    out = run = None
    if (latest := _read_text(_join(d, "release", "LATEST"))) is not None:
        out, run = d, latest
    elif (latest := _read_text(_join(d, "LATEST"))) is not None:
        out, run = posixpath.dirname(d), latest
    if run is not None:
        release_dir = _join(out, "release", run)
        manifest = _read_json(_join(release_dir, "manifest.json"))
        stats = _read_json(_join(out, "report", run, "stats.json"))
    elif (manifest := _read_json(_join(d, "manifest.json"))) is not None:
        release_dir = d
        run = posixpath.basename(d)
        stats = _read_json(_join(d, "stats.json")) or _read_json(
            _join(posixpath.dirname(posixpath.dirname(d)), "report", run, "stats.json"))
    elif (manifest := _read_json(_join(d, "release", "manifest.json"))) is not None:
        release_dir = _join(d, "release")
        stats = _read_json(_join(d, "report", "stats.json"))
    else:
        release_dir, manifest = None, None
        stats = _read_json(_join(d, "stats.json"))
    if manifest is None and stats is None:
        return None
    schema = (stats or {}).get("schema")
    if schema is None and manifest is not None:
        try:
            schema = _schema_from_data(manifest, release_dir)
        except (OSError, ValueError, KeyError):
            schema = None
    return Snapshot(manifest, stats, schema)


# -- comparing --------------------------------------------------------------------------------

def _counters(s: Snapshot) -> dict:
    """The manifest's counters (absent = 0)."""
    m = s.manifest or {}
    nums = {f"counts.{k}": v for k, v in (m.get("counts") or {}).items()}
    nums.update({f"stats.{k}": v for k, v in (m.get("stats") or {}).items()
                 if k.startswith(MANIFEST_STAT_PREFIXES) and isinstance(v, (int, float))})
    return nums


def _measures(s: Snapshot) -> dict:
    """Numbers of stats.json (absent = not computed)."""
    st = s.stats
    if not st:
        return {}
    nums = {k: st.get(k) for k in ("conversations", "turns", "users", "orphan_conversations",
                                   "redacted_conversations")}
    nums.update({f"turns_per_conversation.{k}": st["turns_per_conversation"].get(k)
                 for k in ("mean", "median", "p90")})
    nums.update({f"toxicity.{k}": v for k, v in (st.get("toxicity") or {}).items()})
    return {k: v for k, v in nums.items() if v is not None}


def _moved_numbers(previous: Snapshot, current: Snapshot) -> list:
    out = []
    a, b = _counters(previous), _counters(current)
    pairs = {k: (a.get(k, 0), b.get(k, 0)) for k in set(a) | set(b)}
    a, b = _measures(previous), _measures(current)
    pairs.update({k: (a[k], b[k]) for k in set(a) & set(b)})
    for k in sorted(pairs):
        x, y = pairs[k]
        if x != y:
            out.append({"name": k, "previous": x, "current": y, "change": round(y - x, 6),
                        "relative_change": round((y - x) / x, 6) if x else None})
    return out


def _flat(d, prefix=""):
    out = {}
    for k, v in (d or {}).items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def _changed(prev: dict, cur: dict, ignore=()) -> list:
    keys = sorted(set(prev) | set(cur))
    return [{"name": k, "previous": prev.get(k), "current": cur.get(k)}
            for k in keys if k not in ignore and prev.get(k) != cur.get(k)]


def _shares(stats: dict | None, dim: str) -> dict:
    if not stats:
        return {}
    return {e["value"]: e["conversation_share"] for e in stats["by"].get(dim, [])}


def diff_snapshots(previous: Snapshot, current: Snapshot, min_share_change: float = 0.01) -> dict:
    numbers = _moved_numbers(previous, current)
    notes = []
    if previous.stats is None:
        notes.append("The previous snapshot has no stats.json (it predates the report): only "
                     "the manifest's numbers and the schema were compared.")
    shares, new, vanished = {}, {}, {}
    if previous.stats and current.stats:
        for dim in SHARE_DIMENSIONS:
            a, b = _shares(previous.stats, dim), _shares(current.stats, dim)
            moved = []
            for v in sorted(set(a) | set(b)):
                pa_, pb = a.get(v) or 0.0, b.get(v) or 0.0
                if abs(pb - pa_) >= min_share_change and (pa_ or pb):
                    moved.append({"value": v, "previous": a.get(v), "current": b.get(v),
                                  "change": round(pb - pa_, 6)})
            shares[dim] = sorted(moved, key=lambda e: (-abs(e["change"]), e["value"]))
        for dim in LISTED_DIMENSIONS:
            a = {v for v in _shares(previous.stats, dim) if not v.startswith("(")}
            b = {v for v in _shares(current.stats, dim) if not v.startswith("(")}
            new[dim], vanished[dim] = sorted(b - a), sorted(a - b)
    schema = {"added": [], "removed": [], "changed": []}
    if previous.schema is not None and current.schema is not None:
        a = {f["field"]: f["type"] for f in previous.schema}
        b = {f["field"]: f["type"] for f in current.schema}
        schema["added"] = [{"field": f, "type": b[f]} for f in sorted(set(b) - set(a))]
        schema["removed"] = [{"field": f, "type": a[f]} for f in sorted(set(a) - set(b))]
        schema["changed"] = [{"field": f, "previous": a[f], "current": b[f]}
                             for f in sorted(set(a) & set(b)) if a[f] != b[f]]
    else:
        notes.append("The schema of one snapshot was not available.")
    pm, cm = previous.manifest or {}, current.manifest or {}
    return {
        "diff_version": DIFF_VERSION,
        "previous": {"run_id": previous.run_id,
                     "schema_version": pm.get("schema_version")},
        "current": {"run_id": current.run_id, "schema_version": cm.get("schema_version")},
        "min_share_change": min_share_change,
        "numbers": numbers,
        "shares": shares,
        "new": new,
        "vanished": vanished,
        "schema": schema,
        "strategies": _changed(pm.get("strategies") or {}, cm.get("strategies") or {}),
        "config": _changed(_flat(pm.get("config")), _flat(cm.get("config")), CONFIG_IGNORED),
        "notes": notes,
    }


# -- presenting ----------------------------------------------------------------------------------

def _fmt(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:,.4g}"
    if isinstance(x, int):
        return f"{x:,}"
    return json.dumps(x) if not isinstance(x, str) else x


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def diff_blocks(diff: dict) -> list:
    """Paragraphs and tables for the report's diff section."""
    blocks = [f"Against snapshot `{diff['previous']['run_id'] or 'unknown'}`."]
    blocks += diff["notes"]
    if diff["numbers"]:
        blocks.append(Table(["number", "previous", "current", "change", "relative"],
                            [[n["name"], _fmt(n["previous"]), _fmt(n["current"]),
                              _fmt(n["change"]), _pct(n["relative_change"])]
                             for n in diff["numbers"]], numeric=(1, 2, 3, 4)))
    else:
        blocks.append("No count changed.")
    moved = [[dim, e["value"], _pct(e["previous"]), _pct(e["current"]),
              f"{100 * e['change']:+.1f} pp"]
             for dim, entries in diff["shares"].items() for e in entries]
    if moved:
        blocks.append(f"Shares of conversations that moved by at least "
                      f"{100 * diff['min_share_change']:.1f} percentage points:")
        blocks.append(Table(["breakdown", "value", "previous", "current", "change"], moved,
                            numeric=(2, 3, 4)))
    elif diff["shares"]:
        blocks.append("No share moved by "
                      f"{100 * diff['min_share_change']:.1f} percentage points or more.")
    for kind, label in (("new", "Newly listed"), ("vanished", "No longer listed (gone, or "
                                                  "now fewer than k conversations)")):
        items = [f"{dim}: {', '.join(values)}" for dim, values in diff[kind].items() if values]
        if items:
            blocks.append(f"{label}: " + "; ".join(items) + ".")
    schema = diff["schema"]
    rows = ([["added", f["field"], "", f["type"]] for f in schema["added"]]
            + [["removed", f["field"], f["type"], ""] for f in schema["removed"]]
            + [["type changed", f["field"], f["previous"], f["current"]] for f in schema["changed"]])
    blocks.append(Table(["schema", "field", "previous", "current"], rows)
                  if rows else "Schema unchanged.")
    changes = [["strategy", c["name"], _fmt(c["previous"]), _fmt(c["current"])]
               for c in diff["strategies"]]
    changes += [["config", c["name"], _fmt(c["previous"]), _fmt(c["current"])]
                for c in diff["config"]]
    if changes:
        blocks.append(Table(["what", "key", "previous", "current"], changes))
    return blocks


def summary_lines(diff: dict) -> list:
    lines = [f"diff against {diff['previous']['run_id'] or 'the previous snapshot'}: "
             f"{len(diff['numbers'])} number(s) changed"]
    for dim in LISTED_DIMENSIONS:
        if diff["new"].get(dim) or diff["vanished"].get(dim):
            lines.append(f"  {dim}: +{diff['new'].get(dim)} -{diff['vanished'].get(dim)}")
    s = diff["schema"]
    if any(s.values()):
        lines.append(f"  schema: {len(s['added'])} added, {len(s['removed'])} removed, "
                     f"{len(s['changed'])} changed")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.diff", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--previous", required=True, help="the earlier snapshot")
    parser.add_argument("--current", required=True, help="the later snapshot")
    parser.add_argument("--output", help="write diff.json here (default: print it)")
    parser.add_argument("--min-share-change", type=float, default=0.01)
    args = parser.parse_args(argv)
    snaps = {}
    for side in ("previous", "current"):
        snaps[side] = load_snapshot(getattr(args, side))
        if snaps[side] is None:
            print(f"error: no snapshot (manifest.json or stats.json) at {getattr(args, side)!r}",
                  file=sys.stderr)
            return 2
    diff = diff_snapshots(snaps["previous"], snaps["current"], args.min_share_change)
    text = json.dumps(diff, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if args.output:
        write_file(args.output, text)
        print("\n".join(summary_lines(diff)))
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Snapshots that reuse work (#21 item 4): how long a rerun over the same OUT takes.

    python -m bench.snapshots --turns 50000 [--new-share 0.1] [--config configs/sample.yaml]

Day 1 is the first (1 - new_share) of a generated log by time, day 2 all of it (so new_share of
day 2's records are new: later turns of day-1 conversations and new conversations). Runs, each
as a user would (`python -m pipelines.release`, its own process):
  1. day 1 from scratch                              OUT_A
  2. day 1 again over OUT_A (same input, reuse)      -> % of 1, shards == 1's
  3. day 2 from scratch                              OUT_B (a full run over day 2)
  4. day 2 over OUT_A (new_share new, reuse)         -> % of 3, shards == 3's
Prints the times, the percentages, the reuse counts and whether the bytes are identical.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import orjson
import yaml

__all__ = ["make_snapshots", "shard_digests", "main"]

OUT = "bench/out/snapshots"
KEY = "bench-key-not-secret-0123456789"


def make_snapshots(turns: int, folder: str, new_share: float = 0.1, seed: int = 11,
                   words_scale: float = 1.0) -> tuple[str, str]:
    """(day-1 glob, day-2 glob): a generated log split by time; day 2 = day 1's file (the
    same bytes) + a file of the newest `new_share` of all records."""
    from tools.generate import Generator

    gen = Generator(seed, words_scale)
    gen.run(turns, 0.2)
    # Malformed lines (bytes) have no time: they belong to day 1.
    timed = sorted((r for r in gen.records if isinstance(r, dict)), key=_when)
    bad = [r for r in gen.records if not isinstance(r, dict)]
    new = int(round(len(gen.records) * new_share))
    old, fresh = bad + timed[:len(timed) - new], timed[len(timed) - new:]
    day1, day2 = os.path.join(folder, "day1"), os.path.join(folder, "day2")
    for d in (day1, day2):
        os.makedirs(d, exist_ok=True)
    _write_lines(os.path.join(day1, "turns-00.jsonl"), old)
    shutil.copyfile(os.path.join(day1, "turns-00.jsonl"), os.path.join(day2, "turns-00.jsonl"))
    _write_lines(os.path.join(day2, "turns-01.jsonl"), fresh)
    return os.path.join(day1, "turns-*"), os.path.join(day2, "turns-*")


def _when(record: dict) -> tuple:
    """A record's time (the generator writes epoch seconds or RFC 3339), then its turn id."""
    import datetime as dt

    ts = record["timestamp"]
    if isinstance(ts, str):
        ts = dt.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
    return float(ts), record["turn_id"]


def _write_lines(path: str, records: list) -> None:
    with open(path, "wb") as fh:
        fh.write(b"".join((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n" for r in records))


def shard_digests(out: str) -> dict:
    """{variant/shard: sha256} of the current release under `out` (from its manifest, which
    the publisher checked against the files)."""
    from pipelines.layout import read_manifest

    return {s["file"].split("data/", 1)[-1]: s["sha256"] for s in read_manifest(out)["shards"]}


def _run(cfg_path: str, input_glob: str, out: str, *extra) -> dict:
    env = dict(os.environ, WCHAT_IP_HASH_KEY=KEY, PYTHONHASHSEED="0", TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-m", "pipelines.release", "--config", cfg_path, "--input",
                           input_glob, "--output", out, *extra], env=env, capture_output=True, text=True)
    seconds = time.time() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"pipeline failed:\n{proc.stderr[-4000:]}")
    from pipelines.layout import read_manifest

    stats = read_manifest(out)["stats"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu_seconds": cpu, "reused": stats.get("reuse.messages.reused", 0),
            "computed": stats.get("reuse.messages.computed", 0)}


def bench_config(config: str, folder: str) -> str:
    cfg = yaml.safe_load(open(config))
    cfg["ip_hash"] = {"allow_ephemeral_key": False}
    cfg["release"] = dict(cfg.get("release") or {}, name="bench-snapshots", num_shards=8)
    path = os.path.join(folder, "config.yaml")
    with open(path, "w") as fh:
        yaml.safe_dump(cfg, fh)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=50_000)
    parser.add_argument("--new-share", type=float, default=0.1)
    parser.add_argument("--config", default="configs/sample.yaml")
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args(argv)
    folder = os.path.join(args.out, f"{args.turns}")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    t0 = time.time()
    day1, day2 = make_snapshots(args.turns, os.path.join(folder, "input"), args.new_share)
    print(f"generated {args.turns} turns (day 2: {args.new_share:.0%} new records) in {time.time() - t0:.1f}s")
    cfg = bench_config(args.config, folder)
    out_a, out_b = os.path.join(folder, "out-a"), os.path.join(folder, "out-b")
    runs = {}
    runs["scratch"] = _run(cfg, day1, out_a)
    first = shard_digests(out_a)
    runs["same_input"] = _run(cfg, day1, out_a)
    same_identical = shard_digests(out_a) == first
    runs["full_day2"] = _run(cfg, day2, out_b)
    runs["new_records"] = _run(cfg, day2, out_a)
    new_identical = shard_digests(out_a) == shard_digests(out_b)
    same_pct = 100 * runs["same_input"]["seconds"] / runs["scratch"]["seconds"]
    new_pct = 100 * runs["new_records"]["seconds"] / runs["full_day2"]["seconds"]
    for name, r in runs.items():
        print(f"{name:>12}: {r['seconds']:7.1f}s wall, {r['cpu_seconds']:7.1f}s CPU (all processes); "
              f"messages reused {r['reused']}, computed {r['computed']}")
    print(f"same input:  {runs['same_input']['seconds']:.1f}s = {same_pct:.0f}% of scratch "
          f"(target <= 40%), shards identical: {same_identical}")
    print(f"{args.new_share:.0%} new:     {runs['new_records']['seconds']:.1f}s = {new_pct:.0f}% of a full run "
          f"(target <= 35%), shards identical: {new_identical}")
    cpu_same = 100 * runs["same_input"]["cpu_seconds"] / runs["scratch"]["cpu_seconds"]
    cpu_new = 100 * runs["new_records"]["cpu_seconds"] / runs["full_day2"]["cpu_seconds"]
    print(f"CPU time:    same input {cpu_same:.0f}% of scratch, {args.new_share:.0%} new {cpu_new:.0f}% of a full run "
          f"(a steadier measure on a shared machine)")
    report = dict(cpu_same_pct=cpu_same, cpu_new_pct=cpu_new, runs=runs, same_input_pct=same_pct, new_records_pct=new_pct, turns=args.turns,
                  same_identical=same_identical, new_identical=new_identical)
    with open(os.path.join(folder, "report.json"), "w") as fh:
        json.dump(report, fh, indent=1)
    return 0 if same_identical and new_identical else 1


if __name__ == "__main__":
    sys.exit(main())

"""Where the end-to-end release's CPU goes: the whole release in one process (DirectRunner
`in_memory`, one worker, so every transform runs in this thread) under cProfile with a CPU
clock, on the real-chat-shaped corpus of `bench/e2e.py`.

    python -m bench.profile_e2e [--turns 3000] [--top 40]

Prints CPU seconds per area (the file a function lives in, grouped: our stages, their
libraries, Beam's coders and runner) by own time, then the top functions by own and by
cumulative time; the raw profile is bench/out/profile-<turns>.pstats (`python -m pstats`).
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import time

OUT = "bench/out"

# (area, substring of the function's file), first match wins.
AREAS = (
    ("language: lingua", "/lingua/"), ("language: langdetect", "/langdetect/"),
    ("language: ours", "transforms/language/"),
    ("pii: spaCy / thinc", "/spacy/"), ("pii: spaCy / thinc", "/thinc/"),
    ("pii: presidio", "/presidio"), ("pii: ours", "transforms/pii/"),
    ("toxicity", "transforms/toxicity/"), ("toxicity: profanity_check / sklearn", "/sklearn/"),
    ("toxicity: profanity_check / sklearn", "/profanity_check/"), ("toxicity: numpy/scipy", "/scipy/"),
    ("linking", "transforms/link"), ("duplicates", "transforms/dedup"), ("duplicates: datasketch", "/datasketch/"),
    ("statistics", "transforms/dataset_stats"), ("statistics", "transforms/stats"),
    ("read / parse", "transforms/read"), ("read / parse", "transforms/parse"), ("read / parse", "schemas/"),
    ("assemble", "transforms/assemble"), ("rows / write", "transforms/rows"), ("rows / write", "transforms/write"),
    ("rows / write", "transforms/variants"), ("rows / write", "transforms/sft"), ("rows / write", "/pyarrow/"),
    ("geo / ip", "transforms/ip"), ("geo / ip", "transforms/geo"), ("geo / ip", "/maxminddb/"),
    ("guard", "transforms/guard"),
    ("beam: coders / pickling", "apache_beam/coders"), ("beam: coders / pickling", "/dill/"),
    ("beam: coders / pickling", "/cloudpickle/"), ("beam: coders / pickling", "pickle"),
    ("beam: runner / worker", "apache_beam/"),
    ("json / orjson / zstd / gzip", "json"), ("json / orjson / zstd / gzip", "gzip"),
    ("json / orjson / zstd / gzip", "zstandard"),
    ("regex", "/re/"), ("regex", "/regex/"),
)


def area(filename: str) -> str:
    for name, needle in AREAS:
        if needle in filename:
            return name
    return "other: " + (filename.rsplit("/", 2)[-2] if "/" in filename else filename)


def by_area(stats: pstats.Stats) -> dict:
    own = collections.Counter()
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        own[area(filename)] += tottime
    return dict(own.most_common())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=3000)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    import yaml

    from bench.e2e import base_config, corpus

    path, _ = corpus(args.turns)
    sample = yaml.safe_load(open("configs/sample.yaml"))
    cfg = base_config(language=sample["language"]["strategy"], pii=sample["pii"]["strategy"])
    cfg["beam_args"] = [a for a in cfg["beam_args"] if not a.startswith("--direct_")] + [
        "--direct_running_mode=in_memory", "--direct_num_workers=1"]
    out = os.path.join(OUT, f"profile-release-{args.turns}")
    with open(f"{out}.yaml", "w") as fh:
        yaml.safe_dump(cfg, fh)
    os.environ.setdefault("WCHAT_IP_HASH_KEY", "bench-key-not-secret-0123456789")
    from pipelines import release

    profiler = cProfile.Profile(time.process_time)
    t0, c0 = time.time(), time.process_time()
    profiler.enable()
    code = release.main(["--config", f"{out}.yaml", "--input", os.path.join(path, "turns-*"), "--output", out])
    profiler.disable()
    wall, cpu = time.time() - t0, time.process_time() - c0
    dump = os.path.join(OUT, f"profile-{args.turns}.pstats")
    profiler.dump_stats(dump)
    stats = pstats.Stats(dump)
    print(f"\nrelease exit {code}: {wall:.1f}s wall, {cpu:.1f}s CPU (this process); profile {dump}")
    total = sum(by_area(stats).values())
    print(f"\n== own CPU time by area (total {total:.1f}s) ==")
    for name, s in by_area(stats).items():
        if s >= 0.002 * total:
            print(f"  {name:<40} {s:8.1f}s {s / total:6.1%}")
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

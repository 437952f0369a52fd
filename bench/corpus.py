"""The bench's generated corpora, shared by `bench/run.py` and `bench/pii_bench.py`: generate
one (once, cached under bench/out/), read its raw lines back, and parse them with the
pipeline's own parser (timed, as the parse stage's core).
"""
from __future__ import annotations

import glob
import json
import os
import time

__all__ = ["OUT", "corpus", "input_bytes", "raw_lines", "stage_parse"]

OUT = "bench/out"


def corpus(turns: int, words_scale: float, name: str, **link_cases) -> tuple[str, dict]:
    """(folder, truth) of the generated corpus `name` (seed 11), generated on first use."""
    from tools.generate import generate

    path = os.path.join(OUT, name)
    stamp = os.path.join(path, "truth.json.gz")
    if not os.path.exists(stamp):
        t0 = time.time()
        # No nasty-text cases: their 7 MB of odd text would skew the throughput numbers.
        generate(turns, seed=11, out=path, words_scale=words_scale,
                 **{"hot_share": 0.2, "nasty_cases": False, **link_cases})
        print(f"generated {turns} turns into {path} in {time.time() - t0:.1f}s")
    import gzip

    truth = json.loads(gzip.decompress(open(stamp, "rb").read()))
    return path, truth


def input_bytes(path):
    return sum(os.path.getsize(f) for f in glob.glob(os.path.join(path, "turns-*")))


def raw_lines(path):
    from transforms.read import iter_lines

    lines = []
    for f in sorted(glob.glob(os.path.join(path, "turns-*.jsonl*"))):
        import gzip

        import zstandard
        if f.endswith(".gz"):
            fh = gzip.open(f, "rb")
        elif f.endswith(".zst"):
            fh = zstandard.ZstdDecompressor().stream_reader(open(f, "rb"))
        else:
            fh = open(f, "rb")
        with fh:
            lines.extend(raw for _, raw in iter_lines(fh, 8 << 20))
    return lines


def stage_parse(lines):
    from schemas.input import InvalidRecord, parse_turn

    t0, turns = time.perf_counter(), []
    for raw in lines:
        try:
            turns.append(parse_turn(raw))
        except InvalidRecord:
            pass
    dt = time.perf_counter() - t0
    chars = sum(len(r) for r in lines)
    return turns, {"stage": "parse", "items": len(lines), "seconds": dt,
                   "items_per_s": len(lines) / dt, "chars_per_s": chars / dt}

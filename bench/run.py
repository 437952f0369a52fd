"""`make bench`: generate a corpus, time each stage's core in one process, then run the whole
pipeline and report throughput and peak RSS over all its processes.

    python -m bench.run [--turns 20000] [--link 100000,1000000] [--skip-e2e]

Numbers are printed (and written to bench/out/report.json); nothing is asserted.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import time

import yaml

from bench.pii_bench import pii_quality, pii_with_workers, stage_pii
from bench.rss import PeakRss

OUT = "bench/out"


def _fmt(n):
    return f"{n:,.0f}"


def _corpus(turns: int, words_scale: float, name: str) -> tuple[str, dict]:
    from tools.generate import generate

    path = os.path.join(OUT, name)
    stamp = os.path.join(path, "truth.json.gz")
    if not os.path.exists(stamp):
        t0 = time.time()
        # No nasty-text cases: their 7 MB of odd text would skew the throughput numbers.
        generate(turns, seed=11, out=path, words_scale=words_scale, hot_share=0.2, nasty_cases=False)
        print(f"generated {turns} turns into {path} in {time.time() - t0:.1f}s")
    import gzip

    truth = json.loads(gzip.decompress(open(stamp, "rb").read()))
    return path, truth


def _input_bytes(path):
    return sum(os.path.getsize(f) for f in glob.glob(os.path.join(path, "turns-*")))


def _raw_lines(path):
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


def stage_link_keys(turns):
    from transforms.link_core import chain_keys

    t0 = time.perf_counter()
    for t in turns:
        chain_keys(t.messages, t.response)
    dt = time.perf_counter() - t0
    chars = sum(len(c) for t in turns for _, c in t.transcript)
    return {"stage": "link_keys", "items": len(turns), "seconds": dt,
            "items_per_s": len(turns) / dt, "chars_per_s": chars / dt}


def _messages(turns, limit=None):
    """Distinct-by-position messages of the corpus as the pipeline sees them: each turn's new
    user message and reply (each message once, as after linking)."""
    out = []
    for t in turns:
        out += [t.messages[-1][1], t.response]
    return out[:limit] if limit else out


def stage_language(turns):
    import langdetect
    from langdetect.lang_detect_exception import LangDetectException

    from transforms.language import LanguageDetector

    msgs = _messages(turns, 20_000)
    chars = sum(map(len, msgs))
    langdetect.DetectorFactory.seed = 0
    t0 = time.perf_counter()
    for m in msgs:
        try:
            langdetect.detect(m)
        except LangDetectException:
            pass
    plain = time.perf_counter() - t0
    detector = LanguageDetector(seed=0)
    t0 = time.perf_counter()
    for m in msgs:
        detector.detect(m)
    dt = time.perf_counter() - t0
    return {"stage": "language", "items": len(msgs), "seconds": dt, "items_per_s": len(msgs) / dt,
            "chars_per_s": chars / dt, "baseline_plain_langdetect_msgs_per_s": round(len(msgs) / plain),
            "speedup": round(plain / dt, 2), "cache_hits": detector.cache_hits}


STAGE_BENCHES = [stage_link_keys, stage_language, stage_pii]


def run_pipeline(config: dict, input_glob: str, out: str) -> dict:
    cfg_path = os.path.join(OUT, f"{os.path.basename(out)}.yaml")
    with open(cfg_path, "w") as fh:
        yaml.safe_dump(config, fh)
    env = dict(os.environ, WCHAT_IP_HASH_KEY="bench-key-not-secret-0123456789")
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.release", "--config", cfg_path,
                             "--input", input_glob, "--output", out], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(proc.pid) as rss:
        stdout, stderr = proc.communicate()
    seconds = time.time() - t0
    if proc.returncode != 0:
        raise SystemExit(f"pipeline failed:\n{stderr[-4000:]}")
    from pipelines.layout import read_manifest
    manifest = read_manifest(out)
    return {"seconds": seconds, "peak_rss_mb": rss.peak / 2**20, "counts": manifest["counts"],
            "stats": manifest["stats"]}


def base_config(**stages) -> dict:
    cfg = yaml.safe_load(open("configs/sample.yaml"))
    cfg["ip_hash"] = {"allow_ephemeral_key": False}
    cfg["release"] = {"name": "bench", "num_shards": 8}
    cfg["validation"]["max_messages"] = 512
    for name, strategy in stages.items():
        cfg[name]["strategy"] = strategy
    return cfg


def end_to_end(turns: int, report: dict):
    path, truth = _corpus(turns, 1.0, f"corpus-{turns}")
    size = _input_bytes(path)
    lines = _raw_lines(path)
    parsed, parse_stats = stage_parse(lines)
    stages = [parse_stats] + [bench(parsed) for bench in STAGE_BENCHES]
    print(f"\n== stages, one process, {len(parsed)} valid turns ==")
    for s in stages:
        extra = "".join(f", {k} {v}" for k, v in s.items() if k not in
                        ("stage", "items", "seconds", "items_per_s", "chars_per_s"))
        print(f"{s['stage']:>22}: {_fmt(s['items_per_s'])} items/s, {_fmt(s['chars_per_s'])} chars/s "
              f"({s['items']} items, {s['seconds']:.2f}s){extra}")
    report["stages"] = stages
    pii_with_workers(parsed, report)
    cfg = yaml.safe_load(open("configs/sample.yaml"))
    result = run_pipeline(base_config(language=cfg["language"]["strategy"], pii=cfg["pii"]["strategy"]),
                          os.path.join(path, "turns-*"), os.path.join(OUT, f"release-{turns}"))
    chars = sum(len(r) for r in lines)
    print(f"\n== end to end ({turns} turns, {size / 2**20:.1f} MiB input, {chars / 2**20:.1f} M chars "
          f"uncompressed, language={cfg['language']['strategy']}, pii={cfg['pii']['strategy']}) ==")
    print(f"{result['seconds']:.1f}s, {_fmt(turns / result['seconds'])} turns/s, "
          f"{_fmt(chars / result['seconds'])} chars/s, peak RSS {result['peak_rss_mb']:.0f} MiB "
          f"(all processes)")
    report["end_to_end"] = dict(result, turns=turns, input_bytes=size, chars=chars)


def link_quality(release_dir: str, truth: dict) -> dict:
    """Precision and recall of released conversations against the generator's truth: by
    content (role, text sequence; multiset) and, for conversations whose metadata tells them
    apart, by their exact turn ids."""
    import collections

    import pyarrow.parquet as pq

    from pipelines.layout import data_files
    table = pq.read_table(data_files(release_dir), columns=["conversation"])
    got, got_paths = collections.Counter(), set()
    for conv in table.column("conversation").to_pylist():
        got[tuple((m["role"], m["content"]) for m in conv)] += 1
        got_paths.add(tuple(m["turn_identifier"] for m in conv if m["role"] == "user"))
    expected = collections.Counter(tuple(map(tuple, c["messages"])) for c in truth["conversations"])
    matched = sum((got & expected).values())
    exact = [c for c in truth["conversations"] if not c["ambiguous"]]
    exact_hits = sum(tuple(c["turn_ids"]) in got_paths for c in exact)
    return {"precision": matched / max(1, sum(got.values())), "recall": matched / max(1, sum(expected.values())),
            "distinguishable_exact_paths": exact_hits / max(1, len(exact)), "released": sum(got.values()),
            "truth": sum(expected.values())}


def linking(sizes, report: dict, mode: str = "in_memory"):
    """Link-only releases of generated corpora (20% open with the same exchange). `mode` is
    the DirectRunner's running mode: in_memory (one process; the default here, see README
    "Known limits" on multi_processing at 1M turns) or multi_processing (2 workers)."""
    rows = []
    for n in sizes:
        path, truth = _corpus(n, 0.25, f"link-{n}")
        cfg = base_config(language="none", pii="none")
        if mode == "in_memory":
            cfg["beam_args"] = [a for a in cfg["beam_args"] if not a.startswith("--direct_")] + [
                "--direct_running_mode=in_memory", "--direct_num_workers=1"]
        result = run_pipeline(cfg, os.path.join(path, "turns-*"), os.path.join(OUT, f"link-release-{n}"))
        ok = result["counts"] == truth["counts"]
        quality = link_quality(os.path.join(OUT, f"link-release-{n}"), truth)
        rows.append(dict(result, turns=n, mode=mode, input_bytes=_input_bytes(path), counts_match_truth=ok,
                         quality=quality))
        if quality:
            print(f"  quality at {n}: precision {quality['precision']:.4f}, recall {quality['recall']:.4f}, "
                  f"exact turn paths of distinguishable conversations {quality['distinguishable_exact_paths']:.4f}")
        print(f"link {n} turns ({mode}): {result['seconds']:.1f}s, {_fmt(n / result['seconds'])} turns/s, "
              f"peak RSS {result['peak_rss_mb']:.0f} MiB, input {_input_bytes(path) / 2**20:.0f} MiB, "
              f"counts match truth: {ok}")
    if len(rows) >= 2:
        ratio = rows[-1]["seconds"] / rows[0]["seconds"]
        print(f"time ratio {rows[-1]['turns']}/{rows[0]['turns']}: {ratio:.1f}x "
              f"(linear would be {rows[-1]['turns'] / rows[0]['turns']:.0f}x)")
    report["linking"] = rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=20_000)
    parser.add_argument("--link", default="", help="comma-separated corpus sizes for link-only runs")
    parser.add_argument("--link-mode", default="in_memory", choices=("in_memory", "multi_processing"),
                        help="DirectRunner running mode of the link-only runs")
    parser.add_argument("--skip-e2e", action="store_true")
    args = parser.parse_args(argv)
    os.makedirs(OUT, exist_ok=True)
    report = {}
    from bench import language_bench

    language_bench.run(report=report)
    pii_quality(report)
    from bench.enrich_bench import enrich
    enrich(report)  # geo lookups/s, toxicity P/R/F1 per language and messages/s
    if not args.skip_e2e:
        end_to_end(args.turns, report)
    if args.link:
        linking([int(x) for x in args.link.split(",")], report, args.link_mode)
    with open(os.path.join(OUT, "report.json"), "w") as fh:
        json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()

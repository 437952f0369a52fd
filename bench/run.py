"""`make bench`: generate a corpus, time each stage's core in one process, then run the whole
pipeline and report throughput and peak RSS over all its processes.

    python -m bench.run [--turns 100000] [--link 100000,1000000] [--skip-e2e] [--dedup-timing 100000]
    python -m bench.run --e2e-only [--turns 1000000]     # the whole release only (bench/e2e.py)
    python -m bench.run --link-only --link 100000 [--ip-change-window 0] [--browsers 0]

Numbers are printed (and written to bench/out/report.json); nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import yaml

from bench.corpus import OUT, corpus, input_bytes, raw_lines, stage_parse
from bench.e2e import base_config, end_to_end
from bench.pii_bench import pii_quality, pii_with_workers, stage_pii
from bench.rss import PeakRss


def _fmt(n):
    return f"{n:,.0f}"


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


def stage_cores(turns: int, report: dict):
    """Each stage's core timed in one process, and the PII stage alone with 2 workers, on the
    `tools.generate` corpus of `turns` turns (the end-to-end run is `bench/e2e.py`'s)."""
    path, truth = corpus(turns, 1.0, f"corpus-{turns}")
    lines = raw_lines(path)
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


LINK_CORPUS = dict(hot_share=0.3, churn_share=0.2, ip_change_window=900)
# Distinct user agents in the link corpora (tools/generate.py `ua_pool`: 6.6 bits of entropy,
# below the 10 bits measured on real browsers); `--browsers 0` is the old four-agent stress case.
BROWSERS = 400
SCRIPTED_SHARE = 0.2  # the scripted tree's share of the corpus (200k members at 1M turns)


def link_quality(release_dir: str, truth: dict) -> dict:
    """Precision and recall of released conversations against the generator's truth:
    - by class (content: the (role, text) sequence; multiset);
    - by path (the user turns' ids, null for a turn lost before the input): released rows
      whose path is a true conversation's, and true paths released; also over the
      conversations whose metadata tells them apart (`distinguishable_exact_paths`)."""
    import collections

    import pyarrow.parquet as pq

    from pipelines.layout import data_files
    table = pq.read_table(data_files(release_dir), columns=["conversation"])
    got, got_paths, got_by_path = collections.Counter(), collections.Counter(), collections.Counter()
    for conv in table.column("conversation").to_pylist():
        content = tuple((m["role"], m["content"]) for m in conv)
        path = tuple(m["turn_identifier"] for m in conv if m["role"] == "user")
        got[content] += 1
        got_paths[path] += 1
        got_by_path[(path, content)] += 1
    expected = collections.Counter(tuple(map(tuple, c["messages"])) for c in truth["conversations"])
    true_paths = collections.Counter(tuple(c["turn_ids"]) for c in truth["conversations"])
    matched, path_matched = sum((got & expected).values()), sum((got_paths & true_paths).values())
    exact = [c for c in truth["conversations"] if not c["ambiguous"]]
    exact_hits = sum(tuple(c["turn_ids"]) in got_paths for c in exact)
    n_got, n_true = max(1, sum(got.values())), max(1, sum(expected.values()))
    # The same, leaving out the conversations whose metadata cannot tell them apart (truth
    # `ambiguous`) and every released row holding one of their turns.
    unclear = {i for c in truth["conversations"] if c["ambiguous"] for i in c["turn_ids"]} - {None}
    clear_got = collections.Counter({k: v for k, v in got_by_path.items() if not unclear & set(k[0])})
    clear_true = collections.Counter(tuple(map(tuple, c["messages"])) for c in exact)
    clear_content = collections.Counter()
    for (_, content), v in clear_got.items():
        clear_content[content] += v
    clear_matched = sum((clear_content & clear_true).values())
    return {"class_precision": matched / n_got, "class_recall": matched / n_true,
            "distinguishable_class_precision": clear_matched / max(1, sum(clear_content.values())),
            "distinguishable_class_recall": clear_matched / max(1, sum(clear_true.values())),
            "path_precision": path_matched / n_got, "path_recall": path_matched / n_true,
            "distinguishable_exact_paths": exact_hits / max(1, len(exact)),
            "released": sum(got.values()), "truth": sum(expected.values())}


def counts_check(counts: dict, truth_counts: dict) -> dict:
    """The input identity must equal the generator's exactly. `released_conversations` is a
    linking outcome, not an input count: a refused guess releases a conversation as two, so
    it is compared with the truth through precision and recall instead."""
    identity = [k for k in truth_counts if k != "released_conversations"]
    diff = {k: [counts.get(k), truth_counts[k]] for k in identity if counts.get(k) != truth_counts[k]}
    return {"counts_match_truth": not diff, "count_differences": diff,
            "released_vs_truth": [counts.get("released_conversations"), truth_counts["released_conversations"]]}


def linking(sizes, report: dict, mode: str = "in_memory", ip_change_window: float = 900,
            browsers: int = BROWSERS):
    """Link-only releases of generated corpora (hot "hi" opening, IP churn right after it, one
    scripted client's tree of 20% of the corpus). `mode` is the DirectRunner's running mode:
    in_memory (one process; the default here, see README "Known limits" on
    multi_processing at 1M turns) or multi_processing (2 workers)."""
    rows = []
    for n in sizes:
        scripted = int(n * SCRIPTED_SHARE)
        path, truth = corpus(n, 0.25, f"link3-{n}" + (f"-b{browsers}" if browsers else ""),
                              scripted_tree=scripted, browsers=browsers, **LINK_CORPUS)
        cfg = base_config(language="none", pii="none")
        cfg["linking"]["ip_change_window_seconds"] = ip_change_window
        if mode == "in_memory":
            cfg["beam_args"] = [a for a in cfg["beam_args"] if not a.startswith("--direct_")] + [
                "--direct_running_mode=in_memory", "--direct_num_workers=1"]
        name = f"link-release-{n}-w{ip_change_window:g}-b{browsers}"
        result = run_pipeline(cfg, os.path.join(path, "turns-*"), os.path.join(OUT, name))
        check = counts_check(result["counts"], truth["counts"])
        quality = link_quality(os.path.join(OUT, name), truth)
        groups = {k.rsplit(".", 1)[1]: v for k, v in result["stats"].items()
                  if k.startswith("linking.largest_group.")}
        rows.append(dict(result, turns=n, mode=mode, ip_change_window=ip_change_window, browsers=browsers,
                         scripted_tree=scripted, input_bytes=input_bytes(path), quality=quality,
                         largest_group=groups, **check))
        print(f"link {n} turns ({mode}, ip window {ip_change_window:g}s, scripted tree {scripted}, "
              f"{browsers or 4} user agents): "
              f"{result['seconds']:.1f}s, {_fmt(n / result['seconds'])} turns/s, "
              f"peak RSS {result['peak_rss_mb']:.0f} MiB, input {input_bytes(path) / 2**20:.0f} MiB")
        print(f"  precision/recall by class {quality['class_precision']:.5f}/{quality['class_recall']:.5f}, "
              f"by path {quality['path_precision']:.5f}/{quality['path_recall']:.5f}, exact paths of "
              f"distinguishable conversations {quality['distinguishable_exact_paths']:.5f}; by class "
              f"over distinguishable conversations {quality['distinguishable_class_precision']:.5f}/"
              f"{quality['distinguishable_class_recall']:.5f}")
        print(f"  largest group per step (items held under one key): "
              + ", ".join(f"{k} {v}" for k, v in sorted(groups.items())))
        print(f"  counts match truth: {check['counts_match_truth']} {check['count_differences'] or ''}"
              f"(released {check['released_vs_truth'][0]}, truth {check['released_vs_truth'][1]})")
    if len(rows) >= 2:
        ratio = rows[-1]["seconds"] / rows[0]["seconds"]
        print(f"time ratio {rows[-1]['turns']}/{rows[0]['turns']}: {ratio:.1f}x "
              f"(linear would be {rows[-1]['turns'] / rows[0]['turns']:.0f}x)")
        report["link_time_ratio"] = ratio
    report.setdefault("linking", []).extend(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=100_000,
                        help="turns of the end-to-end run's real-chat-shaped corpus (bench/e2e.py)")
    parser.add_argument("--stage-turns", type=int, default=20_000,
                        help="turns of the corpus the one-process stage cores are timed on")
    parser.add_argument("--e2e-only", action="store_true",
                        help="only the end-to-end run and its naive baseline")
    parser.add_argument("--link", default="", help="comma-separated corpus sizes for link-only runs")
    parser.add_argument("--link-mode", default="in_memory", choices=("in_memory", "multi_processing"),
                        help="DirectRunner running mode of the link-only runs")
    parser.add_argument("--ip-change-window", type=float, default=900,
                        help="linking.ip_change_window_seconds of the link-only runs (0: off)")
    parser.add_argument("--browsers", type=int, default=BROWSERS,
                        help="distinct user agents in the link corpora (0: the four-agent stress case)")
    parser.add_argument("--link-only", action="store_true",
                        help="only the link-only runs (no language, PII, enrichment or end-to-end)")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--dedup-timing", type=int, default=100_000,
                        help="conversations of the duplicate-detection timing set (0: none)")
    args = parser.parse_args(argv)
    os.makedirs(OUT, exist_ok=True)
    report = {}
    if args.e2e_only:
        end_to_end(args.turns, report)
    elif not args.link_only:
        from bench import language_bench

        language_bench.run(report=report)
        pii_quality(report)
        from bench.enrich_bench import enrich
        enrich(report)  # geo lookups/s, toxicity P/R/F1 per language and messages/s
        from bench.dedup_bench import run as duplicates
        # duplicate detection: pair P/R on planted duplicates (held-out seed), time per 100k
        duplicates(conversations=10_000, seed=2, timing=args.dedup_timing, report=report)
        stage_cores(args.stage_turns, report)
        if not args.skip_e2e:
            end_to_end(args.turns, report)
    if args.link:
        linking([int(x) for x in args.link.split(",")], report, args.link_mode, args.ip_change_window,
                args.browsers)
    name = "report-link.json" if args.link_only else f"report-e2e-{args.turns}.json" if args.e2e_only else "report.json"
    with open(os.path.join(OUT, name), "w") as fh:
        json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()

"""The end-to-end part of `make bench`: the whole release (sample config: linking, language,
PII, toxicity, geo, duplicates, variants, sft, statistics, writing) on a corpus shaped like real
chat (`bench/realistic.py`), and naive beside it from the same run.

    python -m bench.run --e2e-only [--turns 100000]      # 1M: --turns 1000000

Printed: wall time, CPU seconds of the whole process tree, per top-level transform the seconds
Beam's harness measured in it (`bench/stage_times.py`), peak RSS (all processes), chars/s over
the distinct message texts, and naive (seeded langdetect + Presidio per message, 2 processes;
`bench/naive.py`) on an every-k-th sample of the same messages, with the ratio.
"""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time

from bench.rss import PeakRss, TreeSampler, tree_pids

__all__ = ["base_config", "corpus", "distinct_messages", "run_release", "end_to_end"]

OUT = "bench/out"
NAIVE_SAMPLE_CHARS = 1_200_000  # ~1 minute per naive process


def base_config(**stages) -> dict:
    """configs/sample.yaml for the bench runs (also `bench/run.py`'s link-only runs): a fixed
    IP-hash key from the environment, 8 shards, `stages` = {stage: strategy}."""
    import yaml

    cfg = yaml.safe_load(open("configs/sample.yaml"))
    cfg["ip_hash"] = {"allow_ephemeral_key": False}
    cfg["release"] = {"name": "bench", "num_shards": 8}
    cfg["validation"]["max_messages"] = 512
    for name, strategy in stages.items():
        cfg[name]["strategy"] = strategy
    return cfg


def corpus(turns: int) -> tuple[str, dict]:
    from bench.realistic import describe, generate

    path = os.path.join(OUT, f"real-{turns}")
    stamp = os.path.join(path, "truth.json.gz")
    if not os.path.exists(stamp):
        t0 = time.time()
        generate(turns, seed=11, out=path, browsers=400)
        print(f"generated {turns} turns into {path} in {time.time() - t0:.1f}s")
    truth = json.loads(gzip.decompress(open(stamp, "rb").read()))
    return path, truth


def distinct_messages(truth: dict) -> list:
    """The distinct texts of the released conversations, in order of first appearance."""
    seen = {}
    for conv in truth["conversations"]:
        for _, text in conv["messages"]:
            seen.setdefault(text, None)
    return list(seen)


class TreeCpu(TreeSampler):
    """CPU seconds (user + system) of a process tree: each process's last sampled value."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(pid, interval)
        self.last = {}
        self._tick = os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        for p in tree_pids(self.pid):
            try:
                with open(f"/proc/{p}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                self.last[p] = (int(fields[11]) + int(fields[12])) / self._tick
            except (OSError, ValueError, IndexError):
                pass

    @property
    def seconds(self) -> float:
        return sum(self.last.values())


def run_release(config: dict, input_glob: str, out: str, profile: str | None = None) -> dict:
    """The release in a subprocess through `bench.stage_times`; with `profile`, under cProfile
    (the driver process only: use an in_memory config to profile the transforms)."""
    import yaml


    cfg_path, metrics = f"{out}.yaml", f"{out}.stage_times.json"
    with open(cfg_path, "w") as fh:
        yaml.safe_dump(config, fh)
    env = dict(os.environ, WCHAT_IP_HASH_KEY="bench-key-not-secret-0123456789")
    cmd = [sys.executable] + (["-m", "cProfile", "-o", profile] if profile else []) + [
        "-m", "bench.stage_times", metrics, "--", "--config", cfg_path, "--input", input_glob,
        "--output", out]
    t0 = time.time()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(proc.pid) as rss, TreeCpu(proc.pid) as cpu:
        _, stderr = proc.communicate()
    seconds = time.time() - t0
    if proc.returncode != 0:
        raise SystemExit(f"pipeline failed:\n{stderr[-4000:]}")
    from pipelines.layout import read_manifest

    manifest = read_manifest(out)
    with open(metrics) as fh:
        times = json.load(fh)
    return {"seconds": seconds, "cpu_seconds": cpu.seconds, "peak_rss_mb": rss.peak / 2**20,
            "stage_seconds": times["stage_seconds"], "stage_cpu_seconds": times["stage_cpu_seconds"],
            "language_counters": times.get("language_counters", {}), "counts": manifest["counts"]}


# The top-level transform each guarded stage's DoFn runs in (pipelines/release.py).
GUARDED = {"assemble": "Assemble", "language": "DetectLanguage", "pii": "ScrubPii",
           "toxicity": "TagToxicity", "rows": "ToRows", "write": "WriteVariants"}


def _print_stages(result: dict):
    stages, cpu_by_stage, cpu = result["stage_seconds"], result["stage_cpu_seconds"], result["cpu_seconds"]
    inside = sum(stages.values())
    print(f"CPU {cpu:,.0f}s over all processes ({cpu / result['seconds']:.2f} cores busy on average); "
          f"wall time inside transforms (Beam execution-time metrics, summed over workers) {inside:,.0f}s")
    print(f"  {'transform':<26} {'in it':>9} {'share':>6} {'CPU (guarded stages)':>22}")
    by_transform = {GUARDED[k]: v for k, v in cpu_by_stage.items() if k in GUARDED}
    small = max(1.0, 0.005 * inside)
    for name, s in stages.items():
        if s >= small:
            c = by_transform.get(name)
            print(f"  {name:<26} {s:8.1f}s {s / max(inside, 1e-9):6.1%} {'' if c is None else f'{c:8.1f}s':>22}")
    rest = sum(s for s in stages.values() if s < small)
    print(f"  {'(smaller transforms)':<26} {rest:8.1f}s {rest / max(inside, 1e-9):6.1%}")


def end_to_end(turns: int, report: dict, naive_chars: int = NAIVE_SAMPLE_CHARS):
    from bench.naive import naive_rate, sample
    from bench.realistic import describe

    path, truth = corpus(turns)
    shape = describe(truth)
    messages = distinct_messages(truth)
    chars = sum(map(len, messages))
    print(f"\n== end to end: {turns} turns, real-chat shape ({len(messages):,} distinct messages, "
          f"{chars / 1e6:.1f} M chars) ==")
    print(f"user message chars mean {shape['user_chars']['mean']} / median "
          f"{shape['user_chars']['median']} / max {shape['user_chars']['max']}, reply mean "
          f"{shape['reply_chars']['mean']}, conversations with code "
          f"{shape['conversations_with_code']:.0%}, English {shape['languages'].get('en', 0):.0%}")
    import yaml

    sample_cfg = yaml.safe_load(open("configs/sample.yaml"))
    cfg = base_config(language=sample_cfg["language"]["strategy"], pii=sample_cfg["pii"]["strategy"])
    result = run_release(cfg, os.path.join(path, "turns-*"), os.path.join(OUT, f"real-release-{turns}"))
    cps = chars / result["seconds"]
    print(f"release: {result['seconds']:.1f}s wall, {cps:,.0f} chars/s, peak RSS "
          f"{result['peak_rss_mb']:,.0f} MiB (all processes)")
    _print_stages(result)
    lang = result["language_counters"]
    if lang:
        print(f"language: {lang.get('messages', 0):,} messages, lingua run on {lang.get('lingua_calls', 0):,} "
              f"samples, its answer taken for {lang.get('rule_lingua', 0):,}, cache hits {lang.get('cache_hits', 0):,}")
    naive = naive_rate(sample(messages, naive_chars))
    naive_total = chars / naive["chars_per_s"]
    print(f"naive (seeded langdetect + Presidio analyze()+anonymize() per message, 2 processes) on "
          f"{naive['messages']:,} of the messages ({naive['chars'] / 1e6:.2f} M chars): "
          f"{naive['chars_per_s']:,.0f} chars/s, so {naive_total:,.0f}s for the corpus "
          f"(model loading left out)")
    print(f"ratio: {cps / naive['chars_per_s']:.2f}x naive (release wall time incl. start-up, "
          f"reading, linking and writing, vs naive's language + PII alone)")
    cpu_cps = chars / result["cpu_seconds"]
    print(f"per CPU second (what a shared machine cannot skew): release {cpu_cps:,.0f} chars/CPU-s, "
          f"naive {naive['chars_per_cpu_s']:,.0f}: {cpu_cps / naive['chars_per_cpu_s']:.2f}x (the release "
          f"kept {result['cpu_seconds'] / result['seconds']:.2f} cores busy on average; on 2 free cores "
          f"the wall ratio is this ratio times that number over naive's 2)")
    report["end_to_end"] = dict(result, turns=turns, chars=chars, messages=len(messages), shape=shape,
                                chars_per_s=cps, naive=naive, naive_seconds=naive_total,
                                ratio=cps / naive["chars_per_s"], chars_per_cpu_s=cpu_cps,
                                cpu_ratio=cpu_cps / naive["chars_per_cpu_s"])

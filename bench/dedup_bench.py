"""Duplicate detection, measured: precision and recall on a set with planted exact and near
duplicates (`bench/dedup_set.py`), next to naive baselines from the same run, and the time of
the `MarkDuplicates` step per 100k conversations.

    python -m bench.dedup_bench [--conversations 10000] [--seed 2] [--threshold 0.7] [--timing 100000]

Quality is over pairs of conversations: a pair is predicted when the detector puts both in one
cluster (a flagged conversation joins the one it duplicates, `duplicate_of`), true when the
generator planted them in one cluster. Baselines: `exact first prompt` (two conversations are
duplicates when their first prompts are equal once case and spacing are normalised: what a
plain GROUP BY finds) and `exact only` (this stage's exact duplicates alone). Recall is also
given per kind of copy and per length of the original's first prompt. A second set of the
same size, `stress_short_prompts`, makes 45% of the originals an opening alone ("Write a short
story about sleep for my son."): originals of one template then differ in a word or two, as
much as a changed name, so it shows what the detector does with templated short prompts. The step runs as the
pipeline runs it (Beam DirectRunner, one process, in memory), reading the set from a file;
the largest group each of its grouping steps held is printed beside the time.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import time

import orjson

from bench.dedup_set import KINDS, make_set

OUT = "bench/out"
__all__ = ["run", "pair_scores", "clusters_of"]


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def clusters_of(duplicate_of: dict) -> dict:
    """conversation_id -> cluster (the root reached by following duplicate_of)."""
    def root(cid):
        seen = []
        while duplicate_of.get(cid) is not None and cid not in seen:
            seen.append(cid)
            cid = duplicate_of[cid]
        return cid
    return {cid: root(cid) for cid in duplicate_of}


def pair_scores(predicted: dict, truth: dict) -> dict:
    """Pair precision/recall of a clustering `predicted` (id -> cluster) against `truth`."""
    both = collections.Counter((predicted[c], truth[c]) for c in truth)
    tp = sum(_pairs(n) for n in both.values())
    pred = sum(_pairs(n) for n in collections.Counter(predicted.values()).values())
    true = sum(_pairs(n) for n in collections.Counter(truth.values()).values())
    p, r = (tp / pred if pred else 1.0), (tp / true if true else 1.0)
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "true_pairs": true, "predicted_pairs": pred}


def _detect(path: str, out_dir: str, threshold: float, min_words: int) -> tuple:
    """(flags by id, stats, largest groups, seconds) of MarkDuplicates over the JSON lines."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.release import NO_PRISM
    from transforms.dedup import SIZES, STATS, MarkDuplicates

    def flags(row):
        return orjson.dumps([row["conversation_id"], row["duplicate_exact"],
                             row["duplicate_near"], row["duplicate_of"]]).decode()

    options = PipelineOptions(["--direct_running_mode=in_memory", "--direct_num_workers=1", NO_PRISM])
    t0 = time.perf_counter()
    with beam.Pipeline(options=options) as p:
        out = (p | "Read" >> beam.io.ReadFromText(path) | "Parse" >> beam.Map(orjson.loads)
               | "MarkDuplicates" >> MarkDuplicates(threshold=threshold, min_words=min_words))
        for name, pcoll in (("flags", out["rows"] | "Flags" >> beam.Map(flags)),
                            ("stats", out[STATS] | "Sum" >> beam.CombinePerKey(sum)
                             | "StatJson" >> beam.Map(json.dumps)),
                            ("sizes", out[SIZES] | "Max" >> beam.CombinePerKey(max)
                             | "SizeJson" >> beam.Map(json.dumps))):
            _ = pcoll | f"Write{name}" >> beam.io.WriteToText(
                os.path.join(out_dir, name), num_shards=1, shard_name_template="")
    seconds = time.perf_counter() - t0

    def read(name):
        with open(os.path.join(out_dir, name), encoding="utf-8") as fh:
            return [json.loads(line) for line in fh]
    got = {cid: (exact, near, of) for cid, exact, near, of in read("flags")}
    return got, dict(map(tuple, read("stats"))), dict(map(tuple, read("sizes"))), seconds


def _baseline_first_prompt(rows) -> dict:
    from transforms.dedup_core import first_prompt, normalise

    return {r["conversation_id"]: normalise(first_prompt(r["conversation"])) for r in rows}


def _length_bucket(words: int) -> str:
    return "<5 words" if words < 5 else "5-9 words" if words < 10 else "10-19 words" if words < 20 else ">=20 words"


def evaluate(rows: list, got: dict) -> dict:
    from transforms.dedup_core import first_prompt, prompt_words

    truth = {r["conversation_id"]: r["cluster"] for r in rows}
    detector = clusters_of({cid: of for cid, (_, _, of) in got.items()})
    exact_only = clusters_of({cid: (of if exact else None) for cid, (exact, _, of) in got.items()})
    result = {"conversations": len(rows),
              "planted_copies": sum(r["kind"] != "original" for r in rows),
              "detector": pair_scores(detector, truth),
              "baseline_exact_first_prompt": pair_scores(_baseline_first_prompt(rows), truth),
              "baseline_exact_only": pair_scores(exact_only, truth)}
    originals = {r["cluster"]: r for r in rows if r["kind"] == "original"}
    by_kind, by_length = collections.defaultdict(list), collections.defaultdict(list)
    for r in rows:
        if r["kind"] == "original":
            continue
        found = detector[r["conversation_id"]] == detector[originals[r["cluster"]]["conversation_id"]]
        by_kind[r["kind"]].append(found)
        n = len(prompt_words(first_prompt(originals[r["cluster"]]["conversation"])))
        by_length[_length_bucket(n)].append(found)
    result["recall_by_kind"] = {k: [round(sum(v) / len(v), 4), len(v)] for k in KINDS
                                for v in [by_kind[k]] if v}
    result["recall_by_prompt_length"] = {k: [round(sum(v) / len(v), 4), len(v)]
                                         for k, v in sorted(by_length.items())}
    flagged = sum(1 for _, (_, _, of) in got.items() if of is not None)
    result["flagged"] = flagged
    return result


def _write_set(rows, path):
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(orjson.dumps({k: v for k, v in r.items() if k not in ("cluster", "kind")}).decode() + "\n")


STRESS_SHORT_SHARE = 0.45


def run(conversations=10_000, seed=2, threshold=0.7, min_words=5, timing=0, report=None) -> dict:
    """The main set, the short-prompt stress set (the same size) and, with `timing`, a set of
    that many conversations (quality printed for it too)."""
    report = {} if report is None else report
    os.makedirs(OUT, exist_ok=True)
    result = {}
    sets = [("quality", conversations, 0.0), ("stress_short_prompts", conversations, STRESS_SHORT_SHARE)]
    if timing:
        sets.append(("timing", timing, 0.0))
    for what, n, short in sets:
        rows = make_set(n, seed, short_share=short)
        name = f"{n}-s{seed}" + (f"-short{short}" if short else "")
        path = os.path.join(OUT, f"dedup-set-{name}.jsonl")
        _write_set(rows, path)
        got, stats, largest, seconds = _detect(path, os.path.join(OUT, f"dedup-{name}"),
                                               threshold, min_words)
        entry = {**evaluate(rows, got), "short_share": short, "seconds": round(seconds, 1),
                 "seconds_per_100k": round(seconds * 100_000 / n, 1),
                 "largest_group": largest, "stats": stats}
        result[what] = entry
        print(f"[{what}]")
        _print(entry, seed, threshold, min_words)
    report["duplicates"] = result
    return report


def _print(e: dict, seed, threshold, min_words):
    print(f"duplicates: {e['conversations']:,} conversations (seed {seed}), {e['planted_copies']:,} "
          f"planted copies, {e['short_share']:.0%} of originals an opening alone, "
          f"threshold {threshold}, min_words {min_words}")
    for name in ("detector", "baseline_exact_first_prompt", "baseline_exact_only"):
        s = e[name]
        print(f"  {name:28} pairs P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f} "
              f"(true pairs {s['true_pairs']:,}, predicted {s['predicted_pairs']:,})")
    print("  recall by kind: " + ", ".join(f"{k} {v[0]:.3f} ({v[1]})" for k, v in e["recall_by_kind"].items()))
    print("  recall by first-prompt length: " + ", ".join(
        f"{k} {v[0]:.3f} ({v[1]})" for k, v in e["recall_by_prompt_length"].items()))
    print(f"  MarkDuplicates: {e['seconds']:.1f} s ({e['seconds_per_100k']:.1f} s per 100k "
          f"conversations), one process; largest group per step: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(e["largest_group"].items())))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2, help="2: heldout (README numbers), 1: tune")
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--min-words", type=int, default=5)
    parser.add_argument("--timing", type=int, default=0,
                        help="also time a set of this many conversations (e.g. 100000)")
    args = parser.parse_args(argv)
    report = run(args.conversations, args.seed, args.threshold, args.min_words, args.timing)
    with open(os.path.join(OUT, "report-dedup.json"), "w") as fh:
        json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()

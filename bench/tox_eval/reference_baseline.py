"""Reference numbers: `alt-profanity-check` at its default threshold on this set.

    pip install alt-profanity-check==1.9.1        # not a project dependency
    python -m bench.tox_eval.reference_baseline [--split heldout]

Shows what the offline English default can and cannot do before anyone builds the tagger.
It reads every split but tunes nothing (fixed model, fixed 0.5 threshold). The naive
baseline "everything toxic" is printed beside it from the same run.
"""
from __future__ import annotations

import argparse
import sys

from bench.tox_eval.load import CATEGORIES, LABELS, SPLITS, load
from tools.toxicity.metrics import prf as _metrics


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    m = _metrics(gold, pred)
    return m["precision"], m["recall"], m["f1"]


def report(rows: list[dict], pred: list[bool]) -> str:
    langs = sorted({r["lang"] for r in rows}, key=lambda l: (l != "en", l))
    out = ["| lang | n | precision | recall | F1 | F1 all-toxic baseline |",
           "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for lang in langs + ["all"]:
        idx = [i for i, r in enumerate(rows) if lang == "all" or r["lang"] == lang]
        gold = [rows[i]["label"] == "toxic" for i in idx]
        p, r, f = prf(gold, [pred[i] for i in idx])
        _, _, f_naive = prf(gold, [True] * len(idx))
        out.append(f"| {lang} | {len(idx)} | {p:.2f} | {r:.2f} | {f:.2f} | {f_naive:.2f} |")
    out += ["", "| label | category | en flagged | other languages flagged |",
            "| --- | --- | ---: | ---: |"]
    for label in LABELS:
        for cat in CATEGORIES[label]:
            cells = []
            for in_en in (True, False):
                idx = [i for i, r in enumerate(rows)
                       if r["category"] == cat and (r["lang"] == "en") == in_en]
                hit = sum(pred[i] for i in idx)
                cells.append(f"{hit}/{len(idx)}" if idx else "-")
            out.append(f"| {label} | {cat} | {cells[0]} | {cells[1]} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=SPLITS, default="heldout")
    args = ap.parse_args(argv)
    try:
        from profanity_check import predict
    except ImportError:
        print("needs `pip install alt-profanity-check==1.9.1` (not a project dependency)",
              file=sys.stderr)
        return 2
    rows = load(args.split)
    pred = [bool(v) for v in predict([r["text"] for r in rows])]
    print(f"alt-profanity-check, default threshold, split={args.split}\n")
    print(report(rows, pred))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load the labeled language-identification evaluation set.

    from bench.lang_eval.load import load
    rows = load("heldout")          # list of dicts: id, lang, script, kind, text, source, split
                                    # (+ payload_lang for kind == "mixed")

    python -m bench.lang_eval.load --stats [--split heldout]

Rule: nobody tunes on `heldout`, and no text from this set is ever copied into a detector's
rules or into tests. See README.md beside this file.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import os

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "lang_set.jsonl.gz")
SPLITS = ("tune", "heldout")
KINDS = ("prose", "prompt", "short", "mixed")


def load(split: str | None = None, path: str = PATH) -> list[dict]:
    """All records, or those of one split ("tune" or "heldout")."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS} or None, got {split!r}")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def stats(rows: list[dict]) -> str:
    by_lang = collections.defaultdict(collections.Counter)
    for r in rows:
        c = by_lang[r["lang"]]
        c[r["kind"]] += 1
        c[r["split"]] += 1
        c["collected" if r["source"].startswith("collected") else "written"] += 1
    cols = KINDS + SPLITS + ("collected", "written")
    lines = [f"{'lang':<6}{'total':>6}" + "".join(f"{c:>10}" for c in cols)]
    total = collections.Counter()
    for lang in sorted(by_lang):
        c = by_lang[lang]
        n = sum(c[k] for k in KINDS)
        total.update(c)
        lines.append(f"{lang:<6}{n:>6}" + "".join(f"{c[k]:>10}" for k in cols))
    n = sum(total[k] for k in KINDS)
    lines.append(f"{'all':<6}{n:>6}" + "".join(f"{total[k]:>10}" for k in cols))
    lines.append(f"{len(by_lang)} languages")
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Language-ID evaluation set")
    ap.add_argument("--stats", action="store_true", help="counts per language, kind, split")
    ap.add_argument("--split", choices=SPLITS, default=None)
    args = ap.parse_args(argv)
    rows = load(args.split)
    if args.stats:
        print(stats(rows))
    else:
        print(f"{len(rows)} records; use --stats for counts")


if __name__ == "__main__":
    main()

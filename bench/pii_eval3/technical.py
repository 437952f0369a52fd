"""The `technical` set: technical_texts.py, split by a hash of each text's id."""

from __future__ import annotations

import hashlib

from bench.pii_eval3.common import split_of
from bench.pii_eval3.technical_texts import TEXTS


def build() -> list[dict]:
    records = []
    for source, text in TEXTS:
        rid = "tech-" + hashlib.sha256(text.encode()).hexdigest()[:10]
        records.append({"id": rid, "set": "technical", "source": source, "split": split_of(rid),
                        "text": text})
    _check_distinct(records)
    return records


def _check_distinct(records: list[dict]) -> None:
    """No text may repeat one of bench/pii_eval's technical texts (compared whole and by line)."""
    import json
    from pathlib import Path

    other = Path(__file__).resolve().parent.parent / "pii_eval" / "data" / "technical.jsonl"
    if not other.exists():
        return
    theirs = [json.loads(line)["text"] for line in other.read_text(encoding="utf-8").splitlines() if line.strip()]
    their_lines = {ln.strip() for t in theirs for ln in t.splitlines() if len(ln.strip()) > 40}
    problems = []
    for rec in records:
        if rec["text"] in theirs:
            problems.append(f"{rec['id']} repeats a text of bench/pii_eval")
        shared = [ln for ln in rec["text"].splitlines() if ln.strip() in their_lines]
        if shared:
            problems.append(f"{rec['id']} ({rec['source']}) shares lines with bench/pii_eval: {shared}")
    if problems:
        raise SystemExit("\n".join(problems))

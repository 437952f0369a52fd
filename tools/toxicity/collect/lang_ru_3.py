"""Russian toxicity rows, more pages of the second train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_ru_3

TRAIN    Russian Language Toxic Comments (Kaggle "blackmoon/russian-language-toxic-comments":
         2ch.hk and pikabu.ru comments, `toxic` 1.0/0.0), as stored in aponskk/toxic,
         data/labeled.csv (commit 1ef06953d7366ad842974a8b5cf1ef627a367cce), pages at offsets
         other than the ones lang_ru_2 reads; written to ru.rutoxic_2ch_pikabu_more.tsv.gz.

As returned by read_file these pages show a record as `"<comment>",<1.0|0.0>` (quote doubled
inside) or, for a comment without commas or quotes, `<comment>,<1.0|0.0>`, one per line (in the 2ch/late part the comment ends with a newline inside the quotes); the
first (cut) line of a page and the unterminated last record are dropped. Rows whose text is
already in any existing Russian train file are dropped. sources/ru.md has the provenance.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import clean, write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN_DIR = Path("tools/toxicity/data/train")
PAGES = (20, 140)
OUT = TRAIN_DIR / "ru.rutoxic_2ch_pikabu_more.tsv.gz"
LABELS = {"1.0": 1, "0.0": 0}
_RECORD_END = re.compile(r",(?:1\.0|0\.0)\n")


def page_rows(n: int) -> Iterator[Row]:
    """Whole records of page n (offset 16,000 * n): comment -> text, toxic 1.0/0.0 -> 1/0."""
    text = (TRAIN_RAW / f"ru.rutoxic_2ch_pikabu.page{n}.csv").read_text(encoding="utf-8")
    first_end = _RECORD_END.search(text)  # the cut first record ends at the first label
    text = text[first_end.end():] if first_end else ""
    for i, rec in enumerate(csv.reader(io.StringIO(text)), start=1):
        if len(rec) == 2 and rec[1] in LABELS:  # the cut last record has no label
            yield rec[0], LABELS[rec[1]], f"o{16000 * n}.{i}"


def existing_texts() -> set[str]:
    """Texts of every Russian train file already written (other than OUT)."""
    seen: set[str] = set()
    for path in sorted(TRAIN_DIR.glob("ru.*.tsv.gz")):
        if path == OUT:
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            seen |= {line.split("\t", 1)[0] for line in fh.read().splitlines()[1:]}
    return seen


def main() -> None:
    seen = existing_texts()
    rows = (row for n in PAGES for row in page_rows(n) if clean(row[0]) not in seen)
    print(OUT, write(OUT, rows))


if __name__ == "__main__":
    main()

"""Turkish toxicity rows, second train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_tr_2

TRAIN    HATC (Turkish hate speech / offensive Instagram comments), as reformatted in
         nilakay/tr-tweets-hate-speech, `cleaning datasets/hatc.csv`: csv `text,label`
         (1 offensive, 0 not), quoted where needed, rows grouped by label.

A raw page is 16,000 characters of the original file from offset 16,000 * N (file name
`.page<N>.`); rows cut at either page edge are dropped. sources/tr.md has the provenance.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.lang_ru import page_number, whole_rows
from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN_OUT = Path("tools/toxicity/data/train/tr.hatc.tsv.gz")


def hatc_rows(path: Path) -> Iterator[Row]:
    """text, label 1/0; a row whose field count or label is wrong (a damaged edge) is skipped."""
    n = page_number(path)
    reader = csv.reader(io.StringIO(whole_rows(path)))
    for i, row in enumerate(reader, start=1):
        if len(row) != 2 or row[1] not in ("0", "1") or row[0] == "text":
            continue
        yield row[0], int(row[1]), f"p{n}.{i}"


def main() -> None:
    pages = sorted(TRAIN_RAW.glob("tr.hatc.page*.csv"), key=page_number)
    rows = (row for page in pages for row in hatc_rows(page))
    print(TRAIN_OUT, write(TRAIN_OUT, rows))


if __name__ == "__main__":
    main()

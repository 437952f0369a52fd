"""Arabic toxicity rows, second train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_ar_2

TRAIN    OSACT 2020 / OffensEval 2020 Arabic (Mubarak et al.), train split as stored in
         motazsaad/arabic-hatespeech-data, OSACT2020-sharedTask-train.txt: tweets,
         `<tweet> TAB OFF|NOT_OFF TAB HS|NOT_HS`, line breaks in a tweet written `<LF>`.

A raw page is 16,000 characters of the original file from offset 16,000 * N (file name
`.page<N>.`); rows cut at either page edge are dropped. sources/ar.md has the provenance.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.lang_ru import page_number, whole_rows
from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN_OUT = Path("tools/toxicity/data/train/ar.osact2020.tsv.gz")
_OFFENSIVE = {"OFF": 1, "NOT_OFF": 0}


def osact_rows(path: Path) -> Iterator[Row]:
    """Subtask A label: OFF -> 1, NOT_OFF -> 0 (the hate-speech column is not used)."""
    n = page_number(path)
    for i, line in enumerate(whole_rows(path).splitlines(), start=1):
        fields = line.split("\t")
        if len(fields) != 3 or fields[1] not in _OFFENSIVE:
            continue
        yield fields[0].replace("<LF>", "\n"), _OFFENSIVE[fields[1]], f"p{n}.{i}"


def main() -> None:
    pages = sorted(TRAIN_RAW.glob("ar.osact2020.page*.txt"), key=page_number)
    rows = (row for page in pages for row in osact_rows(page))
    print(TRAIN_OUT, write(TRAIN_OUT, rows))


if __name__ == "__main__":
    main()

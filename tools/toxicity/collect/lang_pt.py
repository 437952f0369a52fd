"""pt rows from raw pages of two public datasets (provenance: sources/pt.md).

TRAIN  HateBR (Instagram comments, franciellevargas/HateBR dataset/HateBR.csv):
       binary_classification 1 (offensive) -> 1, 0 -> 0.
HELD   ToLD-Br (tweets, JAugusto97/ToLD-Br ToLD-BR.csv): each of the six categories
       (homophobia, obscene, insult, racism, misogyny, xenophobia) holds how many of
       the 3 annotators flagged the tweet; any category count > 0 -> 1, all 0 -> 0.

A raw page is 16,000 characters of the source file read at a known character offset.
Records are cut where a line ends with the file's label columns; the first record of a
page read at offset > 0 and the unterminated tail are partial and are dropped. A row's
source_id is the character offset of its record in the source file ("c12345").

    python -m tools.toxicity.collect.lang_pt
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Callable, Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
HELD_RAW = Path("bench/tox_xsrc/raw")
TRAIN_OUT = Path("tools/toxicity/data/train/pt.hatebr.tsv.gz")
HELD_OUT = Path("bench/tox_xsrc/data/pt.toldbr.tsv.gz")

# page number -> character offset of the page in the source file
HATEBR_PAGES = {0: 0, 1: 200000, 2: 360000, 3: 480000, 4: 100000}
TOLDBR_PAGES = {0: 0, 1: 800000, 2: 1600000}

_HATEBR_END = re.compile(r',[01],-?\d+,(?:-?\d+|"[\d,]+")\n')
_TOLDBR_END = re.compile(r"(?:,\d+\.\d+){6}\n")


def records(text: str, offset: int, end: re.Pattern) -> Iterator[tuple[int, str]]:
    """Complete records of a page as (offset in the source file, record text)."""
    start = 0
    if offset == 0:
        start = text.index("\n") + 1  # header line
    first = True
    for m in end.finditer(text, start):
        if not (first and offset > 0):
            yield offset + start, text[start:m.end()]
        first = False
        start = m.end()


def _parse(record: str) -> list[str]:
    """One CSV record (quoted fields may hold commas, doubled quotes and newlines)."""
    return next(csv.reader(record.splitlines(keepends=True)))


def hatebr(record: str) -> tuple[str, int]:
    text, binary, _level, _targets = _parse(record)
    return text, int(binary)


def toldbr(record: str) -> tuple[str, int]:
    text, *counts = _parse(record)
    if len(counts) != 6:
        raise ValueError(f"ToLD-Br record with {len(counts)} counts: {record[:80]!r}")
    return text, int(any(float(c) > 0 for c in counts))


def rows(raw_dir: Path, source: str, pages: dict[int, int], end: re.Pattern,
         label: Callable[[str], tuple[str, int]]) -> Iterator[Row]:
    for page, offset in sorted(pages.items(), key=lambda kv: kv[1]):
        path = next(raw_dir.glob(f"pt.{source}.page{page}.*"))
        for at, record in records(path.read_text(encoding="utf-8"), offset, end):
            text, y = label(record)
            yield text, y, f"c{at}"


def main() -> None:
    print(TRAIN_OUT, write(TRAIN_OUT, rows(TRAIN_RAW, "hatebr", HATEBR_PAGES, _HATEBR_END, hatebr)))
    print(HELD_OUT, write(HELD_OUT, rows(HELD_RAW, "toldbr", TOLDBR_PAGES, _TOLDBR_END, toldbr)))


if __name__ == "__main__":
    main()

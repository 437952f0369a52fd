"""Arabic toxicity rows, second train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_ar_2

TRAIN    OSACT 2020 / OffensEval 2020 Arabic (Mubarak et al.), train split as stored in
         motazsaad/arabic-hatespeech-data, OSACT2020-sharedTask-train.txt: tweets,
         `<tweet> TAB OFF|NOT_OFF TAB HS|NOT_HS`, line breaks in a tweet written `<LF>`.
TRAIN    Al Jazeera deleted reader comments (Mubarak et al., ALW 2017), train split as stored in
         sabithassan/violence-detection-models, input/AJ-train.tsv: `TAB text TAB level`,
         level 0 clean, -1 offensive, -2 obscene; quoted where needed.

A raw page is 16,000 characters of the original file from offset 16,000 * N (file name
`.page<N>.`); rows cut at either page edge are dropped. sources/ar.md has the provenance.
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
TRAIN_OUT = Path("tools/toxicity/data/train/ar.osact2020.tsv.gz")
AJ_OUT = Path("tools/toxicity/data/train/ar.aj_comments.tsv.gz")
_OFFENSIVE = {"OFF": 1, "NOT_OFF": 0}
_AJ_LEVEL = {"0": 0, "-1": 1, "-2": 1}


def osact_rows(path: Path) -> Iterator[Row]:
    """Subtask A label: OFF -> 1, NOT_OFF -> 0 (the hate-speech column is not used)."""
    n = page_number(path)
    for i, line in enumerate(whole_rows(path).splitlines(), start=1):
        fields = line.split("\t")
        if len(fields) != 3 or fields[1] not in _OFFENSIVE:
            continue
        yield fields[0].replace("<LF>", "\n"), _OFFENSIVE[fields[1]], f"p{n}.{i}"


def aj_rows(path: Path) -> Iterator[Row]:
    """level 0 -> 0; -1 (offensive) and -2 (obscene) -> 1; the header row is skipped."""
    n = page_number(path)
    reader = csv.reader(io.StringIO(whole_rows(path)), delimiter="\t", quotechar='"')
    for i, row in enumerate(reader, start=1):
        if len(row) != 3 or row[2] not in _AJ_LEVEL:
            continue
        yield row[1], _AJ_LEVEL[row[2]], f"p{n}.{i}"


def _write(stem: str, ext: str, parse, out: Path) -> None:
    pages = sorted(TRAIN_RAW.glob(f"{stem}.page*.{ext}"), key=page_number)
    print(out, write(out, (row for page in pages for row in parse(page))))


def main() -> None:
    _write("ar.osact2020", "txt", osact_rows, TRAIN_OUT)
    _write("ar.aj_comments", "tsv", aj_rows, AJ_OUT)


if __name__ == "__main__":
    main()

"""Spanish toxicity rows, second train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_es_2

TRAIN    DETOXIS 2021 (IberLEF; NewsCom-TOX comments on Spanish news articles and forum
         threads), train file as stored in alvaro-mazcu-herreros/DETOXIS_2021,
         data/DATASET_DETOXIS.csv: csv with a header, 21 columns, `comment` and `toxicity` 0/1;
         a comment may hold line breaks inside its quotes.

A raw page is 16,000 characters of the original file from offset 16,000 * N (file name
`.page<N>.`); rows cut at either page edge are dropped. sources/es.md has the provenance.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.lang_ru import page_number
from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN_OUT = Path("tools/toxicity/data/train/es.detoxis.tsv.gz")
WIDTH = 21
# A record starts with topic, thread_id, comment_id, reply_to, comment_level.
_RECORD_START = re.compile(r"^[A-Z]{2,3},\d+_\d+,\d+_\d+,\d+_\d+,\d+,", re.M)


def whole_records(path: Path) -> str:
    """Past page 0 the text before the first record start goes; the cut last record goes too."""
    text = path.read_text(encoding="utf-8")
    if page_number(path) > 0:
        first = _RECORD_START.search(text)
        text = text[first.start():] if first else ""
    starts = [m.start() for m in _RECORD_START.finditer(text)]
    return text[: starts[-1]] if starts else text


def detoxis_rows(path: Path) -> Iterator[Row]:
    """comment -> text, toxicity 1 -> 1, 0 -> 0 (toxicity_level and the other tags unused)."""
    n = page_number(path)
    for row in csv.reader(io.StringIO(whole_records(path))):
        if len(row) != WIDTH or row[19] not in ("0", "1") or row[0] == "topic":
            continue
        yield row[5], int(row[19]), f"{row[2]}.p{n}"


def main() -> None:
    pages = sorted(TRAIN_RAW.glob("es.detoxis.page*.csv"), key=page_number)
    rows = (row for page in pages for row in detoxis_rows(page))
    print(TRAIN_OUT, write(TRAIN_OUT, rows))


if __name__ == "__main__":
    main()

"""Russian toxicity rows, second train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_ru_2

TRAIN    Russian Language Toxic Comments (Kaggle "blackmoon/russian-language-toxic-comments":
         2ch.hk and pikabu.ru comments, `toxic` 1.0/0.0), as stored in aponskk/toxic,
         data/labeled.csv.

A raw page is 16,000 characters of the original file from offset 16,000 * N (file name
`.page<N>.`) or from the character offset in the name (`.at<offset>.`); rows cut at either
page edge are dropped. sources/ru.md has the provenance.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import clean, write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN_OUT = Path("tools/toxicity/data/train/ru.rutoxic_2ch_pikabu.tsv.gz")
# RUSSE-2022 drew some of its toxic sentences from this corpus: those rows stay in RUSSE only.
FIRST_TRAIN = Path("tools/toxicity/data/train/ru.russe_detox2022.tsv.gz")
# A record is `"<comment>\n",<1.0|0.0>\n`; a quote inside the comment is doubled.
_START = re.compile(r"\.(page|at)(\d+)\.")
_END = re.compile(r'\n",(?:1\.0|0\.0)\n')
_RECORD = re.compile(r'^"((?:[^"]|"")*)\n",(1\.0|0\.0)$', re.M)


def start_offset(path: Path) -> int:
    """Offset of the page in the stored file: 16,000 * N for `page<N>`, else `at<offset>`."""
    match = _START.search(path.name)
    if match is None:
        raise ValueError(f"not a raw page name: {path}")
    return int(match.group(2)) * (16000 if match.group(1) == "page" else 1)


def complete_part(path: Path) -> str:
    """The page from its first whole record on (past offset 0 the cut first record goes)."""
    text = path.read_text(encoding="utf-8")
    if start_offset(path) > 0:
        first_end = _END.search(text)
        text = text[first_end.end():] if first_end else ""
    return text


def labeled_csv(path: Path) -> Iterator[Row]:
    """comment -> text, toxic 1.0 -> 1, 0.0 -> 0; the unterminated last record is dropped."""
    start = start_offset(path)
    for i, match in enumerate(_RECORD.finditer(complete_part(path)), start=1):
        yield match.group(1).replace('""', '"'), int(float(match.group(2))), f"o{start}.{i}"


def texts_of(path: Path) -> set[str]:
    """The `text` column of a written train tsv.gz."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return {line.split("\t", 1)[0] for line in fh.read().splitlines()[1:]}


def main() -> None:
    pages = sorted(TRAIN_RAW.glob("ru.rutoxic_2ch_pikabu.*.csv"), key=start_offset)
    seen = texts_of(FIRST_TRAIN)
    rows = (row for page in pages for row in labeled_csv(page) if clean(row[0]) not in seen)
    print(TRAIN_OUT, write(TRAIN_OUT, rows))


if __name__ == "__main__":
    main()

"""Turkish toxicity rows: raw pages (transcribed verbatim from stored public GitHub files) to tsv.gz.

    python -m tools.toxicity.collect.lang_tr

TRAIN    OffensEval-TR 2020 (Çöltekin 2020), offenseval-tr-training-v1.tsv: id, tweet, OFF/NOT.
HELD-OUT Kaggle "5k Turkish tweets w/incivil content" as cleaned in nilakay/tr-tweets-hate-speech
         (cleaning datasets/kaggle.csv): text, label 1/0; tweets and ekşi sözlük entries.

A raw page is 16,000 characters of the original file from offset 16,000 * N (file name
`.page<N>.`); rows cut at either page edge are dropped. sources/tr.md has the provenance.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
HELD_RAW = Path("bench/tox_xsrc/raw")
TRAIN_OUT = Path("tools/toxicity/data/train/tr.offenseval2020.tsv.gz")
HELD_OUT = Path("bench/tox_xsrc/data/tr.kaggle_incivil.tsv.gz")
_PAGE = re.compile(r"\.page(\d+)\.")
_HANDLE = re.compile(r"@\w+")
OFFENSEVAL = {"OFF": 1, "NOT": 0}


def page_number(path: Path) -> int:
    """N of `<lang>.<source>.page<N>.<ext>`: the page starts at character 16,000 * N."""
    match = _PAGE.search(path.name)
    if match is None:
        raise ValueError(f"not a raw page name: {path}")
    return int(match.group(1))


def whole_rows(path: Path) -> str:
    """The page's text without the row cut at its end and, past page 0, the row cut at its start."""
    text = path.read_text(encoding="utf-8")
    if page_number(path) > 0:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text[: text.rfind("\n") + 1]


def offenseval(path: Path) -> Iterator[Row]:
    """id <tab> tweet <tab> OFF|NOT, no header, no quoting (tweets may start with a quote)."""
    for line in whole_rows(path).splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[0].isdigit() and fields[2] in OFFENSEVAL:
            yield fields[1], OFFENSEVAL[fields[2]], fields[0]


def kaggle_incivil(path: Path) -> Iterator[Row]:
    """Quoted csv `text,label` (1/0); @handles -> @USER; id = p<page>.<row in page>."""
    n = page_number(path)
    reader = csv.reader(io.StringIO(whole_rows(path)))
    for i, row in enumerate(reader, start=1):
        if len(row) == 2 and row[1] in ("0", "1"):
            yield _HANDLE.sub("@USER", row[0]), int(row[1]), f"p{n}.{i}"


def _pages(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern), key=page_number)


def _rows(pages: list[Path], parse) -> Iterator[Row]:
    for page in pages:
        yield from parse(page)


def main() -> None:
    train = _pages(TRAIN_RAW, "tr.offenseval2020.page*.tsv")
    held = _pages(HELD_RAW, "tr.kaggle_incivil.page*.csv")
    print(TRAIN_OUT, write(TRAIN_OUT, _rows(train, offenseval)))
    print(HELD_OUT, write(HELD_OUT, _rows(held, kaggle_incivil)))


if __name__ == "__main__":
    main()

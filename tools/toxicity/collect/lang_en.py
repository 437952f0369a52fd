"""English toxicity rows from raw pages of public dataset files (sources/en.md says which).

    python -m tools.toxicity.collect.lang_en

Train: Davidson et al. 2017 (t-davidson/hate-speech-and-offensive-language,
data/labeled_data.csv): class 0 hate speech and 1 offensive -> 1, 2 neither -> 0.
Held-out: OLID 2019 (OffensEval 2019 training file, subtask_a OFF -> 1, NOT -> 0).

Each raw page is 16,000 characters of the original file read at some offset, so its
first row (unless the page starts the file) and its last row may be cut: a page's text
before its first complete row start is dropped, and so is its last row.
"""
from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
HELD_RAW = Path("bench/tox_xsrc/raw")
TRAIN = Path("tools/toxicity/data/train")
HELD = Path("bench/tox_xsrc/data")

# labeled_data.csv: index,count,hate_speech,offensive_language,neither,class,tweet
_DAVIDSON_ROW = re.compile(r"^(\d+),\d+,\d+,\d+,\d+,([012]),", re.M)
_DAVIDSON_LABEL = {"0": 1, "1": 1, "2": 0}
# olid-training-v1.0.tsv: id, tweet, subtask_a, subtask_b, subtask_c
_OLID_ROW = re.compile(r"^(\d+)\t(.*)\t(OFF|NOT)\t(?:UNT|TIN|NULL)\t(?:IND|GRP|OTH|NULL)$")
_OLID_LABEL = {"OFF": 1, "NOT": 0}


def _csv_field(raw: str) -> str | None:
    """The one CSV field in raw (quoted or not); None when raw is not exactly one field."""
    fields = next(csv.reader(io.StringIO(raw.rstrip("\n"))), None)
    return fields[0] if fields and len(fields) == 1 else None


def davidson(path: Path) -> Iterator[Row]:
    """Complete rows of one labeled_data.csv page (the last row of a page may be cut)."""
    text = path.read_text(encoding="utf-8")
    starts = list(_DAVIDSON_ROW.finditer(text))
    for here, nxt in zip(starts, starts[1:]):
        tweet = _csv_field(text[here.end():nxt.start()])
        if tweet is not None:
            yield html.unescape(tweet), _DAVIDSON_LABEL[here.group(2)], here.group(1)


def olid(path: Path) -> Iterator[Row]:
    """Complete rows of one OLID page: the first line of a page read at an offset > 0
    and a last line without its newline may be cut, so both are dropped."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not text.endswith("\n"):
        lines = lines[:-1]
    if not path.name.endswith(".page0.tsv"):
        lines = lines[1:]
    for line in lines:
        m = _OLID_ROW.match(line)
        if m:
            yield html.unescape(m.group(2)), _OLID_LABEL[m.group(3)], m.group(1)


def olid_page0(path: Path) -> Iterator[Row]:
    """page0 was saved earlier with the columns id, tweet, subtask_a only."""
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        sid, tweet, a = line.split("\t")
        yield html.unescape(tweet), _OLID_LABEL[a], sid


def _pages(raw_dir: Path, stem: str) -> list[Path]:
    """stem.page<N>.<ext> files in page order."""
    found = raw_dir.glob(f"{stem}.page*.*")
    return sorted(found, key=lambda p: int(re.search(r"\.page(\d+)\.", p.name).group(1)))


def rows_davidson() -> Iterator[Row]:
    for page in _pages(TRAIN_RAW, "en.davidson2017"):
        yield from davidson(page)


def rows_olid() -> Iterator[Row]:
    for page in _pages(HELD_RAW, "en.olid2019"):
        yield from (olid_page0(page) if page.name.endswith(".page0.tsv") else olid(page))


def main() -> None:
    print(TRAIN / "en.davidson2017.tsv.gz", write(TRAIN / "en.davidson2017.tsv.gz", rows_davidson()))
    print(HELD / "en.olid2019.tsv.gz", write(HELD / "en.olid2019.tsv.gz", rows_olid()))


if __name__ == "__main__":
    main()

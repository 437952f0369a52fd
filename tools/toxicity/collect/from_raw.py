"""Turn raw rows transcribed from the search tool's stored GitHub files into tsv.gz.

The raw files (tools/toxicity/collect/raw/*, bench/tox_xsrc/raw/*) hold a
contiguous sample of the original file, row for row as stored (SOURCES.md
says which repository, path, commit and character range). Each spec below
names the raw file, the output and how the original labels map to 0/1.

    python -m tools.toxicity.collect.from_raw
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable, Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
HELD_RAW = Path("bench/tox_xsrc/raw")
TRAIN = Path("tools/toxicity/data/train")
HELD = Path("bench/tox_xsrc/data")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def germeval(path: Path) -> Iterator[Row]:
    """GermEval 2018: text, coarse (OFFENSE -> 1, OTHER -> 0), fine; id = row number."""
    for i, line in enumerate(_lines(path), start=1):
        text, coarse, _fine = line.split("\t")
        yield text.replace("|LBR|", " "), {"OFFENSE": 1, "OTHER": 0}[coarse], str(i)


def offcombr(path: Path) -> Iterator[Row]:
    """OffComBR arff data rows: yes/no,'text' (yes -> 1); id = data row number."""
    rows = [l for l in _lines(path) if l[:3] in ("yes", "no,")]
    for i, line in enumerate(rows, start=1):
        label, text = line.split(",", 1)
        yield text.strip().strip("'"), {"yes": 1, "no": 0}[label], str(i)


def id_text_label(path: Path) -> Iterator[Row]:
    """HaSpeeDe-style tsv without header: id, text, 0/1."""
    for line in _lines(path):
        sid, text, label = line.split("\t")
        yield text, int(label), sid


def text_label_header(path: Path) -> Iterator[Row]:
    """tsv with a header: text, label (0/1); id = row number."""
    for i, line in enumerate(_lines(path)[1:], start=1):
        text, label = line.rsplit("\t", 1)
        yield text, int(label), str(i)


# en (OLID), de (GermEval) and it (HaSpeeDe) have their own converters (lang_<lang>.py),
# which also read the page0 files this module once converted.
SPECS: list[tuple[Path, Path, Callable[[Path], Iterator[Row]]]] = [
    (TRAIN_RAW / "pt.offcombr2.page0.arff", TRAIN / "pt.offcombr2.tsv.gz", offcombr),
]


def main() -> None:
    for raw, out, parse in SPECS:
        if raw.exists():
            print(out, write(out, parse(raw)))


if __name__ == "__main__":
    main()

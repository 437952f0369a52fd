"""Chinese (zh) toxicity rows from raw pages of public dataset files.

    python -m tools.toxicity.collect.lang_zh

Each raw page is 16,000 characters of the original CSV as stored (sources/zh.md
gives repository, path, commit and offsets). A page starts and ends inside a row:
only rows between the first and the last row start on the page are parsed, so
the cut rows at both edges are dropped.

- TRAIN  zh.cold   (COLDataset train.csv: ,split,topic,label,TEXT; label 1 = offensive)
- HELD   zh.toxicn (ToxiCN_1.0.csv: platform,topic,content,toxic,...; toxic 1 = toxic)
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
TRAIN = Path("tools/toxicity/data/train")
HELD = Path("bench/tox_xsrc/data")

COLD_START = re.compile(r"^\d+,train,(?:race|region|gender),[01],", re.M)
TOXICN_START = re.compile(r"^[a-z]+,(?:region|race|gender|lgbt),", re.M)


def whole_records(text: str, start: re.Pattern[str]) -> list[list[str]]:
    """CSV records that begin at a row start and end before the page's last row start."""
    starts = [m.start() for m in start.finditer(text)]
    if len(starts) < 2:
        return []
    return list(csv.reader(io.StringIO(text[starts[0]:starts[-1]])))


def pages(folder: Path, source: str) -> list[Path]:
    """The raw pages of one source, in offset order (page<N> = offset / 16000)."""
    found = folder.glob(f"zh.{source}.page*.csv")
    return sorted(found, key=lambda p: int(p.stem.rsplit("page", 1)[1]))


def cold(paths: list[Path]) -> Iterator[Row]:
    """COLD rows: id within topic, split, topic, label (1 offensive, 0 not), text."""
    for path in paths:
        for rec in whole_records(path.read_text(encoding="utf-8"), COLD_START):
            if len(rec) == 5 and rec[3] in ("0", "1"):
                sid, _split, topic, label, text = rec
                yield text, int(label), f"{topic}:{sid}"


def toxicn(paths: list[Path]) -> Iterator[Row]:
    """ToxiCN rows: platform, topic, content, toxic (1 toxic, 0 not), ...; id = page:row."""
    for path in paths:
        page = path.stem.rsplit("page", 1)[1]
        recs = whole_records(path.read_text(encoding="utf-8"), TOXICN_START)
        for i, rec in enumerate(recs, start=1):
            if len(rec) == 12 and rec[3] in ("0", "1"):
                yield rec[2], int(rec[3]), f"p{page}:{i}"


def main() -> None:
    print(TRAIN / "zh.cold.tsv.gz", write(TRAIN / "zh.cold.tsv.gz", cold(pages(TRAIN_RAW, "cold"))))
    held = pages(HELD_RAW, "toxicn")
    if held:
        print(HELD / "zh.toxicn.tsv.gz", write(HELD / "zh.toxicn.tsv.gz", toxicn(held)))


if __name__ == "__main__":
    main()

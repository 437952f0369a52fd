"""Japanese (ja) toxicity rows from raw pages of public dataset files.

    python -m tools.toxicity.collect.lang_ja

Each raw page is up to 16,000 characters of the original CSV as stored
(sources/ja.md gives repository, path, commit and offsets; page<N> starts at
offset N x 16,000). Pages with consecutive numbers are joined before parsing, so
a row cut between them is whole again; a row cut at the outer edge of a run of
pages is dropped, unless that edge is the end of the file.

- TRAIN  ja.open2ch_hate (defamation_japanese_twitter input/train.csv:
         id,source,text,label; label 1 = hateful/abusive, texts may span lines)
- HELD   ja.inspection_ai (japanese-toxic-dataset data/subset.csv: id,text and
         annotator votes Not Toxic / Hard to Say / Toxic / Very Toxic)
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
PAGE = 16000

OPEN2CH_START = re.compile(r"^[0-9a-f]{9},(?:news4vip|livejupiter|newsplus),", re.M)
OPEN2CH_CHARS = 377978
INSPECTION_START = re.compile(r"^\d+,", re.M)
INSPECTION_CHARS = 18260


def runs(folder: Path, source: str) -> list[tuple[int, str]]:
    """(offset, text) for each run of consecutive raw pages of one source."""
    paths = folder.glob(f"ja.{source}.page*.csv")
    found = sorted((int(p.stem.rsplit("page", 1)[1]), p) for p in paths)
    out: list[tuple[int, str]] = []
    prev = -2
    for n, path in found:
        text = path.read_text(encoding="utf-8")
        if n == prev + 1:
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((n * PAGE, text))
        prev = n
    return out


def whole_records(offset: int, text: str, start: re.Pattern[str], total: int) -> list[list[str]]:
    """CSV records from the first row start up to the last one (or to the file's end)."""
    starts = [m.start() for m in start.finditer(text)]
    if not starts:
        return []
    end = len(text) if offset + len(text) == total else starts[-1]
    return list(csv.reader(io.StringIO(text[starts[0]:end])))


def open2ch_hate(folder: Path) -> Iterator[Row]:
    """id (9 hex digits), board, text, label (1 hateful/abusive, 0 not)."""
    for offset, text in runs(folder, "open2ch_hate"):
        for rec in whole_records(offset, text, OPEN2CH_START, OPEN2CH_CHARS):
            if len(rec) == 4 and rec[3] in ("0", "1"):
                yield rec[2], int(rec[3]), rec[0]


def inspection_label(votes: list[int]) -> int | None:
    """1 if at least half the annotators chose Toxic/Very Toxic; 0 if none did; else None."""
    not_toxic, hard, toxic, very = votes
    bad = toxic + very
    if bad == 0:
        return 0
    return 1 if 2 * bad >= not_toxic + hard + bad else None


def inspection_ai(folder: Path) -> Iterator[Row]:
    """id, text, four vote counts, seven category counts, annotation_num."""
    for offset, text in runs(folder, "inspection_ai"):
        for rec in whole_records(offset, text, INSPECTION_START, INSPECTION_CHARS):
            if len(rec) != 14 or not all(v.isdigit() for v in rec[2:6]):
                continue
            label = inspection_label([int(v) for v in rec[2:6]])
            if label is not None:
                yield rec[1], label, rec[0]


def main() -> None:
    if runs(TRAIN_RAW, "open2ch_hate"):
        out = TRAIN / "ja.open2ch_hate.tsv.gz"
        print(out, write(out, open2ch_hate(TRAIN_RAW)))
    out = HELD / "ja.inspection_ai.tsv.gz"
    print(out, write(out, inspection_ai(HELD_RAW)))


if __name__ == "__main__":
    main()

"""es rows from raw pages of two public datasets (provenance: sources/es.md).

TRAIN  OffendES (YouTube/Instagram/Twitter comments to Spanish-speaking influencers,
       fmplaza/OffendES split_MeOffendES/train.tsv): OFP (offensive, to a person) and
       OFG (offensive, to a group) -> 1; NOE (non-offensive but with expletives, i.e.
       profanity) -> 1; NO -> 0. Rows without a consensus label are dropped.
HELD   MEX-A3T (Mexican Spanish tweets, IvonneMont/UDA_text_Mex-a3t
       text/data/mex-a3t/test.csv, the MEX-A3T aggressiveness validation split):
       1 (aggressive) -> 1, 0 -> 0.

A raw page is 16,000 characters of the source file read at a known character offset.
Records are cut where a line ends with the file's label columns; the first record of a
page read at offset > 0 and the unterminated tail are partial and are dropped.
source_id: OffendES comment_id; MEX-A3T character offset of the record ("c12345").

    python -m tools.toxicity.collect.lang_es
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
TRAIN_OUT = Path("tools/toxicity/data/train/es.offendes.tsv.gz")
HELD_OUT = Path("bench/tox_xsrc/data/es.mexa3t.tsv.gz")

# page number -> character offset of the page in the source file
OFFENDES_PAGES = {0: 0, 7: 600000, 4: 1200000, 8: 1800000, 5: 2400000, 6: 3050000,
                  3: 3180000, 2: 3300000, 1: 3417251}
MEXA3T_PAGES = {0: 0, 1: 16000, 2: 32000}

OFFENDES_LABELS = {"OFP": 1, "OFG": 1, "NOE": 1, "NO": 0}
_OFFENDES_END = re.compile(
    r"\t(?:man|woman)\t(?:instagram|youtube|twitter)\t(?:OFP|OFG|NOE|NO|None)\n")
_MEXA3T_END = re.compile(r"\t[01]\n")


def records(text: str, offset: int, end: re.Pattern, header: bool) -> Iterator[tuple[int, str]]:
    """Complete records of a page as (offset in the source file, record text)."""
    start = text.index("\n") + 1 if offset == 0 and header else 0
    first = True
    for m in end.finditer(text, start):
        if not (first and offset > 0):
            yield offset + start, text[start:m.end()]
        first = False
        start = m.end()


def _parse(record: str) -> list[str]:
    """One TSV record; quoted fields may hold tabs, doubled quotes and newlines."""
    return next(csv.reader(record.splitlines(keepends=True), delimiter="\t"))


def offendes(record: str, at: int) -> Row | None:
    cid, text, _influencer, _gender, _media, label = _parse(record)
    if label not in OFFENDES_LABELS:
        return None
    return text, OFFENDES_LABELS[label], cid


def mexa3t(record: str, at: int) -> Row | None:
    text, label = _parse(record)
    return text, int(label), f"c{at}"


def rows(raw_dir: Path, source: str, pages: dict[int, int], end: re.Pattern, header: bool,
         parse: Callable[[str, int], Row | None]) -> Iterator[Row]:
    for page, offset in sorted(pages.items(), key=lambda kv: kv[1]):
        path = next(raw_dir.glob(f"es.{source}.page{page}.*"))
        for at, record in records(path.read_text(encoding="utf-8"), offset, end, header):
            row = parse(record, at)
            if row is not None:
                yield row


def main() -> None:
    print(TRAIN_OUT, write(TRAIN_OUT, rows(TRAIN_RAW, "offendes", OFFENDES_PAGES,
                                           _OFFENDES_END, True, offendes)))
    print(HELD_OUT, write(HELD_OUT, rows(HELD_RAW, "mexa3t", MEXA3T_PAGES,
                                         _MEXA3T_END, False, mexa3t)))


if __name__ == "__main__":
    main()

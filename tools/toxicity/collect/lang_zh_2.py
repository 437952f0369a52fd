"""Chinese (zh), second TRAIN source: SWSR, Sina Weibo Sexism Review (Jiang et al. 2022).

    python -m tools.toxicity.collect.lang_zh_2

Raw pages are the stored SexComment.csv's 16,000-character pages (page<N> = offset N * 16000),
saved verbatim. Columns: index,weibo_id,comment_text,gender,location,like,date,label,category,
target. The file is sorted by label (sexist rows first), so pages come from both parts. Only
records between the first and the last row start of a page are parsed (lang_zh.whole_records),
so the rows cut at both page edges are dropped. sources/zh.md gives repository, commit, caveats.
"""
from __future__ import annotations

import re
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, pages
from tools.toxicity.collect.lang_zh import whole_records
from tools.toxicity.collect.tsvgz import write

STEM = "zh.swsr"
SWSR_START = re.compile(r"^\d+,[0-9A-Za-z]{9},", re.M)
COLUMNS = 10


def swsr(stem: str = STEM) -> Iterator[Row]:
    """label 1 (sexist: abuse, stereotype, objectification ...) -> 1, 0 -> 0; id = index."""
    for _, text in pages(TRAIN_RAW, stem):
        for rec in whole_records(text, SWSR_START):
            if len(rec) == COLUMNS and rec[7] in ("0", "1"):
                yield rec[2], int(rec[7]), rec[0]


def main() -> None:
    out = TRAIN / f"{STEM}.tsv.gz"
    print(out, write(out, swsr()))


if __name__ == "__main__":
    main()

"""Arabic (ar): TRAIN L-HSAB (Levantine tweets), HELD-OUT Multilingual HateCheck (Arabic).

Raw pages follow the layout of lang_de (page<N> = the stored file's 16,000-character page at
offset N * 16000, saved verbatim; rows cut at a page edge are dropped) and are parsed with its
helpers. sources/ar.md says which repository, path and commit every file comes from.

    python -m tools.toxicity.collect.lang_ar
"""
from __future__ import annotations

from typing import Iterator

from tools.toxicity.collect.lang_de import (
    HELD, HELD_RAW, TRAIN, TRAIN_RAW, Row, hatecheck, pages, whole_lines,
)
from tools.toxicity.collect.tsvgz import write

LHSAB_LABELS = {"abusive": 1, "hate": 1, "normal": 0}


def lhsab(stem: str) -> Iterator[Row]:
    """L-HSAB: header `Tweet TAB Class`, then tweet TAB normal|abusive|hate.

    abusive and hate -> 1, normal -> 0; source_id = c<char offset of the row>.
    """
    for offset, text in pages(TRAIN_RAW, stem):
        for at, line in whole_lines(offset, text):
            tweet, _, label = line.rpartition("\t")
            if label in LHSAB_LABELS and tweet:
                yield tweet, LHSAB_LABELS[label], f"c{at}"


def main() -> None:
    out = TRAIN / "ar.lhsab.tsv.gz"
    print(out, write(out, lhsab("ar.lhsab")))
    if any(HELD_RAW.glob("ar.hatecheck.page*")):
        out = HELD / "ar.hatecheck.tsv.gz"
        print(out, write(out, hatecheck(HELD_RAW, "ar.hatecheck")))


if __name__ == "__main__":
    main()

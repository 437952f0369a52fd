"""German (de), second TRAIN source: GermEval 2021 (toxic Facebook comments).

Raw pages follow the layout of lang_de (page<N> = the stored file's 16,000-character page at
offset N * 16000, saved verbatim; rows cut at a page edge are dropped) and are parsed with its
helpers. sources/de.md says which repository, path and commit the file comes from.

    python -m tools.toxicity.collect.lang_de_2
"""
from __future__ import annotations

import csv
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, pages, whole_lines
from tools.toxicity.collect.tsvgz import write


def germeval2021(stem: str) -> Iterator[Row]:
    """GermEval 2021 train csv: comment_id,comment_text,Sub1_Toxic,Sub2_Engaging,Sub3_FactClaiming.

    Sub1_Toxic 1 -> 1, 0 -> 0 (the other two tasks are ignored); source_id = comment_id. A line
    that is not one whole csv row (five fields, a numeric id, 0/1 labels) is skipped: the pages
    hold no header, and the first line of a page may be the end of a cut row.
    """
    for offset, text in pages(TRAIN_RAW, stem):
        for _, line in whole_lines(offset, text):
            fields = next(csv.reader([line]), [])
            if len(fields) != 5 or not fields[0].isdigit():
                continue
            if fields[2] in ("0", "1") and all(f in ("0", "1") for f in fields[3:]):
                yield fields[1], int(fields[2]), fields[0]


def main() -> None:
    out = TRAIN / "de.germeval2021.tsv.gz"
    print(out, write(out, germeval2021("de.germeval2021")))


if __name__ == "__main__":
    main()

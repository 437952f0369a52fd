"""German (de), more TRAIN sources: GermEval 2021 (toxic Facebook comments), HASOC 2019 (tweets).

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


# The HASOC copy concatenates HASOC 2019's english (5,852 rows), german (3,819) and hindi
# training files in that order with a fresh row index: 5852..9670 is the German part.
HASOC_GERMAN = range(5852, 5852 + 3819)


def hasoc2019(stem: str) -> Iterator[Row]:
    """HASOC 2019 copy `index,comment_text,hf` (hf: task_1 NOT -> 0, HOF -> 1), German rows only.

    source_id = h<the copy's row index>. A line that is not one whole csv row is skipped.
    """
    for offset, text in pages(TRAIN_RAW, stem):
        for _, line in whole_lines(offset, text):
            fields = next(csv.reader([line]), [])
            if len(fields) != 3 or not fields[0].isdigit() or fields[2] not in ("0", "1"):
                continue
            if int(fields[0]) in HASOC_GERMAN:
                yield fields[1], int(fields[2]), f"h{fields[0]}"


def main() -> None:
    out = TRAIN / "de.germeval2021.tsv.gz"
    print(out, write(out, germeval2021("de.germeval2021")))
    out = TRAIN / "de.hasoc2019.tsv.gz"
    print(out, write(out, hasoc2019("de.hasoc2019")))


if __name__ == "__main__":
    main()

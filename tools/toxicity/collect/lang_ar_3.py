"""Arabic (ar), more TRAIN rows (issue 19): OSACT 2022 fine-grained hate speech shared task, train split.

Raw pages follow lang_de's layout: `ar.osact2022.page<N>.csv` is the search tool's
16,000-character page of the stored file at offset N * 16000, saved verbatim (invisible joiners
inside emoji are missing from the tool output, so a page may be a few characters short); a row cut
at a page edge is dropped (first line of a page with N > 0, text after the last newline).

File layout: csv with header `Id,Tweet,Offensive,Hate,Vulgar,Violence`, one tweet per line (line
breaks inside a tweet written `<LF>`). Label: Offensive OFF -> 1, NOT_OFF -> 0 (the majority of
three crowd annotators; OFF covers insults, hate speech, vulgar and violent tweets); the other
columns are not used; `<LF>` -> space; source_id = Id. Rows whose text is already in another
Arabic training file are dropped (lang_de_3.new_only). sources/ar.md has the provenance.

    python -m tools.toxicity.collect.lang_ar_3
"""
from __future__ import annotations

import csv
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, pages, whole_lines
from tools.toxicity.collect.lang_de_3 import existing_texts, new_only
from tools.toxicity.collect.tsvgz import write

OUT = TRAIN / "ar.osact2022.tsv.gz"
_OFF = {"OFF": 1, "NOT_OFF": 0}


def osact2022(stem: str) -> Iterator[Row]:
    for offset, text in pages(TRAIN_RAW, stem):
        for _, line in whole_lines(offset, text):
            fields = next(csv.reader([line]), [])
            if len(fields) != 6 or not fields[0].isdigit() or fields[2] not in _OFF:
                continue
            yield fields[1].replace("<LF>", " "), _OFF[fields[2]], fields[0]


def main() -> None:
    seen = existing_texts("ar", [OUT])
    print(OUT, write(OUT, new_only(osact2022("ar.osact2022"), seen)))


if __name__ == "__main__":
    main()

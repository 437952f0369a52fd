"""Korean (ko), second TRAIN source: K-MHaS (Lee et al., COLING 2022), online news comments.

    python -m tools.toxicity.collect.lang_ko_2

Raw pages are the stored data/kmhas_valid.txt's 16,000-character pages (page<N> = offset
N * 16000), saved verbatim. The file is `document<TAB>label`, one comment a line; label is a
comma list of hate classes 0-7 (origin, physical, politics, profanity, age, gender, race,
religion) or 8 (not hate speech). A line cut at a page edge is dropped (lang_de.whole_lines).
sources/ko.md gives repository, commit and caveats.
"""
from __future__ import annotations

import csv
import re
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, pages, whole_lines
from tools.toxicity.collect.tsvgz import write

STEM = "ko.kmhas"
_LABEL = re.compile(r"^[0-8](?:,[0-8])*$")


def kmhas_label(classes: str) -> int:
    """8 (not hate speech) -> 0; any of the hate classes 0-7 (profanity included) -> 1."""
    return 0 if classes == "8" else 1


def kmhas(stem: str = STEM) -> Iterator[Row]:
    """(comment, label, "c<char offset>") for each whole `document<TAB>label` line."""
    for offset, text in pages(TRAIN_RAW, stem):
        for at, line in whole_lines(offset, text):
            fields = next(csv.reader([line], delimiter="\t"), [])
            if len(fields) != 2 or not _LABEL.match(fields[1]):
                continue  # the header, or a line that is not one whole row
            yield fields[0], kmhas_label(fields[1]), f"c{at}"


def main() -> None:
    out = TRAIN / f"{STEM}.tsv.gz"
    print(out, write(out, kmhas()))


if __name__ == "__main__":
    main()

"""Korean (ko), more pages of the K-MHaS train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_ko_3

Raw pages `ko.kmhas_more.page<N>.txt` are 16,000-character pages of adlnlp/K-MHaS
data/kmhas_valid.txt (commit 69733bc8ed6a45e9263e44f243d2786e4f73e627) at offsets other than
the ones lang_ko_2 reads (its `ko.kmhas.page*` glob does not match these names), parsed
exactly as lang_ko_2 does (`document<TAB>label`; 8 -> 0, any hate class 0-7 -> 1; the cut
first and last lines dropped). Rows whose text is already in any Korean train file are dropped.
sources/ko.md has the provenance.
"""
from __future__ import annotations

import gzip

from tools.toxicity.collect.lang_de import TRAIN
from tools.toxicity.collect.lang_ko_2 import kmhas
from tools.toxicity.collect.tsvgz import clean, write

STEM = "ko.kmhas_more"
OUT = TRAIN / f"{STEM}.tsv.gz"


def existing_texts() -> set[str]:
    """Texts of every Korean train file already written (other than OUT)."""
    seen: set[str] = set()
    for path in sorted(TRAIN.glob("ko.*.tsv.gz")):
        if path != OUT:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                seen |= {line.split("\t", 1)[0] for line in fh.read().splitlines()[1:]}
    return seen


def main() -> None:
    seen = existing_texts()
    print(OUT, write(OUT, (row for row in kmhas(STEM) if clean(row[0]) not in seen)))


if __name__ == "__main__":
    main()

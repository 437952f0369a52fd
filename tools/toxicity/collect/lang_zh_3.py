"""Chinese (zh), more pages of the COLD train source: raw pages to tsv.gz.

    python -m tools.toxicity.collect.lang_zh_3

Raw pages `zh.cold_more.page<N>.csv` are 16,000-character pages of thu-coai/COLDataset
COLDataset/train.csv (commit 0dfbf0884aaf105cd806ff5fa127087f09b21cb6) at offsets other than
the ones lang_zh reads (its `zh.cold.page*` glob does not match these names), parsed exactly as
lang_zh.cold does (id,split,topic,label,text; label 1 offensive -> 1, 0 -> 0; the cut first
and last records dropped). Rows whose text is already in any Chinese train file are dropped.
sources/zh.md has the provenance.
"""
from __future__ import annotations

import gzip

from tools.toxicity.collect.lang_zh import TRAIN, TRAIN_RAW, cold, pages
from tools.toxicity.collect.tsvgz import clean, write

OUT = TRAIN / "zh.cold_more.tsv.gz"


def existing_texts() -> set[str]:
    """Texts of every Chinese train file already written (other than OUT)."""
    seen: set[str] = set()
    for path in sorted(TRAIN.glob("zh.*.tsv.gz")):
        if path != OUT:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                seen |= {line.split("\t", 1)[0] for line in fh.read().splitlines()[1:]}
    return seen


def main() -> None:
    seen = existing_texts()
    rows = (row for row in cold(pages(TRAIN_RAW, "cold_more")) if clean(row[0]) not in seen)
    print(OUT, write(OUT, rows))


if __name__ == "__main__":
    main()

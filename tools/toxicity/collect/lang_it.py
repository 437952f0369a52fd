"""Italian (it): TRAIN HaSpeeDe 2018 (Twitter), HELD-OUT Multilingual HateCheck (Italian).

Raw pages follow the layout of lang_de (page<N> = the stored file's 16,000-character page at
offset N * 16000, saved verbatim; rows cut at a page edge are dropped) and are parsed with its
helpers. sources/it.md says which repository, path and commit every file comes from.

    python -m tools.toxicity.collect.lang_it
"""
from __future__ import annotations

from typing import Iterator

from tools.toxicity.collect.lang_de import (
    HELD, HELD_RAW, TRAIN, TRAIN_RAW, Row, hatecheck, pages, whole_lines,
)
from tools.toxicity.collect.tsvgz import write


def haspeede(stem: str) -> Iterator[Row]:
    """HaSpeeDe 2018 TW-train.tsv (no header): tweet id TAB text TAB hs (1 hateful, 0 not).

    Some tweets keep the escapes of an earlier export (a backslash before a quote, a literal
    backslash-n): they become a quote and a space. source_id = the tweet id. A line whose first
    field is not an id or whose last is not 0/1 (a row cut at the page start) is skipped.
    """
    for offset, text in pages(TRAIN_RAW, stem):
        for _, line in whole_lines(offset, text):
            sid, _, rest = line.partition("\t")
            body, _, label = rest.rpartition("\t")
            if sid.isdigit() and label in ("0", "1") and body:
                tweet = body.replace('\\"', '"').replace("\\n", " ")
                yield tweet, int(label), sid


def main() -> None:
    out = TRAIN / "it.haspeede2018_tw.tsv.gz"
    print(out, write(out, haspeede("it.haspeede2018_tw")))
    if any(HELD_RAW.glob("it.hatecheck.page*")):
        out = HELD / "it.hatecheck.tsv.gz"
        print(out, write(out, hatecheck(HELD_RAW, "it.hatecheck")))


if __name__ == "__main__":
    main()

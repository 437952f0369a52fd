"""Portuguese (pt), second TRAIN source: Fortuna et al. 2019 Portuguese hate speech tweets.

    python -m tools.toxicity.collect.lang_pt_2

Raw pages are the stored 2019-05-28_portuguese_hate_speech_binary_classification.csv's
16,000-character pages (page<N> = offset N * 16000), saved verbatim. Every field is quoted:
`"text","hatespeech_comb","hatespeech_G1","annotator_G1",...` and a tweet may span several
lines. A record is taken only from a record start to its label tail; the record cut at the
start of a page (N > 0) and the one cut at its end are dropped. sources/pt.md says more.
"""
from __future__ import annotations

import re
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, pages
from tools.toxicity.collect.tsvgz import write

STEM = "pt.fortuna2019"
# the label tail of a record: comb, then three (label, annotator) pairs, then the line end
_TAIL = r'","([01])","[01]","[^"\n]*","[01]","[^"\n]*","[01]","[^"\n]*"\n'
_RECORD = re.compile(r'"((?:[^"]|"")*)' + _TAIL)
_FIRST_TAIL = re.compile(_TAIL)


def records(offset: int, text: str) -> Iterator[tuple[int, str, int]]:
    """(offset in the file, tweet, hatespeech_comb) of the page's whole records, in order."""
    pos = 0
    if offset > 0:  # skip the record cut at the page start: resume after its tail
        first = _FIRST_TAIL.search(text)
        if first is None:
            return
        pos = first.end()
    elif text.startswith('"text",'):
        pos = text.index("\n") + 1  # the header line
    while True:
        match = _RECORD.match(text, pos)
        if match is None:  # the cut last record (or a malformed one: stop, do not guess)
            return
        yield offset + pos, match.group(1).replace('""', '"'), int(match.group(2))
        pos = match.end()


def fortuna(stem: str = STEM) -> Iterator[Row]:
    """hatespeech_comb 1 (hate speech, combined annotators' label) -> 1, 0 -> 0."""
    for offset, text in pages(TRAIN_RAW, stem):
        for at, tweet, label in records(offset, text):
            yield tweet, label, f"c{at}"


def main() -> None:
    out = TRAIN / f"{STEM}.tsv.gz"
    print(out, write(out, fortuna()))


if __name__ == "__main__":
    main()

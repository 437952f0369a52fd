"""French (fr), second TRAIN source: MLMA hate speech (Ousidhoum et al. 2019), French tweets.

MLMA's own repository stores the data only inside a tar/zip; the rows come from a readable
copy (airKlizz/germeval2021toxic data/hate_speech_mlma/train.csv) that concatenates MLMA's
fr_dataset.csv, en_dataset.csv and ar_dataset.csv, in that order, with a fresh row index and a
binary label (sentiment "normal" -> 0, anything else -> 1). Raw pages follow lang_de's layout
(page<N> = the stored file's 16,000-character page at offset N * 16000, saved verbatim; rows
cut at a page edge are dropped). sources/fr.md gives repository, path, commit and caveats.

    python -m tools.toxicity.collect.lang_fr_2
"""
from __future__ import annotations

import csv
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, pages, whole_lines
from tools.toxicity.collect.tsvgz import write

FRENCH_ROWS = 4014  # fr_dataset.csv comes first in the copy: row index 0..4013 is French


def mlma_fr(stem: str) -> Iterator[Row]:
    """Rows `index,comment_text,hf` whose index is in the French part; hf 1 -> 1, 0 -> 0.

    source_id = the copy's row index (= the row number in MLMA's fr_dataset.csv). A line that
    is not one whole csv row (three fields, numeric index, 0/1 label) is skipped.
    """
    for offset, text in pages(TRAIN_RAW, stem):
        for _, line in whole_lines(offset, text):
            fields = next(csv.reader([line]), [])
            if len(fields) != 3 or not fields[0].isdigit() or fields[2] not in ("0", "1"):
                continue
            if int(fields[0]) < FRENCH_ROWS:
                yield fields[1], int(fields[2]), fields[0]


def main(with_mlma: bool = False) -> None:
    # Not in the shipped model's training data: its labels are noisy (neutral tweets that match
    # a keyword are labelled toxic, 76% toxic in all), and with it the model flagged most clean
    # French chat texts of the tune split and of the sample (sources/fr.md)
    if with_mlma:
        out = TRAIN / "fr.mlma.tsv.gz"
        print(out, write(out, mlma_fr("fr.mlma")))


if __name__ == "__main__":
    main()

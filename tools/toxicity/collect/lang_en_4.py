"""Fourth-round English training rows from raw pages of public dataset files (sources/en.md).

Two sources: HASOC 2019 English (`en.hasoc2019`) and HatEval 2019 English (`en.hateval2019`).

    python -m tools.toxicity.collect.lang_en_4

HASOC 2019 English (Mandl et al., FIRE 2019), task 1 (HOF = hate, offensive or profane vs
NOT), as stored in airKlizz/germeval2021toxic `data/HASOC/train.csv`: that copy concatenates
HASOC 2019's english (5,852 rows), german (3,819) and hindi training files in that order with a
fresh row index (`,comment_text,hf`), so index 0..5851 is the English part (the German part,
5852..9670, is `de.hasoc2019`, see lang_de_2.py). Label = the copy's `hf` (task_1 NOT -> 0,
HOF -> 1), as the German converter reads it; source_id = h<the copy's row index>; HTML entities
(`&amp;`, `&lt;` ...) are decoded with `html.unescape`, as for the other English tweets.

Raw pages follow the layout of lang_de (page<N> = the stored file's 16,000-character page at
offset N * 16000, saved verbatim; the first line of a page with N > 0 and the text after a
page's last newline may be cut and are dropped) and are parsed with its helpers. A line that
is not one whole csv row (three fields, a numeric index, a 0/1 label) is skipped, and so is a
row outside the English index range.

HatEval 2019 English (SemEval-2019 Task 5, Basile et al. 2019), the official training file
`train_en.tsv` (`id TAB text TAB HS TAB TR TAB AG`) as stored in
ash0904/IRE-Project-hatEval-2019 `public_development_en/train_en.tsv`: tweets about immigrants
and women, label = `HS` (hate speech against immigrants or women). Only the HS = 1 rows are
kept (label 1): HS = 0 means "not hate speech against these groups", which includes plain
insults and profanity (the collector counted 153 of 769 such rows), so it is not this project's
label 0; the source then has one class, as the clean chat files do, and its positives weigh
as a source's do. TR and AG, the target (individual or group) and aggressiveness subtask B
labels, are not used; source_id = the HatEval tweet `id`. A
line that is not one whole row (five tab-separated fields, a numeric id, 0/1 labels) is skipped.
A text that is wrapped in CSV quotes inside the TSV (starts and ends with `"` and holds `""`)
is unwrapped; HTML entities are decoded with `html.unescape`; the file's own mojibake
(`‘˜`, `ðŸ˜‚`, `â€¦`-style) is kept as it is.
"""
from __future__ import annotations

import csv
import html
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, pages, whole_lines
from tools.toxicity.collect.tsvgz import write

# the copy's row index of HASOC 2019's English training file
HASOC_ENGLISH = range(0, 5852)


def hasoc2019_en(stem: str) -> Iterator[Row]:
    """HASOC 2019 copy `index,comment_text,hf` (hf: NOT -> 0, HOF -> 1), English rows only."""
    for offset, text in pages(TRAIN_RAW, stem):
        for _, line in whole_lines(offset, text):
            fields = next(csv.reader([line]), [])
            if len(fields) != 3 or not fields[0].isdigit() or fields[2] not in ("0", "1"):
                continue
            if int(fields[0]) in HASOC_ENGLISH:
                yield html.unescape(fields[1]), int(fields[2]), f"h{fields[0]}"


def _unquote(text: str) -> str:
    """A TSV text field that was written with CSV quoting: '"a ""b"" c"' -> 'a "b" c'."""
    if len(text) > 1 and text[0] == text[-1] == '"' and '""' in text:
        return text[1:-1].replace('""', '"')
    return text


def hateval2019_en(stem: str) -> Iterator[Row]:
    """HatEval 2019 train_en.tsv `id, text, HS, TR, AG`: the hateful rows (HS = 1), label 1; HS = 0
    ("not hate speech against immigrants or women") is not "not offensive", so it is left out."""
    for offset, text in pages(TRAIN_RAW, stem):
        for _, line in whole_lines(offset, text):
            fields = line.rstrip("\r").split("\t")
            if len(fields) != 5 or not fields[0].isdigit():
                continue
            if all(f in ("0", "1") for f in fields[2:]) and fields[2] == "1":
                yield html.unescape(_unquote(fields[1])), 1, fields[0]


OUTPUTS = {
    "en.hasoc2019": hasoc2019_en,
    "en.hateval2019": hateval2019_en,
}


def main() -> None:
    for name, rows in OUTPUTS.items():
        if pages(TRAIN_RAW, name):
            out = TRAIN / f"{name}.tsv.gz"
            print(out, write(out, rows(name)))


if __name__ == "__main__":
    main()

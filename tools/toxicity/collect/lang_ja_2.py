"""Japanese (ja), second TRAIN source: court-case defamation posts (Hisada et al., NLP 2024).

    python -m tools.toxicity.collect.lang_ja_2

The source files (horshohei/japanese-offensive-language-from-court-case,
experimentdata/test_0.json and test_1.json, two folds of the authors' 5-fold split; raw stems
ja.courtcase and ja.courtcase1) are each one JSON object of parallel lists, `{"caseID": [...], "text":
[...], ...}`: caseID is a court case number (or "trial_<n>") for a post that a plaintiff took to
court as defamatory / insulting, and "negative" for a post from the same kind of boards that was
not. Raw pages are the stored file's 16,000-character pages page0 .. page<N>, saved verbatim and
consecutive from offset 0 (the caseID list sits wholly in page0, and a text's label is found by
its position in the text list, so the run must start at the file's beginning). The last text,
cut at the run's end, is dropped. sources/ja.md gives repository, commit and caveats.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN = Path("tools/toxicity/data/train")
STEM = "ja.courtcase"
FOLDS = (("ja.courtcase", "t"), ("ja.courtcase1", "f1t"))  # raw stem, source_id prefix
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PAGE_NO = re.compile(r"\.page(\d+)\.json$")


def joined_run(folder: Path, stem: str) -> str:
    """The raw pages page0, page1, ... joined; a gap in the numbering is an error."""
    found = sorted(
        (int(_PAGE_NO.search(p.name).group(1)), p) for p in folder.glob(f"{stem}.page*.json")
    )
    numbers = [n for n, _ in found]
    assert numbers == list(range(len(numbers))), f"{stem}: pages must be 0..N, got {numbers}"
    return "".join(p.read_text(encoding="utf-8") for _, p in found)


def case_labels(text: str) -> list[int]:
    """1 for every caseID that is a court case (a number or trial_<n>), 0 for "negative"."""
    start = text.index('"caseID": [') + len('"caseID": ')
    ids = json.loads(text[start : text.index("]", start) + 1])
    return [0 if case == "negative" else 1 for case in ids]


def courtcase(folder: Path, stem: str = STEM, prefix: str = "t") -> Iterator[Row]:
    """(text, label, "<prefix><index>") for every whole text of the run; [IDinfo] stays."""
    text = joined_run(folder, stem)
    labels = case_labels(text)
    start = text.index('"text": [') + len('"text": [')
    strings = list(_JSON_STRING.finditer(text, start))
    for index, match in enumerate(strings):
        if index >= len(labels) or match.end() == len(text):
            break
        yield json.loads(f'"{match.group(1)}"'), labels[index], f"{prefix}{index}"


def main() -> None:
    out = TRAIN / f"{STEM}.tsv.gz"
    rows = (row for stem, prefix in FOLDS for row in courtcase(TRAIN_RAW, stem, prefix))
    print(out, write(out, rows))  # a text in both folds is kept once (the first)


if __name__ == "__main__":
    main()

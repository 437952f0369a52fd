"""Russian toxicity rows: raw pages (transcribed verbatim from stored public GitHub files) to tsv.gz.

    python -m tools.toxicity.collect.lang_ru

TRAIN    RUSSE-2022 detoxification (s-nlp/russe_detox_2022, data/input/train.tsv): each row is a
         crowd-validated toxic comment and its manual neutral rewrite; the toxic side is label 1,
         the first neutral rewrite label 0.
HELD-OUT Russian Distorted Toxicity (alla-g/toxicity-detection-thesis,
         toxicity_corpus/russian_distorted_toxicity.tsv): vk.com comments, `toxicity` 1/0.

A raw page is 16,000 characters of the original file from offset 16,000 * N (file name
`.page<N>.`); rows cut at either page edge are dropped. sources/ru.md has the provenance.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import clean, write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
HELD_RAW = Path("bench/tox_xsrc/raw")
TRAIN_OUT = Path("tools/toxicity/data/train/ru.russe_detox2022.tsv.gz")
HELD_OUT = Path("bench/tox_xsrc/data/ru.vk_distorted_toxicity.tsv.gz")
_PAGE = re.compile(r"\.page(\d+)\.")
_VK_MENTION = re.compile(r"\[id\d+\|[^\]\n]*\]")


def page_number(path: Path) -> int:
    """N of `<lang>.<source>.page<N>.<ext>`: the page starts at character 16,000 * N."""
    match = _PAGE.search(path.name)
    if match is None:
        raise ValueError(f"not a raw page name: {path}")
    return int(match.group(1))


def whole_rows(path: Path) -> str:
    """The page's text without the row cut at its end and, past page 0, the row cut at its start."""
    text = path.read_text(encoding="utf-8")
    if page_number(path) > 0:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text[: text.rfind("\n") + 1]


def tsv_rows(path: Path, width: int) -> Iterator[list[str]]:
    """Rows of a quoted tsv page that have exactly `width` fields (a damaged edge row has not)."""
    reader = csv.reader(io.StringIO(whole_rows(path)), delimiter="\t", quotechar='"')
    for row in reader:
        if len(row) == width:
            yield row


def russe_detox(path: Path) -> Iterator[Row]:
    """toxic_comment (1) and neutral_comment1 (0).

    A pair whose rewrite equals the toxic text (the annotators found nothing to detoxify) is
    ambiguous and skipped whole; a toxic text without a rewrite keeps its label 1.
    """
    n = page_number(path)
    for i, row in enumerate(tsv_rows(path, 4), start=1):
        toxic, neutral = row[0], row[1]
        if toxic == "toxic_comment" or clean(neutral) == clean(toxic):
            continue
        yield toxic, 1, f"p{n}.{i}.toxic"
        if clean(neutral):
            yield neutral, 0, f"p{n}.{i}.neutral1"


def vk_distorted(path: Path) -> Iterator[Row]:
    """comment_id, source, comments, distortion, toxicity (1/0), corrected; VK mentions -> @USER.

    A comment that is only a mention (a reply with nothing written) carries no text: skipped.
    """
    for row in tsv_rows(path, 6):
        sid, _group, text, _distortion, toxicity, _corrected = row
        if toxicity not in ("0", "1") or not sid.isdigit():
            continue
        if not any(ch.isalpha() for ch in _VK_MENTION.sub("", text)):
            continue
        yield _VK_MENTION.sub("@USER", text), int(toxicity), sid


def _pages(folder: Path, stem: str) -> list[Path]:
    return sorted(folder.glob(f"{stem}.page*.tsv"), key=page_number)


def _rows(pages: list[Path], parse) -> Iterator[Row]:
    for page in pages:
        yield from parse(page)


def main() -> None:
    train = _pages(TRAIN_RAW, "ru.russe_detox2022")
    held = _pages(HELD_RAW, "ru.vk_distorted_toxicity")
    print(TRAIN_OUT, write(TRAIN_OUT, _rows(train, russe_detox)))
    print(HELD_OUT, write(HELD_OUT, _rows(held, vk_distorted)))


if __name__ == "__main__":
    main()

"""More English training rows from raw pages of public dataset files (sources/en.md says which).

    python -m tools.toxicity.collect.lang_en_2

ETHOS binary (intelligence-csd-auth-gr/Ethos-Hate-Speech-Dataset,
ethos/ethos_data/Ethos_Dataset_Binary.csv): YouTube and Reddit comments, one per line as
`comment;isHate`, isHate being the share of annotators who called the comment hate speech.
isHate >= 0.5 -> 1, isHate == 0 -> 0; comments in between (0 < isHate < 0.5: a minority of
annotators saw hate) are dropped as unsure.

Each raw page is 16,000 characters of the file read at some offset, so its first line
(unless the page starts the file) and its last line (unless the page ends the file) may be
cut: both are dropped.
"""
from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN = Path("tools/toxicity/data/train")

ETHOS_SIZE = 122_823  # characters in Ethos_Dataset_Binary.csv
PAGE = 16_000
_ETHOS_SCORE = re.compile(r";(0(?:\.\d+)?|1\.0)$")


def ethos_label(score: float) -> int | None:
    """1 for a majority hate vote, 0 for a unanimous no, None for the unsure middle."""
    if score >= 0.5:
        return 1
    if score == 0.0:
        return 0
    return None


def _ethos_line(line: str) -> tuple[str, float] | None:
    """(comment, isHate) of one complete `comment;isHate` line; None if it does not parse."""
    m = _ETHOS_SCORE.search(line)
    if not m:
        return None
    comment = line[: m.start()]
    if comment.startswith('"'):
        fields = next(csv.reader([comment], delimiter=";"), [])
        if len(fields) != 1:
            return None
        comment = fields[0]
    return comment, float(m.group(1))


def ethos(path: Path, page: int) -> Iterator[Row]:
    """Complete rows of page `page` (read at offset page * 16,000); source_id is
    `page<N>.line<n>`, n counting the page's lines from 0 (line 0 is the header of page 0
    or the cut first line of a later page)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    body = lines[1:] if page * PAGE + PAGE >= ETHOS_SIZE else lines[1:-1]
    for n, line in enumerate(body, start=1):
        parsed = _ethos_line(line)
        if parsed is None:
            continue
        comment, score = parsed
        label = ethos_label(score)
        if label is not None:
            yield html.unescape(comment), label, f"page{page}.line{n}"


def _pages(raw_dir: Path, stem: str) -> list[tuple[int, Path]]:
    """(page number, path) of stem.page<N>.<ext> files in page order."""
    found = [(int(re.search(r"\.page(\d+)\.", p.name).group(1)), p) for p in raw_dir.glob(f"{stem}.page*.*")]
    return sorted(found)


def rows_ethos() -> Iterator[Row]:
    for page, path in _pages(TRAIN_RAW, "en.ethos"):
        yield from ethos(path, page)


def main() -> None:
    print(TRAIN / "en.ethos.tsv.gz", write(TRAIN / "en.ethos.tsv.gz", rows_ethos()))


if __name__ == "__main__":
    main()

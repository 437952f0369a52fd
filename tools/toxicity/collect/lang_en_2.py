"""More English training rows from raw pages of public dataset files (sources/en.md says which).

    python -m tools.toxicity.collect.lang_en_2

ETHOS binary (intelligence-csd-auth-gr/Ethos-Hate-Speech-Dataset,
ethos/ethos_data/Ethos_Dataset_Binary.csv): YouTube and Reddit comments, one per line as
`comment;isHate`, isHate being the share of annotators who called the comment hate speech.
isHate >= 0.5 -> 1, isHate == 0 -> 0; comments in between (0 < isHate < 0.5: a minority of
annotators saw hate) are dropped as unsure.

GameTox (shucoll/GameTox, gametox.csv; Naseem et al., NAACL 2025): World of Tanks in-game
chat messages as `message,label`. `Non-Toxic` -> 0; `Insults and Flaming`, `Other Offensive
Texts`, `Hate and Harassment`, `Threats`, `Extremism` -> 1. The file mixes languages, so a
message is kept only if all its letters are Latin (Cyrillic, Greek, Arabic, CJK, Hangul...
dropped) and it has at least one letter; `#ERROR!` (a spreadsheet artefact) and the game
client's canned messages ("Im Spotted at E5!", "X, you are blocking my target!", "Enemy SPG
... is now reloading") are dropped; a message that occurs with both labels on the pages
taken gets its majority label (dropped on a tie).

Each raw page is 16,000 characters of the file read at some offset, so its first line
(unless the page starts the file) and its last line (unless the page ends the file) may be
cut: both are dropped.
"""
from __future__ import annotations

import csv
import html
import re
import unicodedata
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import clean, write

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


GAMETOX_SIZE = 1_444_031  # characters in gametox.csv
_GAMETOX_LABEL = {"Non-Toxic": 0, "Insults and Flaming": 1, "Other Offensive Texts": 1,
                  "Hate and Harassment": 1, "Threats": 1, "Extremism": 1}
_SPREADSHEET_ERRORS = {"#ERROR!"}
_CANNED = re.compile(r"^I(?:'?m|'ve been) spotted (?:at|in) [A-K]\d!$"
                     r"|you(?: are|.re) (?:blocking my (?:target|line of fire)!"
                     r"|on my line of fire! Get off!)$"
                     r"|^Enemy SPG .* is now reloading", re.I)


def latin_only(text: str) -> bool:
    """True when text has a letter and every letter in it is a Latin one."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def gametox(path: Path, page: int) -> Iterator[Row]:
    """Complete `message,label` rows of one gametox.csv page read at offset page * 16,000
    (its first line, the header or a possibly cut line, and its last line are dropped)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    body = lines[1:] if page * PAGE + PAGE >= GAMETOX_SIZE else lines[1:-1]
    for n, line in enumerate(body, start=1):
        fields = next(csv.reader([line]), [])
        if len(fields) != 2 or fields[1] not in _GAMETOX_LABEL:
            continue
        message = html.unescape(fields[0])
        if message.strip() in _SPREADSHEET_ERRORS or _CANNED.search(message):
            continue
        if not latin_only(message):
            continue
        yield message, _GAMETOX_LABEL[fields[1]], f"page{page}.line{n}"


def majority_label(rows: list[Row]) -> list[Row]:
    """rows whose label is the strict majority of the labels their text (as tsvgz cleans
    it) has on the pages taken; a text with as many 0s as 1s is dropped."""
    votes: dict[str, list[int]] = {}
    for text, label, _ in rows:
        votes.setdefault(clean(text), [0, 0])[label] += 1
    return [r for r in rows if votes[clean(r[0])][r[1]] > votes[clean(r[0])][1 - r[1]]]


def _pages(raw_dir: Path, stem: str) -> list[tuple[int, Path]]:
    """(page number, path) of stem.page<N>.<ext> files in page order."""
    found = raw_dir.glob(f"{stem}.page*.*")
    return sorted((int(re.search(r"\.page(\d+)\.", p.name).group(1)), p) for p in found)


def rows_ethos() -> Iterator[Row]:
    for page, path in _pages(TRAIN_RAW, "en.ethos"):
        yield from ethos(path, page)


def rows_gametox() -> list[Row]:
    rows = [r for page, path in _pages(TRAIN_RAW, "en.gametox") for r in gametox(path, page)]
    return majority_label(rows)


def main(with_ethos: bool = False) -> None:
    # ETHOS is GPLv3: not in the shipped model's training data (the project is Apache-2.0);
    # `with_ethos=True` writes it for a user whose model may carry that licence
    if with_ethos:
        print(TRAIN / "en.ethos.tsv.gz", write(TRAIN / "en.ethos.tsv.gz", rows_ethos()))
    print(TRAIN / "en.gametox.tsv.gz", write(TRAIN / "en.gametox.tsv.gz", rows_gametox()))


if __name__ == "__main__":
    main()

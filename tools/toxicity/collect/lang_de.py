"""German (de): TRAIN GermEval 2018, HELD-OUT Multilingual HateCheck (German).

Raw pages are the search tool's 16,000-character pages of the stored files, saved verbatim:
`<name>.page<N>.<ext>` is the page read at character offset N * 16000 (page0 of GermEval was
saved earlier trimmed to its complete lines). A row cut at a page edge is dropped: the first
line of a page with N > 0 and the text after the page's last newline. sources/de.md says which
repository, path and commit every file comes from.

    python -m tools.toxicity.collect.lang_de
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
PAGE = 16000
TRAIN_RAW = Path("tools/toxicity/collect/raw")
HELD_RAW = Path("bench/tox_xsrc/raw")
TRAIN = Path("tools/toxicity/data/train")
HELD = Path("bench/tox_xsrc/data")
_PAGE_NO = re.compile(r"\.page(\d+)\.")


def pages(folder: Path, stem: str) -> list[tuple[int, str]]:
    """(character offset, text) of every raw page of `stem`, in file order."""
    found = []
    for path in folder.glob(f"{stem}.page*.*"):
        offset = int(_PAGE_NO.search(path.name).group(1)) * PAGE
        found.append((offset, path.read_text(encoding="utf-8")))
    return sorted(found)


def whole_lines(offset: int, text: str) -> Iterator[tuple[int, str]]:
    """(offset in the original file, line) of the page's complete lines."""
    pos = 0
    if offset > 0:  # the page may start inside a row
        pos = text.index("\n") + 1
    while True:
        end = text.find("\n", pos)
        if end < 0:  # text after the last newline may be cut
            return
        yield offset + pos, text[pos:end]
        pos = end + 1


def germeval(stem: str) -> Iterator[Row]:
    """GermEval 2018 training.txt: text TAB OFFENSE|OTHER TAB fine label; |LBR| = line break.

    OFFENSE (ABUSE, INSULT, PROFANITY) -> 1, OTHER -> 0; source_id = c<char offset of the row>.
    """
    for offset, text in pages(TRAIN_RAW, stem):
        for at, line in whole_lines(offset, text):
            fields = line.split("\t")
            if len(fields) != 3 or fields[1] not in ("OFFENSE", "OTHER"):
                continue
            yield fields[0].replace("|LBR|", " "), int(fields[1] == "OFFENSE"), f"c{at}"


def hatecheck(folder: Path, stem: str) -> Iterator[Row]:
    """MHC hatecheck_cases_final_<language>.csv pages: label_gold hateful -> 1, non-hateful -> 0.

    Rows are parsed with csv from the page's complete lines (the header is taken from page0);
    source_id = the case's mhc_case_id.
    """
    header: list[str] | None = None
    for offset, text in pages(folder, stem):
        lines = [line for _, line in whole_lines(offset, text)]
        if offset == 0:
            header, lines = next(csv.reader([lines[0]])), lines[1:]
        assert header is not None, f"{stem}: page0 (the header) is missing"
        for fields in csv.reader(io.StringIO("\n".join(lines))):
            if len(fields) != len(header):
                continue
            row = dict(zip(header, fields))
            label = {"hateful": 1, "non-hateful": 0}.get(row.get("label_gold", ""))
            if label is not None:
                yield row["test_case"], label, row["mhc_case_id"]


def main() -> None:
    out = TRAIN / "de.germeval2018.tsv.gz"
    print(out, write(out, germeval("de.germeval2018")))
    if any(HELD_RAW.glob("de.hatecheck.page*")):
        out = HELD / "de.hatecheck.tsv.gz"
        print(out, write(out, hatecheck(HELD_RAW, "de.hatecheck")))


if __name__ == "__main__":
    main()

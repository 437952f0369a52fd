"""German (de), more TRAIN rows (issue 19): GermEval 2019 training tweets, GermEval 2018 test tweets.

Raw pages follow lang_de's layout: `<name>.page<N>.<ext>` is the search tool's 16,000-character
page of the stored file at character offset N * 16000, saved verbatim; a row cut at a page edge
is dropped (first line of a page with N > 0, text after the last newline). Both files have the
GermEval 2018 layout `text TAB OFFENSE|OTHER TAB ABUSE|INSULT|PROFANITY|OTHER`, so lang_de's
parser reads them (OFFENSE -> 1, OTHER -> 0; `|LBR|` -> space; source_id = c<char offset>).

The GermEval 2019 copy writes emoji as R-style escapes `<U+0001F602>`; they are turned back into
the characters. Rows whose text is already in another German training file are dropped, so the
new files add only new texts. sources/de.md says which repository, path and commit each file
comes from.

    python -m tools.toxicity.collect.lang_de_3
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Iterable, Iterator

from tools.toxicity.collect.lang_de import TRAIN, Row, germeval
from tools.toxicity.collect.tsvgz import clean, write

_ESCAPE = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")
OUTPUTS = {
    "de.germeval2019": TRAIN / "de.germeval2019.tsv.gz",
    "de.germeval2018test": TRAIN / "de.germeval2018_more.tsv.gz",
}


def unescape(text: str) -> str:
    """`<U+0001F602>` -> the character U+1F602."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def existing_texts(lang: str, skip: Iterable[Path]) -> set[str]:
    """Cleaned texts of the language's other training files (this converter's outputs excluded)."""
    skip = {p.resolve() for p in skip}
    seen: set[str] = set()
    for path in sorted(TRAIN.glob(f"{lang}.*.tsv.gz")):
        if path.resolve() in skip:
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                seen.add(line.split("\t", 1)[0])
    return seen


def new_only(rows: Iterable[Row], seen: set[str]) -> Iterator[Row]:
    """Rows whose cleaned text is not in `seen` (exact match after tsvgz.clean)."""
    for text, label, sid in rows:
        if clean(text) not in seen:
            yield text, label, sid


def main() -> None:
    seen = existing_texts("de", OUTPUTS.values())
    for stem, out in OUTPUTS.items():
        rows = ((unescape(t), y, s) for t, y, s in germeval(stem))
        print(out, write(out, new_only(rows, seen)))
        with gzip.open(out, "rt", encoding="utf-8") as fh:  # later files skip these texts too
            seen.update(line.split("\t", 1)[0] for line in list(fh)[1:])


if __name__ == "__main__":
    main()

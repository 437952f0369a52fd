"""Third-round English training rows from raw pages of public dataset files (sources/en.md).

    python -m tools.toxicity.collect.lang_en_3

ToxicChat (Lin et al. 2023, lmsys/toxic-chat, version toxicchat0124), as stored in
dmg-illc/JUDGE-BENCH `data/toxic_chat/toxic_chat_train.json`: the human-annotated user
prompts of the ToxicChat TRAIN split (real user prompts to the Vicuna demo), one JSON object
per prompt with `id`, `instance` (the prompt) and `annotations.toxicity.majority_human`
("1" toxic, "0" not; the authors' annotators' majority). `jailbreaking` is not used. Prompts
with a non-Latin letter (Chinese, Cyrillic ...) are dropped (this file is English training
data; Latin-script Spanish/Portuguese prompts stay, they are few).

GameTox and Davidson 2017 (already training sources, see lang_en_2.py / lang_en.py): more
pages at other offsets, parsed with the same functions, written to `en.gametox_more` and
`en.davidson2017_more`; rows whose text is already in `en.gametox` / `en.davidson2017` are
dropped so the new files add only new texts.

Each raw page is 16,000 characters of the file read at offset N * 16,000 (the N in the file
name), so a record cut at either edge of a page is dropped.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Iterable, Iterator

from tools.toxicity.collect.lang_en import davidson
from tools.toxicity.collect.lang_en_2 import gametox, latin_only, majority_label
from tools.toxicity.collect.tsvgz import clean, write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
TRAIN = Path("tools/toxicity/data/train")

# one complete ToxicChat record as indented in toxic_chat_train.json
_TOXICCHAT = re.compile(
    r'"id": "([0-9a-f]+)",\s*"instance": ("(?:[^"\\]|\\.)*"),\s*"annotations": \{\s*'
    r'"toxicity": \{\s*"majority_human": "([01])"')


def toxicchat(path: Path) -> Iterator[Row]:
    """(prompt, toxicity, conv id) of every complete record on one page."""
    text = path.read_text(encoding="utf-8")
    for m in _TOXICCHAT.finditer(text):
        prompt = json.loads(m.group(2))
        if latin_only(prompt) or not any(c.isalpha() for c in prompt):
            yield prompt, int(m.group(3)), m.group(1)


def _pages(stem: str) -> list[tuple[int, Path]]:
    """(page number, path) of raw/stem.page<N>.<ext> files in page order."""
    found = TRAIN_RAW.glob(f"{stem}.page*.*")
    return sorted((int(re.search(r"\.page(\d+)\.", p.name).group(1)), p) for p in found)


def _texts(path: Path) -> set[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        next(fh)
        return {line.split("\t")[0] for line in fh}


def not_in(rows: Iterable[Row], existing: Path) -> Iterator[Row]:
    """rows whose cleaned text is not already a text of the existing tsv.gz."""
    seen = _texts(existing)
    return (r for r in rows if clean(r[0]) not in seen)


def rows_toxicchat() -> Iterator[Row]:
    for _, path in _pages("en.toxicchat"):
        yield from toxicchat(path)


def rows_gametox_more() -> Iterator[Row]:
    rows = [r for page, path in _pages("en.gametox_more") for r in gametox(path, page)]
    return not_in(majority_label(rows), TRAIN / "en.gametox.tsv.gz")


def rows_davidson_more() -> Iterator[Row]:
    rows = (r for _, path in _pages("en.davidson2017_more") for r in davidson(path))
    return not_in(rows, TRAIN / "en.davidson2017.tsv.gz")


OUTPUTS = {
    "en.toxicchat": rows_toxicchat,
    "en.gametox_more": rows_gametox_more,
    "en.davidson2017_more": rows_davidson_more,
}


def main() -> None:
    for name, rows in OUTPUTS.items():
        if _pages(name):
            out = TRAIN / f"{name}.tsv.gz"
            print(out, write(out, rows()))


if __name__ == "__main__":
    main()

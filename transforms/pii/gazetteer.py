"""First names and surnames from many countries: one signal among several that a span is a person.

Source: the `names-dataset` package (philipperemy/name-dataset, Apache-2.0; built from public
social-network profiles, 105 countries, first names with per-country rank and gender share,
surnames with per-country rank). Loading that package's pickles costs about two minutes and
1.5 GB, so a worker never loads it: `python -m transforms.pii.gazetteer --build` derives a
compact file once (`data/names.tsv.gz`, committed, a few MB of RAM once loaded) holding only
names popular in at least one country:

  - first names ranked <= FIRST_MAX_RANK in some country whose dominant gender share is at least
    MIN_GENDER_SHARE. The source is noisy (pages named "Apple", "Data", "The"), and such entries
    have mixed genders, while real given names lean strongly to one. Rarer names count with a
    near-total gender share (RARE_*), and names borne by both genders ("Simone", "Rosario") when
    popular in several countries outside those whose profiles carry English words as names
    (UNISEX_*, NICKNAME_COUNTRIES);
  - surnames ranked <= LAST_MAX_RANK in some country.

Words that are stop words in a major language ("Will", "May", "Can") never count: they are far
more often words than names, and neither do the tool words of `technical.TOOLS` ("Docker" is
also a surname); a top given name that is a stop word only outside English
("Anders", "Sean", "Inga") counts as a first name but never as a common one (STOP_NAME_*).
Nothing here decides alone that a span is a person (see
`recognizers/person_evidence.py`).
"""
from __future__ import annotations

import gzip
import io
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Gazetteer", "load_gazetteer", "SOURCE", "build"]

SOURCE = "names-dataset==3.3.1"
DATA = os.path.join(os.path.dirname(__file__), "data", "names.tsv.gz")
FIRST_MAX_RANK = 3000
LAST_MAX_RANK = 10_000
MIN_GENDER_SHARE = 0.8
# Rarer given names ("Segismundo", "Teófila") count when nearly all their bearers share one gender.
RARE_FIRST_MAX_RANK = 10_000
RARE_FIRST_GENDER_SHARE = 0.95
# Given names borne by both genders ("Simone", "Dani", "Rosario", "Aki") fail the gender test;
# they count when popular (ranked <= UNISEX_MAX_RANK) in UNISEX_MIN_COUNTRIES countries outside
# NICKNAME_COUNTRIES, where profiles often carry English words as names ("Apple", "Table").
UNISEX_MAX_RANK = 300
UNISEX_MIN_COUNTRIES = 2
NICKNAME_COUNTRIES = frozenset("HK MO TW SG MY PH CN".split())
# A stop word of one language can be a top given name elsewhere ("Anders" is Dutch for
# "otherwise", "Sean" Spanish for "be", "Inga" Swedish for "none"): such a name counts as a first
# name (never as a common one, so it needs a second signal) when ranked <= STOP_NAME_MAX_RANK in
# some country with gender share >= STOP_NAME_GENDER_SHARE and it is no English stop word ("Will").
STOP_NAME_MAX_RANK = 30
STOP_NAME_GENDER_SHARE = 0.95
# "Common" first names: enough on their own, in context, to call one capitalized word a name.
COMMON_FIRST_MAX_RANK = 1000
COMMON_FIRST_GENDER_SHARE = 0.9
# Stop words of these languages (spaCy ships the lists without any model) are never names.
STOP_LANGS = ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "pl", "ru", "tr", "id")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


@lru_cache(maxsize=None)
def stop_words(langs: tuple = STOP_LANGS) -> frozenset:
    import importlib

    words = set()
    for lang in langs:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
        words |= {_fold(w) for w in module.STOP_WORDS}
    return frozenset(words)


@dataclass(frozen=True)
class Gazetteer:
    """Case-folded first names and surnames (stop words removed)."""

    first: frozenset
    last: frozenset
    common_first: frozenset

    def is_first(self, word: str) -> bool:
        return _fold(word) in self.first

    def is_common_first(self, word: str) -> bool:
        return _fold(word) in self.common_first

    def is_last(self, word: str) -> bool:
        return _fold(word) in self.last

    def is_name(self, word: str) -> bool:
        w = _fold(word)
        return w in self.first or w in self.last


@lru_cache(maxsize=1)
def load_gazetteer(path: str = DATA) -> Gazetteer:
    """Read the derived file (one process-wide copy)."""
    first, last, common = set(), set(), set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            name, kinds = line.rstrip("\n").split("\t")
            w = _fold(name)
            if "f" in kinds or "F" in kinds:
                first.add(w)
            if "F" in kinds:
                common.add(w)
            if "l" in kinds:
                last.add(w)
    return Gazetteer(frozenset(first), frozenset(last), frozenset(common))


def _usable(name: str, stops: frozenset) -> bool:
    return (len(name) >= 2 and _fold(name) not in stops and " " not in name
            and all(ch.isalpha() or ch in "-'’" for ch in name) and name[0].isalpha())


def first_name_kind(name: str, ranks: dict, genders: dict, stops: frozenset, english: frozenset) -> str:
    """"F" (common), "f" (first name) or "" for an entry of names-dataset's first names."""
    if not ranks or not genders:
        return ""
    best, share = min(ranks.values()), max(genders.values())
    if not _usable(name, frozenset()):
        return ""
    if _fold(name) in stops:  # a stop word somewhere: only a top name that is no English word
        return "f" if (best <= STOP_NAME_MAX_RANK and share >= STOP_NAME_GENDER_SHARE
                       and _fold(name) not in english) else ""
    if best <= COMMON_FIRST_MAX_RANK and share >= COMMON_FIRST_GENDER_SHARE:
        return "F"
    popular = sum(1 for c, r in ranks.items() if r <= UNISEX_MAX_RANK and c not in NICKNAME_COUNTRIES)
    if (best <= FIRST_MAX_RANK and share >= MIN_GENDER_SHARE
            or best <= RARE_FIRST_MAX_RANK and share >= RARE_FIRST_GENDER_SHARE
            or popular >= UNISEX_MIN_COUNTRIES):
        return "f"
    return ""


def build(out: str = DATA) -> None:
    """Derive `out` from the installed names-dataset package (pip install 'names-dataset==3.3.1')."""
    import gzip as gz
    import pickle
    from importlib.metadata import version
    from importlib.util import find_spec

    got = f"names-dataset=={version('names-dataset')}"
    if got != SOURCE:
        raise SystemExit(f"expected {SOURCE}, found {got}: update SOURCE and rebuild deliberately")
    # The pickles only (importing the package would pull in pycountry and numpy).
    root = os.path.join(find_spec("names_dataset").submodule_search_locations[0], "v3")
    kinds: dict = {}
    stops = stop_words()
    english = stop_words(("en",))
    # Tool and product words ("Docker" is also a rare surname) are never names either.
    from transforms.pii.technical import TOOLS

    stops = stops | frozenset(TOOLS)
    with gz.open(os.path.join(root, "first_names.pkl.gz"), "rb") as fh:
        for name, info in pickle.load(fh).items():
            kind = first_name_kind(name, info.get("rank") or {}, info.get("gender") or {}, stops, english)
            if kind:
                kinds[name] = kinds.get(name, "") + kind
    with gz.open(os.path.join(root, "last_names.pkl.gz"), "rb") as fh:
        for name, info in pickle.load(fh).items():
            ranks = info.get("rank") or {}
            if _usable(name, stops) and ranks and min(ranks.values()) <= LAST_MAX_RANK:
                kinds[name] = kinds.get(name, "") + "l"
    buf = io.StringIO()
    buf.write(f"# derived from {SOURCE} (Apache-2.0) by transforms/pii/gazetteer.py: first names ranked "
              f"<= {FIRST_MAX_RANK} in a country with gender share >= {MIN_GENDER_SHARE}, or <= "
              f"{RARE_FIRST_MAX_RANK} with share >= {RARE_FIRST_GENDER_SHARE}, or <= {UNISEX_MAX_RANK} in "
              f"{UNISEX_MIN_COUNTRIES}+ countries outside {' '.join(sorted(NICKNAME_COUNTRIES))}; surnames ranked "
              f"<= {LAST_MAX_RANK}; stop words of {', '.join(STOP_LANGS)} (spaCy) and technical.TOOLS removed, except first names "
              f"ranked <= {STOP_NAME_MAX_RANK} with share >= {STOP_NAME_GENDER_SHARE} that are no English stop "
              f"word; f = first name, F = common first name (rank <= {COMMON_FIRST_MAX_RANK}, gender share >= "
              f"{COMMON_FIRST_GENDER_SHARE}), l = surname\n")
    for name in sorted(kinds):
        buf.write(f"{name}\t{kinds[name]}\n")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as raw, gz.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    print(f"wrote {len(kinds)} names to {out}")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--build"]:
        raise SystemExit("usage: python -m transforms.pii.gazetteer --build")
    build()

"""Choose C and the per-language thresholds on sources the model did not see (`--select sources`).

The default selection (`--select rows`) tunes on 1 in 5 rows of every training file, so C and
the thresholds are chosen on the same datasets the weights were fitted on: the tune split is
kinder than a new source is (English: recall 0.91 on tune, 0.49 held-out). Here the rows of
each language are put into K folds **by dataset** (a file and its `_more` continuation are one
dataset; all clean chat files of a language are one), a model is fitted on the other folds and
every row is scored by the model that did not see its dataset (the clean chat texts, which
stand for the release's own traffic, are folded by row). C and each language's
threshold are chosen on those out-of-source scores, so they are set for text from somewhere
else, which is what the release judges. A language with a single labelled dataset has no
other source to hold out: its rows are folded by a hash of the text instead (stated per
language in the artifact as `fold_by: rows`). The shipped weights are then fitted on every
row at the chosen C.
"""
from __future__ import annotations

import numpy as np
import xxhash

from transforms.toxicity.ngram_features import normalise

__all__ = ["K", "dataset_of", "assign_folds"]

K = 3
MORE_SUFFIX = "_more"


def dataset_of(source: str) -> str:
    """`gametox_more` is more rows of `gametox`: one dataset (source groups already map every
    `chat_*` file to `chat`)."""
    return source[: -len(MORE_SUFFIX)] if source.endswith(MORE_SUFFIX) else source


def assign_folds(rows: list[dict], k: int = K) -> tuple[np.ndarray, dict]:
    """Fold of every row, and per language how it was folded ("sources" or "rows").

    By source: a language's labelled datasets, sorted, go round-robin into the k folds. The clean
    chat texts are folded by row (xxh3 of the text): they stand for the release's own traffic,
    which is chat, so the model always sees some of them, as the shipped one does. A language
    with fewer than two labelled datasets is folded by row too."""
    datasets: dict[str, set] = {}
    for r in rows:
        datasets.setdefault(r["lang"], set()).add(dataset_of(r["source"]))
    how, index = {}, {}
    for lang, names in sorted(datasets.items()):
        labelled = [n for n in names if n != "chat"]
        how[lang] = "sources" if len(labelled) >= 2 else "rows"
        for i, name in enumerate(sorted(labelled)):
            index[lang, name] = i % k
    folds = np.empty(len(rows), dtype=np.int64)
    for i, r in enumerate(rows):
        if how[r["lang"]] == "sources" and r["source"] != "chat":
            folds[i] = index[r["lang"], dataset_of(r["source"])]
        else:
            digest = xxhash.xxh3_64_intdigest(("fold\0" + normalise(r["text"])).encode("utf-8"))
            folds[i] = digest % k
    return folds, how

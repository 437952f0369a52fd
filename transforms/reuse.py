"""Snapshots that reuse work: per-message results of the previous run, joined by a keyed hash.

The expensive part of a release is per distinct message text: its language (langdetect, lingua),
its PII analysis (NER, recognizers) and each toxicity backend's entry. A daily snapshot over
logs that are mostly yesterday's recomputes them for texts yesterday's run already decided.
`ReuseStages` runs the language, PII and toxicity stages with those results looked up first:

  KeyMessages    every message gets `text_key` = HMAC-SHA256(reuse key, fingerprint + text),
                 32 hex (fixed width), and the conversation `conversation_key` (over its roles
                 and texts); the reuse key is derived from the run's IP-hash key on the worker
                 (`setup()`), so the key never enters the graph
  JoinPrevious   (text_key, conversation_id) wants  CoGroupByKey  (text_key, record) of the
                 previous run's store -> (conversation_id, (text_key, record)); then
                 CoGroupByKey with the conversations -> each conversation carries the records of
                 its texts (a Beam join: no database, no side input; a group holds one text's
                 record and the ids of the conversations that hold the text, never the texts)
  UseStored      a conversation whose own record is stored (same roles and texts) leaves as
                 the stages made it, without entering them (`apply_record`)
  Language, Pii, Toxicity
                 the stages' own DoFns (transforms/language, pii, toxicity), each seeing its
                 engine through the records: a text with a record is not analysed again, a text
                 without one is, and its result joins the records
  Settle         the conversation without its records (what the stages alone would have
                 made), each text's record for the new store, and the counts
  WriteStore     OUT/reuse/<run_id>/part-SSSSS-of-NNNNN.jsonl: one line per distinct text,
                 {"k": text_key, "L": [code, rule, letters], "P": {ner language: findings},
                 "T": {backend: entry}}, and per conversation {"k": conversation_key, "C":
                 {"conv": fields the stages set, "messages": [fields the stages set]}}

A text's record holds no text: a keyed hash, a language code, PII offsets/types/scores and
toxicity scores. A conversation's holds a changed (scrubbed) text only sealed (`seal`: XOR with
a SHAKE-256 stream seeded by HMAC(key, conversation key, message index)). With
`pii.keep_names_seen_in` (public figures: counted over the whole release) whole conversations
are not reused; their texts' results are. The stored results are the stages' inputs to their per-conversation rules (the
conversation language, the spreading of values, the placeholders, the verdict rule), which run
again on every conversation: so a conversation continued by new logs reuses its old messages and
the released bytes equal those of a run from scratch.

`fingerprint(cfg)` covers what changes a per-message result: the language, PII and toxicity
config sections (strategy names included), the code and data files of those stages, the
versions of the packages and models they call, and `STORE_FORMAT`. A changed fingerprint
changes every key, so nothing stale is found. A rotated IP-hash key does too.

A store counts only once its run was published (`previous_store`): the driver writes
`COMPLETE` after the pipeline, and the run's manifest must exist.

Metrics (namespace "reuse"): reused_messages (every result of the message came from the store),
computed_messages (at least one was computed), reused_conversations, stored_texts (store lines);
stats (tag REUSE_STATS, in the manifest): reuse.messages.{reused,computed},
reuse.conversations.{reused,computed}.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import hmac
import importlib.metadata
import json
import os

import apache_beam as beam
import orjson
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from transforms.guard import STAGE_FAILED, GuardedFn

__all__ = ["StageSetupFailed", "ReuseStages", "ReusePlan", "JoinPrevious", "REUSE", "fingerprint", "text_key",
           "derive_key", "conversation_key", "seal", "unseal", "conversation_record", "apply_record",
           "previous_store", "mark_complete", "merge_records", "STORE_FORMAT", "COMPLETE", "REUSE_STATS"]

NS = "reuse"
STORE_FORMAT = "reuse_v1"
COMPLETE = "COMPLETE"
REUSE = "_reuse"  # the conversation's records while it crosses the stages (never released)
REUSE_STATS = "reuse_stats"
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What decides a per-message result: these folders' code and data.
_CODE = ("transforms/language", "transforms/pii", "transforms/toxicity", "transforms/code_spans.py")
_PACKAGES = ("langdetect", "lingua-language-detector", "spacy", "regex", "phonenumbers",
             "alt-profanity-check", "scikit-learn", "detoxify", "torch", "transformers")


# ---------------------------------------------------------------- pure core

@dataclasses.dataclass(frozen=True)
class ReusePlan:
    """What the driver decided: the fingerprint, the previous store (a glob, or None for a full
    run) and this run's store folder."""

    fingerprint: str
    previous: str | None
    store: str


def _code_digest() -> str:
    h = hashlib.sha256()
    for top in _CODE:
        path = os.path.join(_ROOT, top)
        files = [path] if os.path.isfile(path) else sorted(
            os.path.join(d, f) for d, _, names in os.walk(path) for f in names
            if "__pycache__" not in d and not f.endswith(".pyc"))
        for name in sorted(files):
            h.update(os.path.relpath(name, _ROOT).encode() + b"\0")
            with open(name, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def fingerprint(cfg) -> str:
    """64 hex over everything that changes a per-message result (see the module docstring)."""
    sections = {"language": cfg.language, "pii": cfg.pii, "toxicity": cfg.toxicity}
    packages = list(_PACKAGES) + sorted(cfg.pii.models.values())
    doc = {"format": STORE_FORMAT,
           "config": {k: dataclasses.asdict(v) for k, v in sections.items()},
           "packages": {p: _version(p) for p in packages},
           "code": _code_digest()}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def derive_key(ip_key: bytes) -> bytes:
    """The store's own key, derived from the IP-hash key (so a text key is never an IP hash)."""
    return hmac.new(ip_key, b"wchat-release reuse store key v1", hashlib.sha256).digest()


def text_key(key: bytes, fp: str, text: str) -> str:
    return hmac.new(key, fp.encode() + b"\0" + text.encode("utf-8", "surrogatepass"),
                    hashlib.sha256).hexdigest()[:32]


def merge_records(records) -> dict:
    """One key's records from several conversations -> one (the parts are equal where they
    overlap: the same text gives the same result). A text's record has L, P, T; a
    conversation's has C."""
    out = {"L": None, "P": {}, "T": {}}
    for r in records:
        if r.get("C") is not None:
            out["C"] = r["C"]
        if r.get("L") is not None:
            out["L"] = r["L"]
        out["P"].update(r.get("P") or {})
        out["T"].update(r.get("T") or {})
    out["P"] = dict(sorted(out["P"].items()))
    out["T"] = dict(sorted(out["T"].items()))
    return out


def conversation_key(key: bytes, fp: str, conv: dict) -> str:
    """HMAC over what the stages read of a conversation: each message's role and text (and
    `stats` a step before them left), in order."""
    h = hmac.new(key, fp.encode() + b"\0conversation\0", hashlib.sha256)
    h.update(orjson.dumps(conv.get("stats") or {}, option=orjson.OPT_SORT_KEYS))
    for m in conv["messages"]:
        for part in (m.get("role") or "", m["content"]):
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()[:32]


def _stream(key: bytes, ckey: str, i: int, n: int) -> bytes:
    seed = hmac.new(key, f"sealed text {ckey} {i}".encode(), hashlib.sha256).digest()
    return hashlib.shake_256(seed).digest(n)


def seal(key: bytes, ckey: str, i: int, text: str) -> str:
    """A released (scrubbed) text, encrypted for the store: XOR with a SHAKE-256 stream seeded
    by HMAC(key, conversation key, message index) (one stream per conversation text and
    message), base64. Without the run's key the store shows lengths only."""
    import base64

    data = text.encode("utf-8", "surrogatepass")
    if not data:
        return ""
    mixed = int.from_bytes(data, "big") ^ int.from_bytes(_stream(key, ckey, i, len(data)), "big")
    return base64.b64encode(mixed.to_bytes(len(data), "big")).decode()


def unseal(key: bytes, ckey: str, i: int, sealed: str) -> str:
    import base64

    data = base64.b64decode(sealed)
    if not data:
        return ""
    plain = int.from_bytes(data, "big") ^ int.from_bytes(_stream(key, ckey, i, len(data)), "big")
    return plain.to_bytes(len(data), "big").decode("utf-8", "surrogatepass")


def conversation_record(key: bytes, ckey: str, before: dict, before_messages: list, after: dict) -> dict:
    """What the stages changed in one conversation: its fields and each message's (a changed
    text sealed)."""
    fields = {k: v for k, v in after.items()
              if k not in ("messages", REUSE) and (k not in before or before[k] != v)}
    messages = []
    for i, (m_in, m_out) in enumerate(zip(before_messages, after["messages"])):
        changed = {k: v for k, v in m_out.items() if k != "content" and (k not in m_in or m_in[k] != v)}
        if m_out["content"] != m_in["content"]:
            changed["content_sealed"] = seal(key, ckey, i, m_out["content"])
        messages.append(changed)
    return {"conv": fields, "messages": messages}


def apply_record(key: bytes, ckey: str, conv: dict, record: dict) -> dict:
    """The conversation as the stages made it, from its record (`conversation_record`)."""
    messages = []
    for i, (m, changed) in enumerate(zip(conv["messages"], record["messages"])):
        out = dict(m, **{k: v for k, v in changed.items() if k != "content_sealed"})
        if "content_sealed" in changed:
            out["content"] = unseal(key, ckey, i, changed["content_sealed"])
        messages.append(out)
    return dict(conv, **record["conv"], messages=messages)


def _reuse_root(out: str) -> str:
    return FileSystems.join(out.rstrip("/"), "reuse")


def mark_complete(store: str) -> None:
    """Driver, after the pipeline: the store of this run is whole."""
    with FileSystems.create(FileSystems.join(store, COMPLETE)) as fh:
        fh.write(b"complete\n")


def previous_store(out: str, before: str) -> str | None:
    """The glob of the newest complete store of a published run older than `before`, or None."""
    from pipelines import layout

    root = _reuse_root(out)
    try:
        found = FileSystems.match([FileSystems.join(root, "*", COMPLETE)])[0].metadata_list
    except Exception:  # noqa: BLE001 - no reuse folder yet
        return None
    runs = sorted({m.path[len(root):].strip("/").split("/")[0] for m in found}, reverse=True)
    for run_id in runs:
        if layout.is_run_id(run_id) and run_id < before and FileSystems.exists(
                layout.run_paths(out, run_id).manifest):
            return FileSystems.join(root, run_id, "part-*")
    return None


# ---------------------------------------------------------------- Beam

class _KeyMessagesFn(beam.DoFn):
    """Conversation -> conversation with `_reuse` = {keys: [text_key per message], records: {}}."""

    def __init__(self, key_ref, fp: str, whole: bool):
        self._key_ref, self._fp, self._whole = key_ref, fp, whole

    def setup(self):
        self._key = _load_store_key(self._key_ref)

    def process(self, conv):
        keys = [text_key(self._key, self._fp, m["content"]) for m in conv["messages"]]
        ckey = conversation_key(self._key, self._fp, conv) if self._whole else None
        yield dict(conv, **{REUSE: {"keys": keys, "conv_key": ckey, "records": {}, "computed": []}})


def _load_store_key(key_ref) -> bytes:
    from transforms.ip_key import load_key

    return derive_key(load_key(key_ref.uri, expected_fingerprint=key_ref.fingerprint))


def _all_keys(state) -> list:
    keys = set(state["keys"])
    if state.get("conv_key"):
        keys.add(state["conv_key"])
    return sorted(keys)


def _wants(conv):
    cid = conv["conversation_id"]
    for k in _all_keys(conv[REUSE]):
        yield k, cid


STORED = "stored"


class _UseStoredFn(beam.DoFn):
    """A conversation whose whole record is stored leaves as the stages made it (tag STORED);
    the others go to the stages (main), with what Settle compares their output to."""

    def __init__(self, key_ref):
        self._key_ref = key_ref
        self._whole = Metrics.counter(NS, "reused_conversations")

    def setup(self):
        self._key = _load_store_key(self._key_ref)

    def process(self, conv):
        state = conv[REUSE]
        ckey = state.get("conv_key")
        record = state["records"].get(ckey) if ckey else None
        if record and record.get("C"):
            self._whole.inc()
            yield beam.pvalue.TaggedOutput(STORED, apply_record(self._key, ckey, conv, record["C"]))
            return
        before = {k: v for k, v in conv.items() if k not in ("messages", REUSE)}
        yield dict(conv, **{REUSE: dict(state, before=before, before_messages=conv["messages"])})


def _parse_line(line: str):
    rec = orjson.loads(line)
    return rec.pop("k"), rec


def _deliver(joined):
    """(text_key, {want: [conversation ids], have: [record]}) -> (conversation id, (key, record))."""
    k, groups = joined
    have = list(groups["have"])
    if not have:
        return
    record = merge_records(have)
    for cid in groups["want"]:
        yield cid, (k, record)


def _by_id(conv):
    return conv["conversation_id"], conv


def _attach(joined):
    """(conversation id, {conv: [conversation], found: [(key, record)]}) -> conversation."""
    _, groups = joined
    found = dict(groups["found"])
    for conv in groups["conv"]:
        yield dict(conv, **{REUSE: dict(conv[REUSE], records=found)})


def _with_records(conv, records: dict, computed: set) -> dict:
    state = conv[REUSE]
    return dict(conv, **{REUSE: dict(state, records=records, computed=sorted(computed))})


def _fresh_state(conv):
    """Copies of a conversation's records (the stage adds to them; inputs stay unchanged)."""
    state = conv[REUSE]
    records = {k: {"L": r.get("L"), "P": dict(r.get("P") or {}), "T": dict(r.get("T") or {})}
               for k, r in state["records"].items()}
    return records, set(state["computed"])


# Language: `annotate_languages` asks `detect(text)` of each message.
class _StoredDetector:
    def __init__(self, real, conv):
        self._real = real
        self.records, self.computed = _fresh_state(conv)
        self._by_text = {}
        for i, (m, k) in enumerate(zip(conv["messages"], conv[REUSE]["keys"])):
            self._by_text.setdefault(m["content"], []).append((i, k))

    @property
    def cache_hits(self):
        return self._real.cache_hits

    @property
    def lingua_calls(self):
        return self._real.lingua_calls

    def detect(self, text):
        places = self._by_text[text]
        k = places[0][1]
        rec = self.records.setdefault(k, {"L": None, "P": {}, "T": {}})
        if rec["L"] is not None:
            return tuple(rec["L"])
        result = self._real.detect(text)
        rec["L"] = list(result)
        self.computed.update(i for i, _ in places)
        return result


class StageSetupFailed(BaseException):
    """Fatal, as a stage's `setup()` failing is: an engine built on first use could not be
    built. (A BaseException, so the stage guard does not turn it into one conversation's
    dead letter: the run stops.)"""


def _build(factory, shared, what: str):
    try:
        return shared.acquire(factory)
    except Exception as err:  # noqa: BLE001 - re-raised as fatal
        raise StageSetupFailed(f"{what}: {type(err).__name__}: {err}") from err


class _LazyDetector:
    """The stage's `LanguageDetector`, built (langdetect's profiles, lingua's models) only when
    a text has no stored language: a rerun over the same texts never loads them."""

    def __init__(self, build):
        self._build, self._detector = build, None

    @property
    def cache_hits(self):
        return self._detector.cache_hits if self._detector is not None else 0

    @property
    def lingua_calls(self):
        return self._detector.lingua_calls if self._detector is not None else 0

    def detect(self, text):
        if self._detector is None:
            self._detector = self._build()
        return self._detector.detect(text)


def _language_fn(config):
    from apache_beam.utils.shared import Shared

    from transforms.language.message import LanguageDetector
    from transforms.language.transform import _DetectLanguageFn, _engines_factory

    class _ReusingLanguageFn(_DetectLanguageFn):
        """The stage's DoFn; its detector answers from the records first."""

        def setup(self):
            cfg = self._config

            def build():
                engines = _build(_engines_factory(cfg), self._shared, "language")
                return LanguageDetector(min_letters=cfg.min_letters, max_letters=cfg.max_letters,
                                        engines=engines)
            self._real = _LazyDetector(build)

        def process(self, conv):
            self._detector = view = _StoredDetector(self._real, conv)
            for out in super().process(conv):
                yield _with_records(out, view.records, view.computed)

    return _ReusingLanguageFn(config, Shared())


# PII: the scrubber asks its analyzer for [(NER language, visible text)].
class _StoredAnalyzer:
    def __init__(self, real, convs):
        from transforms.pii.invisible import visible

        self._real = real
        self.states = [_fresh_state(c) for c in convs]
        self._where = {}  # visible text -> [(conversation index, message index, key)]
        for ci, conv in enumerate(convs):
            for mi, (m, k) in enumerate(zip(conv["messages"], conv[REUSE]["keys"])):
                self._where.setdefault(visible(m["content"]), []).append((ci, mi, k))

    def _record(self, ci, k):
        return self.states[ci][0].setdefault(k, {"L": None, "P": {}, "T": {}})

    def analyze(self, items):
        from collections import Counter

        from transforms.pii.findings import Finding

        out, missing = [None] * len(items), {}
        for i, (lang, text) in enumerate(items):
            ci, _, k = self._where[text][0]
            stored = self._record(ci, k)["P"].get(lang or "")
            if stored is not None:
                out[i] = [Finding(*f) for f in stored]
            else:
                missing.setdefault((lang, text), []).append(i)
        counts = Counter()
        if missing:
            found, counts = self._real.analyze(list(missing))
            for item, findings in zip(missing, found):
                lang, text = item
                for j in missing[item]:
                    out[j] = list(findings)
                plain = [[f.entity_type, f.start, f.end, f.score, f.source] for f in findings]
                for ci, mi, k in self._where[text]:
                    self._record(ci, k)["P"][lang or ""] = plain
                    self.states[ci][1].add(mi)
        return out, counts


class _LazyNer:
    """`NerEngine` loading a language's spaCy model on its first text (the scrubber's own
    loads every model when built: seconds per model and worker, for nothing when every text
    has stored findings). Same pipelines, same output (transforms/pii/engines.py)."""

    def __init__(self, models: dict, batch_size: int, chunk_chars: int, max_chars: int):
        import threading

        self._specs, self._args = dict(models), (batch_size, chunk_chars, max_chars)
        self._engines: dict = {}
        self._lock = threading.Lock()

    def languages(self) -> frozenset:
        return frozenset(self._specs)

    def run(self, lang: str, texts: list) -> list:
        from transforms.pii.engines import NerEngine

        with self._lock:
            engine = self._engines.get(lang)
            if engine is None:
                try:
                    engine = NerEngine({lang: self._specs[lang]}, *self._args)
                except Exception as err:  # noqa: BLE001 - ModelMissing: fatal, as in setup()
                    raise StageSetupFailed(f"pii: {err}") from err
                self._engines[lang] = engine
        return engine.run(lang, texts)


def _lazy_scrubber_factory(config):
    """The stage's scrubber (transforms/pii/transform.py `_scrubber_factory`), with NER models
    loaded on first use."""
    def build():
        from transforms.pii.scrubber import PiiScrubber

        scrubber = PiiScrubber({}, tuple(config.entities), config.score_threshold, config.ner_batch_size,
                               config.ner_chunk_chars, config.ner_max_chars, ner_roles=tuple(config.ner_roles))
        if "PERSON" in config.entities and config.models:
            ner = _LazyNer(dict(config.models), config.ner_batch_size, config.ner_chunk_chars,
                           config.ner_max_chars)
            scrubber.analyzer.ner, scrubber.models = ner, ner.languages()
        return scrubber
    return build


def _check_ner_models(config) -> None:
    """Fatal in `setup()`, as the stage's own: a model that is not installed (a lazy load
    failing later would be one conversation's stage failure, not the run's)."""
    import spacy

    from transforms.pii.engines import ModelMissing

    if "PERSON" not in config.entities:
        return
    for lang, model in sorted(config.models.items()):
        if not (spacy.util.is_package(model) or os.path.isdir(model)):
            raise ModelMissing(f"pii.models: spaCy model {model!r} cannot be loaded (not installed)")


def _pii_fns(config):
    from apache_beam.utils.shared import Shared

    from transforms.pii.transform import _PersonNamesFn, _ScrubBatchFn

    def acquire(fn):
        # (in `process`: a worker whose conversations all come from the store builds nothing)
        if fn._real is None:
            fn._real = _build(_lazy_scrubber_factory(fn._config), fn._shared, "pii")
        return fn._real

    def seen_through(scrubber, convs):
        view = copy.copy(scrubber)
        view.analyzer = _StoredAnalyzer(scrubber.analyzer, convs)
        return view

    class _ReusingNamesFn(_PersonNamesFn):
        def setup(self):
            _check_ner_models(self._config)
            self._real = None

        def process(self, conv):
            self._scrubber = seen_through(acquire(self), [conv])
            yield from super().process(conv)

    class _ReusingScrubFn(_ScrubBatchFn):
        def setup(self):
            _check_ner_models(self._config)
            self._real = None

        def process(self, batch, keep_names=()):
            batch = list(batch)
            self._scrubber = view = seen_through(acquire(self), batch)
            # (one conversation out per conversation in, in order)
            for out, state in zip(list(super().process(batch, keep_names)), view.analyzer.states):
                yield _with_records(out, *state)

    shared = Shared()
    return _ReusingNamesFn(config, shared), _ReusingScrubFn(config, shared)


# Toxicity: the tagger asks each backend to `score(texts)`.
class _StoredBackend:
    def __init__(self, real, where, states):
        self._real, self._where, self._states = real, where, states

    def __getattr__(self, name):
        return getattr(self._real, name)

    def score(self, texts):
        name = self._real.name
        out, missing = [None] * len(texts), []
        for i, text in enumerate(texts):
            ci, _, k = self._where[text][0]
            entry = self._states[ci][0].get(k, {}).get("T", {}).get(name)
            if entry is not None:
                out[i] = entry
            else:
                missing.append(i)
        if missing:
            for i, entry in zip(missing, self._real.score([texts[i] for i in missing])):
                out[i] = entry
                if entry is None:  # not scored (an API that kept failing): tried again next run
                    continue
                for ci, mi, k in self._where[texts[i]]:
                    self._states[ci][0].setdefault(k, {"L": None, "P": {}, "T": {}})["T"][name] = entry
                    self._states[ci][1].add(mi)
        return out


def _toxicity_fn(config):
    from apache_beam.utils.shared import Shared

    from transforms.toxicity.transform import _TagBatchFn, _tagger_factory

    class _ReusingTagFn(_TagBatchFn):
        def setup(self):
            self._real = None

        def process(self, batch):
            if self._real is None:  # (built on the first batch, see the PII stage)
                self._real = _build(_tagger_factory(self._config), self._shared, "toxicity")
            batch = list(batch)
            states = [_fresh_state(c) for c in batch]
            where = {}
            for ci, conv in enumerate(batch):
                for mi, (m, k) in enumerate(zip(conv["messages"], conv[REUSE]["keys"])):
                    where.setdefault(m["content"], []).append((ci, mi, k))
            view = copy.copy(self._real)
            view.backends = [_StoredBackend(b, where, states) for b in self._real.backends]
            self._tagger = view
            for ci, out in enumerate(super().process(batch)):
                yield _with_records(out, *states[ci])

    return _ReusingTagFn(config, Shared())


class _SettleFn(beam.DoFn):
    """Conversation with records -> the conversation alone; (text_key, record) per distinct text
    (tag "records"); (stat, n) (tag REUSE_STATS)."""

    def __init__(self, key_ref):
        self._key_ref = key_ref
        self._reused = Metrics.counter(NS, "reused_messages")
        self._computed = Metrics.counter(NS, "computed_messages")

    def setup(self):
        self._key = _load_store_key(self._key_ref)

    def process(self, conv):
        state = conv[REUSE]
        out = {k: v for k, v in conv.items() if k != REUSE}
        computed = len(state["computed"])
        reused = len(conv["messages"]) - computed
        self._reused.inc(reused)
        self._computed.inc(computed)
        yield out
        yield beam.pvalue.TaggedOutput(REUSE_STATS, ("reuse.messages.reused", reused))
        yield beam.pvalue.TaggedOutput(REUSE_STATS, ("reuse.messages.computed", computed))
        for k in sorted(set(state["keys"])):
            yield beam.pvalue.TaggedOutput("records", (k, state["records"].get(k, {})))
        ckey = state.get("conv_key")
        if not ckey:
            return
        if "before" in state:
            whole = conversation_record(self._key, ckey, state["before"], state["before_messages"], out)
        else:  # it came from the store
            whole = state["records"][ckey]["C"]
        outcome = "computed" if "before" in state else "reused"
        yield beam.pvalue.TaggedOutput(REUSE_STATS, (f"reuse.conversations.{outcome}", 1))
        yield beam.pvalue.TaggedOutput("records", (ckey, {"C": whole}))


def _store_line(kv) -> str:
    k, rec = kv
    return orjson.dumps({"k": k, **rec}, option=orjson.OPT_SORT_KEYS).decode()


class _CountStored(beam.DoFn):
    def __init__(self):
        self._stored = Metrics.counter(NS, "stored_texts")

    def process(self, line):
        self._stored.inc()
        yield line


class JoinPrevious(beam.PTransform):
    """PCollection[Conversation with `_reuse` keys] -> the same with `_reuse.records` = the
    previous store's record of each of its texts that has one. Two CoGroupByKeys: texts
    (a group: one record and the ids of the conversations holding the text), then
    conversations (a group: one conversation and one record per distinct text of it)."""

    def __init__(self, store_glob: str):
        super().__init__()
        self._glob = store_glob

    def expand(self, keyed):
        have = (keyed.pipeline
                | "ReadStore" >> beam.io.ReadFromText(self._glob)
                | "ParseStore" >> beam.Map(_parse_line))
        wants = keyed | "Wants" >> beam.FlatMap(_wants)
        found = ({"want": wants, "have": have} | "JoinTexts" >> beam.CoGroupByKey()
                 | "Deliver" >> beam.FlatMap(_deliver))
        convs = keyed | "ById" >> beam.Map(_by_id)
        return ({"conv": convs, "found": found} | "JoinConversations" >> beam.CoGroupByKey()
                | "Attach" >> beam.FlatMap(_attach))


class ReuseStages(beam.PTransform):
    """PCollection[Conversation] -> {"conversations": after the configured stages,
    STAGE_FAILED: their dead letters, REUSE_STATS: (stat, n) events}; writes the new store.

    `previous`: glob of the previous run's store (None: compute everything, e.g. `--no-reuse`).
    `store`: folder of this run's store. `fp`: `fingerprint(cfg)`, computed on the driver."""

    def __init__(self, cfg, key_ref, fp: str, previous: str | None, store: str, num_shards: int = 1):
        super().__init__()
        if not store:
            raise ValueError("ReuseStages needs the folder of this run's store")
        self._cfg, self._key_ref, self._fp = cfg, key_ref, fp
        self._previous, self._store, self._num_shards = previous, store, max(1, num_shards)

    def expand(self, conversations):
        cfg = self._cfg
        # Whole conversations are reused only when nothing outside them changes their result
        # (public-figure names are counted over the whole release).
        whole = not cfg.pii.keep_names_seen_in or cfg.pii.strategy == "none"
        convs = conversations | "KeyMessages" >> beam.ParDo(_KeyMessagesFn(self._key_ref, self._fp, whole))
        if self._previous:
            convs = convs | "JoinPrevious" >> JoinPrevious(self._previous)
        split = convs | "UseStored" >> beam.ParDo(_UseStoredFn(self._key_ref)).with_outputs(STORED, main="rest")
        convs = split["rest"]
        failed = []

        def guarded(pcoll, label, stage, fn, batched=False, **side):
            outs = pcoll | label >> beam.ParDo(GuardedFn(stage, fn, batched=batched), **side).with_outputs(
                STAGE_FAILED, main="conversations")
            failed.append(outs[STAGE_FAILED])
            return outs["conversations"]

        if cfg.language.strategy != "none":
            from transforms.language.transform import DetectLanguage
            DetectLanguage(cfg.language)  # validates the section as the stage does
            convs = guarded(convs, "DetectLanguage", "language", _language_fn(cfg.language))
        if cfg.pii.strategy != "none":
            from transforms.pii.transform import ScrubPii
            ScrubPii(cfg.pii)
            names_fn, scrub_fn = _pii_fns(cfg.pii)
            side = {}
            if cfg.pii.keep_names_seen_in:
                side["keep_names"] = beam.pvalue.AsList(
                    convs
                    | "PersonNames" >> beam.ParDo(names_fn)
                    | "CountNames" >> beam.combiners.Count.PerElement()
                    | "SeenOften" >> beam.Filter(lambda kv, n=cfg.pii.keep_names_seen_in: kv[1] >= n)
                    | "Names" >> beam.Keys())
            batches = convs | "BatchPii" >> beam.BatchElements(
                min_batch_size=1, max_batch_size=max(1, cfg.pii.ner_batch_size // 2))
            convs = guarded(batches, "ScrubPii", "pii", scrub_fn, batched=True, **side)
        if cfg.toxicity.backends:
            from transforms.toxicity.transform import TagToxicity
            TagToxicity(cfg.toxicity)
            batches = convs | "BatchToxicity" >> beam.BatchElements(
                min_batch_size=1, max_batch_size=cfg.toxicity.batch_size)
            convs = guarded(batches, "TagToxicity", "toxicity", _toxicity_fn(cfg.toxicity), batched=True)
        convs = (convs, split[STORED]) | "StagedAndStored" >> beam.Flatten()
        settled = convs | "Settle" >> beam.ParDo(_SettleFn(self._key_ref)).with_outputs("records", REUSE_STATS,
                                                                          main="conversations")
        _ = (settled["records"]
             | "MergeRecords" >> beam.CombinePerKey(merge_records)
             | "StoreLines" >> beam.Map(_store_line)
             | "CountStored" >> beam.ParDo(_CountStored())
             | "WriteStore" >> beam.io.WriteToText(FileSystems.join(self._store, "part"),
                                                   file_name_suffix=".jsonl", num_shards=self._num_shards))
        stage_failed = (failed | "ReuseStageFailures" >> beam.Flatten()) if failed else (
            conversations.pipeline | "NoStageFailures" >> beam.Create([]))
        return {"conversations": settled["conversations"], STAGE_FAILED: stage_failed,
                REUSE_STATS: settled[REUSE_STATS]}

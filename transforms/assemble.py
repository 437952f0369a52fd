"""Assemble released conversations from their leaf turn's text and the linking plan.

Each leaf record carries the whole history, so the conversation's text comes from the leaf
alone; the plan adds per-turn metadata (turn id, time, hashed IP, headers) for the turns on
its path. Exchanges before the first known turn (orphans) keep null metadata.

`AssembleConversations(plans)`: PCollection[(source, line, bytes)] (the second read) -> dict of
  - "conversations": PCollection[Conversation] (a dict, see `build_conversation`);
  - "plans_without_record": PCollection[str], the conversation id of every plan whose leaf
    record did not come back on the second read (data lost: the publisher refuses to publish);
  - "stage_failed": dead letters (`transforms/guard.py`) of pairs that made building raise,
    named by the leaf's file and line and the plan's turn ids.
`plans` is PCollection[(plan_key, plan bytes)] from `LinkConversations`. The join is keyed:
each record goes under the 16-byte hash of its (source, line) and meets at most one plan
(CoGroupByKey), so no worker ever holds more than one record and its plan per key; records
that are not a leaf meet no plan and are skipped. What is shuffled: every re-read record as
it is stored (its raw bytes, once) and every plan (compact bytes).

Metrics (namespace "assemble"): total, forwarded, dropped_not_a_leaf, plans_without_record.
"""
from __future__ import annotations

from collections import Counter

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.input import parse_turn
from transforms.guard import STAGE_FAILED, GuardedFn
from transforms.link_core import Plan, decode_plan, plan_key

__all__ = ["AssembleConversations", "PLANS_WITHOUT_RECORD", "build_conversation", "leaf_identity",
           "most_common"]

NS = "assemble"


def most_common(values: list):
    """The most frequent value; ties go to the one seen first (deterministic)."""
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def _meta(entry, header_fields):
    turn_id, ts, hashed_ip, header, _, place = entry
    country, state = place or (None, None)
    header = dict(header)
    return {"turn_identifier": turn_id, "timestamp": ts, "hashed_ip": hashed_ip,
            "header": {name: header.get(name) for name in header_fields},
            "country": country, "state": state}


_NO_META = {"turn_identifier": None, "timestamp": None, "hashed_ip": None, "header": None,
            "country": None, "state": None}


def build_conversation(turn, plan: Plan, header_fields: tuple) -> dict:
    """The conversation dict that later stages annotate and `ToReleaseRows` writes."""
    transcript = turn.transcript
    depth = turn.user_turns
    first_known = depth - len(plan.path) + 1  # exchange number of the first turn on the path
    messages, exchange = [], 0
    for role, content in transcript:
        if role == "user":
            exchange += 1
        k = max(exchange, 1) - first_known
        meta = _meta(plan.path[k], header_fields) if k >= 0 else dict(_NO_META)
        messages.append({"role": role, "content": content, "language": None,
                         "language_code": None, "redacted": None, "toxic": None,
                         "openai_moderation": None, "detoxify_moderation": None,
                         "profanity_check_moderation": None,
                         "ngram_toxicity_moderation": None, **meta})
    ips = [e[2] for e in plan.path]
    # The conversation's place: the most common (country, state) over its turns, like hashed_ip.
    place = most_common([e[5] for e in plan.path]) or (None, None)
    headers = [e[3] for e in plan.path]
    header = dict(most_common(headers))
    return {
        "conversation_id": plan.conversation_id,
        "model": most_common([e[4] for e in reversed(plan.path)]),
        "timestamp": plan.path[0][1],
        "turn": depth,
        "orphan": plan.orphan,
        "hashed_ip": most_common(ips),
        "header": {name: header.get(name) for name in header_fields},
        "country": place[0],
        "state": place[1],
        "language": None,
        "language_code": None,
        "redacted": None,
        "toxic": None,
        "messages": messages,
    }


PLANS_WITHOUT_RECORD = "plans_without_record"


def _by_record_key(record):
    source, line, _ = record
    return plan_key(source, line), record


class _AssembleFn(beam.DoFn):
    def __init__(self, header_fields: tuple, limits: dict):
        self._header_fields = header_fields
        self._limits = limits
        self._total = Metrics.counter(NS, "total")
        self._forwarded = Metrics.counter(NS, "forwarded")
        self._not_a_leaf = Metrics.counter(NS, "dropped_not_a_leaf")
        self._without_record = Metrics.counter(NS, "plans_without_record")

    def process(self, element):
        _, joined = element
        records, plans = joined["record"], joined["plan"]
        self._total.inc(len(records))
        if not plans:
            self._not_a_leaf.inc(len(records))
            return
        if not records:
            for plan in plans:
                self._without_record.inc()
                yield beam.pvalue.TaggedOutput(PLANS_WITHOUT_RECORD, _conversation_id(plan))
            return
        if len(records) != 1 or len(plans) != 1:
            raise RuntimeError(f"assemble: {len(records)} records and {len(plans)} plans share the "
                               "key of one (file, line)")
        (source, line, raw), (plan,) = records[0], plans
        plan = decode_plan(plan, source, line)
        # The record passed validation in the first pass; parsing it again is deterministic.
        turn = parse_turn(raw, source, line, **self._limits)
        self._forwarded.inc()
        yield build_conversation(turn, plan, self._header_fields)


def _conversation_id(plan: bytes) -> str:
    return decode_plan(plan, "", 0).conversation_id


def leaf_identity(element) -> dict:
    """What names a joined (record, plan) pair in a `stage_failed.assemble` dead letter: the
    leaf's file and line, the plan's conversation id and turn ids (never text)."""
    _, joined = element
    records, plans = joined["record"], joined["plan"]
    source, line = (records[0][0], records[0][1]) if records else (None, None)
    named = {"source": source, "line": line}
    if plans:
        plan = decode_plan(plans[0], source or "", line or 0)
        named.update(conversation_id=plan.conversation_id,
                     turn_ids=[entry[0] for entry in plan.path if entry[0] is not None])
    return named


class AssembleConversations(beam.PTransform):
    def __init__(self, plans, header_fields: tuple, max_record_bytes: int = 8 << 20,
                 max_json_depth: int = 16, max_messages: int = 4096):
        super().__init__()
        self._plans = plans
        self._fn = _AssembleFn(tuple(header_fields), dict(
            max_record_bytes=max_record_bytes, max_json_depth=max_json_depth, max_messages=max_messages))

    def expand(self, records):
        assembled = (
            {"record": records | "KeyByFileLine" >> beam.Map(_by_record_key), "plan": self._plans}
            | "JoinPlansToRecords" >> beam.CoGroupByKey()
            # A pair that makes building raise leaves as a `stage_failed.assemble` dead letter.
            | "AssembleLeaves" >> beam.ParDo(GuardedFn("assemble", self._fn, identify=leaf_identity))
            .with_outputs(PLANS_WITHOUT_RECORD, STAGE_FAILED, main="conversations")
        )
        return {"conversations": assembled.conversations,
                PLANS_WITHOUT_RECORD: assembled[PLANS_WITHOUT_RECORD],
                STAGE_FAILED: assembled[STAGE_FAILED]}

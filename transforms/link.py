"""Link turns into conversations by prefix matching (strategy `prefix_v1`), or release every
turn on its own (strategy `none`, for debugging).

`LinkConversations`: PCollection[Turn] (consented, pseudonymized) -> dict of
  - "plans":      PCollection[((source, line), Plan)], one per released conversation (leaf);
  - "linked":     PCollection[LinkRec], every turn that survives de-duplication;
  - "duplicates": PCollection[LinkRec], repeated turn_ids and client retries;
  - "tiers":      PCollection[str], how each surviving turn found its parent.

Only compact `LinkRec`s are shuffled, never transcripts. Steps:
  1. DedupeTurnIds    GBK turn_id: one record per turn_id (the first by source, line).
  2. CollapseRetries  GBK (transcript, fingerprint, hashed IP): calls within the retry window
                      collapse to the earliest.
  3. ChooseParentsA   GBK (parent transcript, fingerprint): same device; prefer the same IP,
                      then the same model, then the nearest earlier call.
  4. ChooseParentsB   GBK parent transcript: only the children stage A left unmatched; any
                      device, same model preferred. Unmatched children become orphan roots.
  5. FindRoots        pointer jumping, ceil(log2(max chain)) rounds of a GBK on ids.
  6. PlanTrees        GBK root: each leaf's path is one conversation.
A hot opening ("hi") is split by fingerprint in stage A; a group only keeps (time, id) pairs
per candidate, so even a key holding millions of turns costs tens of MB, and no step is
quadratic.

Metrics (namespace "link"): total, duplicate_turn_ids, retries, parent_<tier>, orphans,
chain_rounds_exhausted, conversations.
"""
from __future__ import annotations

import math

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.link_core import (
    STAGE_A_TIERS, STAGE_B_TIERS, LinkRec, ParentIndex, Plan, collapse_retries, to_link_rec,
    tree_plans,
)

__all__ = ["LinkConversations", "TIER_NAMES"]

NS = "link"
UNRESOLVED = "unresolved"
DUPLICATES = "duplicates"
TIER_NAMES = ("same_device_same_ip_same_model", "same_device_same_ip", "same_device_same_model",
              "same_device", "any_device_same_model", "any_device", "root", "orphan")


def _by_turn_id(rec):
    return rec.turn_id, rec


class _FirstPerTurnIdFn(beam.DoFn):
    def process(self, element):
        _, recs = element
        first, *rest = sorted(recs, key=lambda r: (r.source, r.line))
        for dup in rest:
            Metrics.counter(NS, "duplicate_turn_ids").inc()
            yield beam.pvalue.TaggedOutput(DUPLICATES, dup)
        yield first


def _by_retry_key(rec):
    return (rec.key, rec.fp, rec.ip), rec


class _CollapseRetriesFn(beam.DoFn):
    def __init__(self, window_us: int):
        self._window = window_us

    def process(self, element):
        kept, retries = collapse_retries(element[1], self._window)
        for rec in retries:
            Metrics.counter(NS, "retries").inc()
            yield beam.pvalue.TaggedOutput(DUPLICATES, rec)
        yield from kept


def _stage_a_entries(rec):
    yield (rec.key, rec.fp), (True, rec)
    if rec.parent_key is not None:
        yield (rec.parent_key, rec.fp), (False, rec)


def _stage_b_parent(rec):
    return rec.key, (True, rec)


def _stage_b_child(rec):
    return rec.parent_key, (False, rec)


def _root_or_child(rec):
    return rec.parent_key is None


class _ResolveFn(beam.DoFn):
    """One group: candidate parents (flag True) and children (flag False). Yields
    (child, parent_id) and, if not final, unmatched children on the "unresolved" output."""

    def __init__(self, tiers, tier_offset: int, skew_us: int, final: bool):
        self._tiers, self._offset, self._skew, self._final = tiers, tier_offset, skew_us, final

    def process(self, element):
        index, children = ParentIndex(self._tiers), []
        for is_parent, rec in element[1]:
            if is_parent:
                index.add(rec)
            else:
                children.append(rec)
        for child in children:
            choice = index.choose(child, self._skew)
            if choice is not None:
                tier = TIER_NAMES[self._offset + choice[1]]
                Metrics.counter(NS, f"parent_{tier}").inc()
                yield beam.pvalue.TaggedOutput("tiers", tier)
                yield child, choice[0]
            elif self._final:
                Metrics.counter(NS, "orphans").inc()
                yield beam.pvalue.TaggedOutput("tiers", "orphan")
                yield child, None
            else:
                yield beam.pvalue.TaggedOutput(UNRESOLVED, child)


def _as_root(rec):
    return rec, None


def _initial_state(linked):
    rec, parent = linked
    return rec.turn_id, parent, parent is None  # (id, farthest known ancestor, anc is root)


def _jump_messages(state):
    node, anc, done = state
    yield node, ("info", anc, done)
    if not done:
        yield anc, ("ask", node, None)


class _JumpFn(beam.DoFn):
    """One pointer-jumping round, grouped by node id k: k's own state answers the nodes that
    point at k. Each node leaves with exactly one new state."""

    def __init__(self, last_round: bool):
        self._last = last_round

    def process(self, element):
        k, messages = element
        info, askers = None, []
        for kind, a, b in messages:
            if kind == "info":
                info = (a, b)
            else:
                askers.append(a)
        if info is not None and info[1]:
            yield k, info[0], True
        for node in askers:
            if info is None or info[0] is None:  # k is a root
                new = (node, k, True)
            elif info[1]:
                new = (node, info[0], True)
            else:
                new = (node, info[0], False)
            if self._last and not new[2]:
                Metrics.counter(NS, "chain_rounds_exhausted").inc()
            yield new


def _root_of(state):
    node, anc, _ = state
    return node, (node if anc is None else anc)


def _keyed_linked(linked):
    return linked[0].turn_id, linked


def _by_root(element):
    _, joined = element
    (root,), (linked,) = joined["root"], joined["linked"]
    return root, linked


class _PlanTreeFn(beam.DoFn):
    def process(self, element):
        root, members = element
        recs, parent_of = [], {}
        for rec, parent in members:
            recs.append(rec)
            parent_of[rec.turn_id] = parent
        for _, plan in tree_plans(root, recs, parent_of):
            Metrics.counter(NS, "conversations").inc()
            yield (plan.leaf_source, plan.leaf_line), plan


def _single_turn_plan(rec: LinkRec):
    plan = Plan(conversation_id=f"{rec.turn_id}-{rec.turn_id}", leaf_source=rec.source,
                leaf_line=rec.line, orphan=rec.depth > 1,
                path=((rec.turn_id, rec.ts, rec.ip, rec.header, rec.model),))
    return (rec.source, rec.line), plan


def chain_rounds(max_messages: int) -> int:
    """Rounds of pointer jumping that resolve any chain a valid record can describe."""
    return max(1, math.ceil(math.log2(max(2, max_messages // 2 + 1))))


class LinkConversations(beam.PTransform):
    def __init__(self, strategy: str = "prefix_v1", clock_skew_seconds: float = 60.0,
                 retry_window_seconds: float = 600.0, max_messages: int = 4096):
        super().__init__()
        if strategy not in ("prefix_v1", "none"):
            raise ValueError(f"unknown linking strategy {strategy!r}")
        self._strategy = strategy
        self._skew = int(clock_skew_seconds * 1_000_000)
        self._window = int(retry_window_seconds * 1_000_000)
        self._rounds = chain_rounds(max_messages)

    def expand(self, turns):
        recs = turns | "ToLinkRecords" >> beam.Map(to_link_rec)
        unique = (
            recs
            | "KeyByTurnId" >> beam.Map(_by_turn_id)
            | "GroupByTurnId" >> beam.GroupByKey()
            | "DedupeTurnIds" >> beam.ParDo(_FirstPerTurnIdFn()).with_outputs(DUPLICATES, main="kept")
        )
        if self._strategy == "none":
            return {
                "plans": unique.kept | "OneTurnPlans" >> beam.Map(_single_turn_plan),
                "linked": unique.kept,
                "duplicates": unique[DUPLICATES],
                "tiers": unique.kept | "NoTiers" >> beam.FlatMap(lambda _: ()),
            }
        survivors = (
            unique.kept
            | "KeyByRetry" >> beam.Map(_by_retry_key)
            | "GroupRetries" >> beam.GroupByKey()
            | "CollapseRetries" >> beam.ParDo(_CollapseRetriesFn(self._window)).with_outputs(
                DUPLICATES, main="kept")
        )
        duplicates = (unique[DUPLICATES], survivors[DUPLICATES]) | "AllDuplicates" >> beam.Flatten()
        kept = survivors.kept

        roots = kept | "Roots" >> beam.Filter(_root_or_child) | "AsRoots" >> beam.Map(_as_root)
        stage_a = (
            kept
            | "StageAEntries" >> beam.FlatMap(_stage_a_entries)
            | "GroupStageA" >> beam.GroupByKey()
            | "ChooseParentsA" >> beam.ParDo(
                _ResolveFn(STAGE_A_TIERS, 0, self._skew, final=False)).with_outputs(
                UNRESOLVED, "tiers", main="linked")
        )
        stage_b = (
            (
                kept | "StageBParents" >> beam.Map(_stage_b_parent),
                stage_a[UNRESOLVED] | "StageBChildren" >> beam.Map(_stage_b_child),
            )
            | "FlattenStageB" >> beam.Flatten()
            | "GroupStageB" >> beam.GroupByKey()
            | "ChooseParentsB" >> beam.ParDo(
                _ResolveFn(STAGE_B_TIERS, len(STAGE_A_TIERS), self._skew, final=True)).with_outputs(
                "tiers", main="linked")
        )
        linked = (roots, stage_a.linked, stage_b.linked) | "AllLinks" >> beam.Flatten()
        root_tiers = roots | "RootTiers" >> beam.Map(lambda _: "root")
        tiers = (root_tiers, stage_a.tiers, stage_b.tiers) | "AllTiers" >> beam.Flatten()

        state = linked | "InitialPointers" >> beam.Map(_initial_state)
        for r in range(self._rounds):
            state = (
                state
                | f"JumpMessages{r}" >> beam.FlatMap(_jump_messages)
                | f"GroupJump{r}" >> beam.GroupByKey()
                | f"Jump{r}" >> beam.ParDo(_JumpFn(last_round=r == self._rounds - 1))
            )
        plans = (
            {
                "root": state | "RootOf" >> beam.Map(_root_of),
                "linked": linked | "KeyLinked" >> beam.Map(_keyed_linked),
            }
            | "JoinRoots" >> beam.CoGroupByKey()
            | "KeyByRoot" >> beam.Map(_by_root)
            | "GroupTrees" >> beam.GroupByKey()
            | "PlanTrees" >> beam.ParDo(_PlanTreeFn())
        )
        return {
            "plans": plans,
            "linked": linked | "LinkedRecs" >> beam.Map(lambda linked: linked[0]),
            "duplicates": duplicates,
            "tiers": tiers,
        }

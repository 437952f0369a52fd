"""Link turns into conversations by prefix matching (strategy `prefix_v1`), or release every
turn on its own (strategy `none`, for debugging).

`LinkConversations`: PCollection[Turn] (consented, pseudonymized) -> dict of
  - "plans":      PCollection[(plan_key(source, line), encode_plan(Plan))], one per released
                  conversation (leaf), compact bytes because every worker holds them all;
  - "linked":     PCollection[int], the turn_id of every turn that survives de-duplication;
  - "duplicates": PCollection[int], turn_ids of repeated turn_ids and client retries;
  - "tiers":      PCollection[str], how each surviving turn found its parent;
  - "turns_in_trees": PCollection[int], tree sizes; they must sum to the linked turns (the
                  pipeline checks it before publishing).

Only compact records are shuffled, never transcripts: `LinkRec` (ints and two 16-byte
hashes, ~75 bytes encoded as a plain tuple) through every linking step, and `TurnMeta` (keyed
IP hash, headers, model, source) once, to the tree step. Steps:
  1. DedupeTurnIds    GBK turn_id: one record per turn_id (the first by source, line).
  2. CollapseRetries  GBK (transcript, fingerprint, IP): calls within the retry window
                      collapse to the earliest.
  3. ChooseParentsA   GBK (parent transcript, fingerprint): same device; prefer the same IP,
                      then the same model, then the nearest earlier call. Another IP only
                      when all candidates share one IP.
  4. ChooseParentsB   GBK parent transcript: only the children stage A left unmatched; any
                      device, same model preferred, only when all candidates come from one
                      other device. Unmatched children become orphan roots.
  5. FindRoots        pointer jumping, ceil(log2(max chain)) rounds of a GBK on ids.
  6. PlanTrees        GBK root (with each turn's TurnMeta): each leaf's path is a conversation.
A hot opening ("hi") is split by fingerprint in stage A; a group keeps only (time, id) pairs
per candidate, so even a key holding millions of turns costs tens of MB, and no step is
quadratic.

Metrics (namespace "link"): duplicate_turn_ids, retries, parent_<tier>, orphans,
ambiguous_guess_refused,
chain_rounds_exhausted, conversations.
"""
from __future__ import annotations

import math

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.link_core import (
    STAGE_A_TIERS, STAGE_B_TIERS, LinkRec, ParentIndex, Plan, TurnMeta, collapse_retries,
    encode_plan, path_entry, plan_key, to_link_rec, to_turn_meta, tree_plans,
)

__all__ = ["LinkConversations", "TIER_NAMES", "chain_rounds"]

NS = "link"
UNRESOLVED = "unresolved"
MEMBERS = "members"
DUPLICATES = "duplicates"
TIER_NAMES = ("same_device_same_ip_same_model", "same_device_same_ip", "same_device_same_model",
              "same_device", "any_device_same_model", "any_device", "root", "orphan")
_rec = LinkRec._make  # shuffled as plain tuples (a NamedTuple would be pickled, 5x larger)


def _records(turn):
    yield tuple(to_link_rec(turn))
    yield beam.pvalue.TaggedOutput("meta", (turn.turn_id, tuple(to_turn_meta(turn))))


def _by_turn_id(rec):
    return rec[0], rec


class _FirstPerTurnIdFn(beam.DoFn):
    def process(self, element):
        _, recs = element
        first, *rest = sorted(map(_rec, recs), key=lambda r: (r.src, r.line))
        for dup in rest:
            Metrics.counter(NS, "duplicate_turn_ids").inc()
            yield beam.pvalue.TaggedOutput(DUPLICATES, dup.turn_id)
        yield tuple(first)


def _by_retry_key(rec):
    r = _rec(rec)
    return (r.key, r.fp, r.ip), rec


class _CollapseRetriesFn(beam.DoFn):
    def __init__(self, window_us: int):
        self._window = window_us

    def process(self, element):
        kept, retries = collapse_retries(map(_rec, element[1]), self._window)
        for rec in retries:
            Metrics.counter(NS, "retries").inc()
            yield beam.pvalue.TaggedOutput(DUPLICATES, rec.turn_id)
        for rec in kept:
            yield tuple(rec)


def _stage_a_entries(rec):
    r = _rec(rec)
    yield (r.key, r.fp), (True, rec)
    if r.parent_key is not None:
        yield (r.parent_key, r.fp), (False, rec)


def _stage_b_parent(rec):
    return _rec(rec).key, (True, rec)


def _stage_b_child(rec):
    return _rec(rec).parent_key, (False, rec)


def _is_root(rec):
    return _rec(rec).parent_key is None


def _as_root(rec):
    return rec, None


class _ResolveFn(beam.DoFn):
    """One group: candidate parents (flag True) and children (flag False). Yields
    (child, parent_id) and, if not final, unmatched children on the "unresolved" output.

    A guess between strangers is refused: in stage A a parent from another IP is taken only
    when all candidates share one IP, and in stage B a parent from another device only when
    all candidates share one device that is not the child's (stage A already found the
    child's own device ambiguous). An opening that many users share ("hi") therefore never
    lends one user's turn to another; the child stays an orphan, its text intact."""

    def __init__(self, tiers, tier_offset: int, skew_us: int, final: bool):
        self._tiers, self._offset, self._skew, self._final = tiers, tier_offset, skew_us, final

    def process(self, element):
        index, children, spread = ParentIndex(self._tiers), [], set()
        for is_parent, rec in element[1]:
            if is_parent:
                rec = _rec(rec)
                index.add(rec)
                if len(spread) < 2:
                    spread.add(rec.fp if self._final else rec.ip)
            else:
                children.append(_rec(rec))
        for child in children:
            if self._final:
                ambiguous = len(spread) > 1 or child.fp in spread
                allowed = 0 if ambiguous else len(self._tiers)
            else:
                ambiguous = len(spread) > 1
                allowed = 2 if ambiguous else len(self._tiers)  # tiers 0-1 keep the same IP
            choice = index.choose(child, self._skew, max_tiers=allowed)
            if choice is None and ambiguous:
                Metrics.counter(NS, "ambiguous_guess_refused").inc()
            if choice is not None:
                tier = TIER_NAMES[self._offset + choice[1]]
                Metrics.counter(NS, f"parent_{tier}").inc()
                yield beam.pvalue.TaggedOutput("tiers", tier)
                yield tuple(child), choice[0]
            elif self._final:
                Metrics.counter(NS, "orphans").inc()
                yield beam.pvalue.TaggedOutput("tiers", "orphan")
                yield tuple(child), None
            else:
                yield beam.pvalue.TaggedOutput(UNRESOLVED, tuple(child))


def _initial_state(linked):
    rec, parent = linked
    return rec[0], parent, parent is None  # (id, farthest known ancestor, anc is root)


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
    return linked[0][0], linked


def _meta_of(rec: LinkRec, metas) -> TurnMeta:
    """The metadata of the record that survived de-duplication (same file and line)."""
    for meta in map(TurnMeta._make, metas):
        if (meta.src, meta.line) == (rec.src, rec.line):
            return meta
    raise RuntimeError(f"no metadata for turn {rec.turn_id}")


def _by_root(element):
    """Join result -> (root, member); turns dropped as duplicates or retries have metadata
    but neither a link nor a root and are skipped. Anything else missing is data the runner
    lost, and the run stops rather than release a conversation without some of its turns."""
    turn_id, joined = element
    roots, links = list(joined["root"]), list(joined["linked"])
    if not roots and not links:
        return
    if len(roots) != 1 or len(links) != 1:
        raise RuntimeError(f"linking lost data for turn {turn_id}: {len(roots)} root state(s) and "
                           f"{len(links)} link record(s) where 1 of each was produced; the runner "
                           "dropped elements, nothing was published")
    (root,), ((rec, parent),) = roots, links
    yield root, (rec, parent, _meta_of(_rec(rec), joined["meta"]))


class _PlanTreeFn(beam.DoFn):
    def process(self, element):
        root, members = element
        pairs, parent_of = [], {}
        for rec, parent, meta in members:
            rec = _rec(rec)
            pairs.append((rec, TurnMeta._make(meta)))
            parent_of[rec.turn_id] = parent
        yield beam.pvalue.TaggedOutput(MEMBERS, len(pairs))
        for _, plan in tree_plans(root, pairs, parent_of):
            Metrics.counter(NS, "conversations").inc()
            yield plan_key(plan.leaf_source, plan.leaf_line), encode_plan(plan)


def _single_turn_plan(element):
    _, joined = element
    (rec,) = joined["rec"]
    rec = _rec(rec)
    meta = _meta_of(rec, joined["meta"])
    plan = Plan(conversation_id=f"{rec.turn_id}-{rec.turn_id}", leaf_source=meta.source,
                leaf_line=meta.line, orphan=rec.depth > 1, path=(path_entry(rec, meta),))
    yield plan_key(meta.source, meta.line), encode_plan(plan)


def _turn_id(rec):
    return rec[0]


def _linked_turn_id(linked):
    return linked[0][0]


def _root_tier(_):
    return "root"


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
        records = turns | "ToLinkRecords" >> beam.FlatMap(_records).with_outputs("meta", main="recs")
        unique = (
            records.recs
            | "KeyByTurnId" >> beam.Map(_by_turn_id)
            | "GroupByTurnId" >> beam.GroupByKey()
            | "DedupeTurnIds" >> beam.ParDo(_FirstPerTurnIdFn()).with_outputs(DUPLICATES, main="kept")
        )
        if self._strategy == "none":
            plans = (
                {"rec": unique.kept | "KeyKept" >> beam.Map(_by_turn_id), "meta": records.meta}
                | "JoinMeta" >> beam.CoGroupByKey()
                | "OneTurnPlans" >> beam.FlatMap(_single_turn_plan)
            )
            return {"plans": plans, "turns_in_trees": plans | "OnePerPlan" >> beam.Map(lambda _: 1),
                    "linked": unique.kept | "KeptIds" >> beam.Map(_turn_id),
                    "duplicates": unique[DUPLICATES],
                    "tiers": unique.kept | "NoTiers" >> beam.FlatMap(lambda _: ())}
        survivors = (
            unique.kept
            | "KeyByRetry" >> beam.Map(_by_retry_key)
            | "GroupRetries" >> beam.GroupByKey()
            | "CollapseRetries" >> beam.ParDo(_CollapseRetriesFn(self._window)).with_outputs(
                DUPLICATES, main="kept")
        )
        duplicates = (unique[DUPLICATES], survivors[DUPLICATES]) | "AllDuplicates" >> beam.Flatten()
        kept = survivors.kept

        roots = kept | "Roots" >> beam.Filter(_is_root) | "AsRoots" >> beam.Map(_as_root)
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
        tiers = (roots | "RootTiers" >> beam.Map(_root_tier), stage_a.tiers, stage_b.tiers) \
            | "AllTiers" >> beam.Flatten()

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
                "meta": records.meta,
            }
            | "JoinRootsAndMeta" >> beam.CoGroupByKey()
            | "KeyByRoot" >> beam.FlatMap(_by_root)
            | "GroupTrees" >> beam.GroupByKey()
            | "PlanTrees" >> beam.ParDo(_PlanTreeFn()).with_outputs(MEMBERS, main="plans")
        )
        return {
            "plans": plans.plans,
            "turns_in_trees": plans[MEMBERS],
            "linked": linked | "LinkedIds" >> beam.Map(_linked_turn_id),
            "duplicates": duplicates,
            "tiers": tiers,
        }

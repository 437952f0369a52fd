"""Link turns into conversations by prefix matching (strategy `prefix_v3`), or release every
turn on its own (strategy `none`, for debugging).

`LinkConversations`: PCollection[Turn] (consented, pseudonymized) -> dict of
  - "plans":      PCollection[(plan_key(source, line), encode_plan(Plan))], one per released
                  conversation (leaf), joined by key to the leaf's record in `Assemble`;
  - "linked":     PCollection[int], the turn_id of every turn that survives de-duplication;
  - "duplicates": PCollection[int], turn_ids of repeated lines and client retries;
  - "deadletter": PCollection[dict], later copies of a turn_id whose content differs from the
                  first (`conflicting_turn_id`, see transforms/deadletter.py);
  - "tiers":      PCollection[str], how each surviving turn found its parent;
  - "turns_in_trees": PCollection[int], 1 per turn placed on a planned path (they must sum to
                  the linked turns; the publisher checks it);
  - "leaves":     PCollection[int], 1 per leaf sent to the plan step (== plans, checked);
  - "group_sizes": PCollection[(step, n)], the largest group each grouping step held per
                  bundle (the manifest keeps the maximum: memory per key, measured).

Only compact records are shuffled, never transcripts: `LinkRec` (ints and two 16-byte
hashes, 68 or 84 bytes with its registered coder) through the linking steps, `NodeInfo` (keyed IP
hash, headers, model, source) once, from de-duplication to the plan step. Every grouping
shuffles them packed, one `bytes` per value (`link_join`): the DirectRunner holds a grouping's
input decoded until the grouping runs. Steps:
  1. DedupeTurnIds    GBK turn_id: one record per turn_id (the first by source, line); later
                      copies with other content are dead letters (`conflicting_turn_id`).
  2. CollapseRetries  GBK (transcript, fingerprint, IP): calls within the retry window
                      collapse to the earliest.
  3. ChooseParentsA   CoGBK (parent transcript, fingerprint): same device; prefer the same IP,
                      then the same model, then the nearest earlier call. Another IP when all
                      candidates share one IP, or when one candidate alone lies within
                      `ip_change_window` before the child (an IP change after a shared opening).
  4. ChooseParentsB   CombinePerKey over the candidates of each transcript asked for (a side
                      input of the unmatched children's parent keys; at most two devices kept,
                      so a hot opening never gathers), CoGBK with the transcripts that stage A's
                      unmatched children ask for (salted by child): a parent from one other
                      device only, and only on the child's own IP (a changed user agent; another
                      device on another IP is a stranger who got the same answer), same model
                      preferred. Unmatched children become orphan roots.
  5. FindPaths        pointer jumping, ceil(log2(max chain)) rounds of a CoGBK on ids; each
                      turn ends with the ids of its whole path from the root.
  6. PlanLeaves       a turn nobody continues is a leaf; it asks each turn on its path for its
                      entry (CoGBK on ids: a node answers its askers one by one), and the parts
                      meet at the leaf (CoGBK on the leaf id). No step groups a tree: a
                      200k-member tree costs its root 200k (leaf, position) pairs, not payloads.
A hot opening ("hi") is split by fingerprint in stage A and combined in stage B; a group keeps
only (time, id) pairs per candidate, and no step is quadratic. Stages A and B, each jump round and
ServeEntries are salted joins (`link_salt.SaltedCoGroupByKey`): a key with more than
`hot_key_items` children, askers or requests is spread over up to `salts` groups, its
candidates, state or entry copied to each, so a group holds about `hot_key_items` of them;
RequestEntries gets each turn's number of children from a lifted count.

Metrics (namespace "link"): duplicate_turn_ids, conflicting_turn_ids, retries, parent_<tier>,
orphans, ambiguous_guess_refused, chain_rounds_exhausted, conversations.
"""
from __future__ import annotations

import math
from typing import Tuple

import apache_beam as beam
from apache_beam.metrics import Metrics
from transforms.deadletter import dead_letter
from transforms.group_sizes import LargestGroup
from transforms.link_core import (
    STAGE_A_TIERS, STAGE_B_TIERS, Candidate, DeviceCandidates, LeafHead, LinkRec, NodeInfo,
    ParentIndex, PathPart, Plan, collapse_retries, encode_plan, jump, plan_key, plan_of,
    same_content, to_link_rec, to_node_info,
)
from transforms.link_join import CompactCoGroupByKey, CompactGroupByKey
from transforms.link_salt import COLD, HOT_KEY_ITEMS, SALTS, SaltedCoGroupByKey, emits_once

__all__ = ["LinkConversations", "TIER_NAMES", "chain_rounds", "STRATEGIES"]

NS = "link"
STRATEGIES = ("prefix_v3", "none")
UNRESOLVED, DUPLICATES, DEADLETTER, TIERS, SIZES = (
    "unresolved", "duplicates", "deadletter", "tiers", "group_sizes")
REQUESTS, ENTRIES, PARTS, HEADS, MEMBERS = "requests", "entries", "parts", "heads", "members"
STAGE_A_NAMES = ("same_device_same_ip_same_model", "same_device_same_ip", "same_device_same_model",
                 "same_device")
WINDOW_TIER = "same_device_ip_changed_in_window"
STAGE_B_NAMES = ("other_device_same_ip_same_model", "other_device_same_ip")
TIER_NAMES = STAGE_A_NAMES + (WINDOW_TIER,) + STAGE_B_NAMES + ("root", "orphan")


def _GroupSizes(step: str) -> LargestGroup:  # noqa: N802 - was a class; a factory now
    """The largest group a DoFn saw in its bundle, emitted once per bundle."""
    return LargestGroup(step, SIZES)


class _GroupedFn(beam.DoFn):
    STEP = ""

    def start_bundle(self):
        self._sizes = _GroupSizes(self.STEP)

    def finish_bundle(self):
        yield from self._sizes.finish()


def _records(turn):
    yield turn.turn_id, (to_link_rec(turn), to_node_info(turn))


class _FirstPerTurnIdFn(_GroupedFn):
    """One record per turn_id: the first by (source, line). A later copy with the same content
    is a repeated line (a duplicate); one with other content is not a retry but a conflict, a
    dead letter. Emits the kept `LinkRec` and, keyed by turn_id, its `NodeInfo`."""

    STEP = "dedupe"

    def process(self, element):
        turn_id, copies = element
        copies = sorted(copies, key=lambda c: (c[1].source, c[1].line))
        self._sizes.saw(len(copies))
        (first, info), rest = copies[0], copies[1:]
        for rec, other in rest:
            if same_content(first, rec):
                Metrics.counter(NS, "duplicate_turn_ids").inc()
                yield beam.pvalue.TaggedOutput(DUPLICATES, turn_id)
            else:
                Metrics.counter(NS, "conflicting_turn_ids").inc()
                yield beam.pvalue.TaggedOutput(DEADLETTER, dead_letter(
                    "conflicting_turn_id", other.source, other.line, b"",
                    f"turn_id {turn_id} was first seen at {info.source}:{info.line} with other "
                    "content (messages, response or model); the raw line stays in its file"))
        yield beam.pvalue.TaggedOutput("info", (turn_id, info))
        yield first


def _by_retry_key(rec: LinkRec):
    return (rec.key, rec.fp, rec.ip), rec


class _CollapseRetriesFn(_GroupedFn):
    STEP = "retries"

    def __init__(self, window_us: int):
        self._window = window_us

    def process(self, element):
        recs = list(element[1])
        self._sizes.saw(len(recs))
        kept, retries = collapse_retries(recs, self._window)
        for rec in retries:
            Metrics.counter(NS, "retries").inc()
            yield beam.pvalue.TaggedOutput(DUPLICATES, rec.turn_id)
        yield from kept


def _as_candidate_a(rec: LinkRec):
    return (rec.key, rec.fp), rec


def _as_child_a(rec: LinkRec):
    if rec.parent_key is not None:
        yield (rec.parent_key, rec.fp), rec


def _found(tier: str, child: LinkRec, parent_id):
    Metrics.counter(NS, f"parent_{tier}").inc()
    yield beam.pvalue.TaggedOutput(TIERS, tier)
    yield child, parent_id


class _ChooseParentsAFn(_GroupedFn):
    """One (parent transcript, device) group: candidate parents and children, tagged. Yields
    (child, parent_id) or the child on "unresolved".

    A guess is refused: a parent from another IP is taken when all candidates share one IP,
    or when it is the only candidate within `window_us` before the child: a user whose IP
    changed right after an opening many users share ("hi") is told apart by time. Several
    candidates from several IPs in the window stay unresolved (and stage B refuses them)."""

    STEP = "stage_a"

    def __init__(self, skew_us: int, window_us: int):
        self._skew, self._window = skew_us, window_us

    def process(self, element):
        _, group = element
        index, ips, n = ParentIndex(STAGE_A_TIERS), set(), 0
        for rec in group["candidates"]:
            index.add(rec)
            n += 1
            if len(ips) < 2:
                ips.add(rec.ip)
        several_ips = len(ips) > 1
        for child in group["children"]:
            n += 1
            choice = index.choose(child, self._skew, max_tiers=2 if several_ips else None)
            if choice is not None:
                yield from _found(STAGE_A_NAMES[choice[1]], child, choice[0])
                continue
            if several_ips and self._window:
                parent = index.only_within(child, self._window, self._skew)
                if parent is not None:
                    yield from _found(WINDOW_TIER, child, parent)
                    continue
            yield beam.pvalue.TaggedOutput(UNRESOLVED, child)
        self._sizes.saw(n)


def _as_candidate_b(rec: LinkRec):
    return rec.key, rec


def _asked_key(child: LinkRec):
    return child.parent_key, None


def _is_asked(rec: LinkRec, asked: dict) -> bool:
    """Stage B needs the candidates of the transcripts its children ask for only (a few per
    thousand turns): the others would wait, combined, through stage A."""
    return rec.key in asked


def _as_child_b(rec: LinkRec):
    return rec.parent_key, rec


class _DeviceCandidatesFn(beam.CombineFn):
    def create_accumulator(self):
        return DeviceCandidates.create()

    def add_input(self, acc, rec):
        return DeviceCandidates.add(acc, rec)

    def merge_accumulators(self, accs):
        return DeviceCandidates.merge(accs)

    def extract_output(self, acc):
        return DeviceCandidates.extract(acc)


class _ChooseParentsBFn(_GroupedFn):
    """One transcript that unmatched children ask for: its candidates' devices (combined) and
    the children. A parent from another device is taken only when all candidates come from
    one device that is not the child's (stage A already found the child's own device
    ambiguous) and the parent was sent from the child's IP; otherwise the child is an orphan
    root, its text intact. Another device on another IP shares nothing with the child but the
    text: linking it would hand an orphan a stranger's turn (and take that stranger's
    conversation apart), so a child with candidates but none taken counts as
    `ambiguous_guess_refused`."""

    STEP = "stage_b"

    def __init__(self, skew_us: int):
        self._skew = skew_us

    def process(self, element):
        _, group = element
        children = group["children"]
        if not children:
            return
        (fps, cands), = group["candidates"] or [((), [])]
        index = ParentIndex(STAGE_B_TIERS, map(Candidate._make, cands or ()))
        self._sizes.saw(len(children) + len(cands or ()))
        for child in children:
            choice = None
            if len(fps) == 1 and child.fp not in fps:
                choice = index.choose(child, self._skew)
            if choice is not None:
                yield from _found(STAGE_B_NAMES[choice[1]], child, choice[0])
            else:
                if fps:
                    Metrics.counter(NS, "ambiguous_guess_refused").inc()
                Metrics.counter(NS, "orphans").inc()
                yield beam.pvalue.TaggedOutput(TIERS, "orphan")
                yield child, None


def _is_root(rec: LinkRec) -> bool:
    return rec.parent_key is None


def _as_root(rec: LinkRec):
    return rec, None


def _root_tier(_):
    return "root"


def _initial_state(linked):
    rec, parent = linked
    return rec.turn_id, (() if parent is None else (parent,)), parent is None


def _jump_inputs(state):
    node, path, done = state
    yield beam.pvalue.TaggedOutput("state", (node, (path, done)))
    if not done:
        yield beam.pvalue.TaggedOutput("ask", (path[0], (node, path)))


class _JumpFn(_GroupedFn):
    """One pointer-jumping round at node k (see `link_core.jump`): askers are answered one by
    one, never collected."""

    STEP = "jump"

    def __init__(self, last_round: bool):
        self._last = last_round

    def process(self, element):
        (k, salt), group = element
        states = group["state"]
        state = states[0] if states else None
        self._sizes.saw(len(group["ask"]) + len(states))
        for node, path, done in jump(k, state, group["ask"], own=emits_once(salt)):
            if self._last and not done:
                Metrics.counter(NS, "chain_rounds_exhausted").inc()
            yield node, path, done


def _path_state(state):
    node, path, _ = state
    return node, path


def _asker_id(ask) -> int:
    return ask[0]


def _child_of(linked):
    rec, parent = linked
    if parent is not None:
        yield parent, rec.turn_id


class _RequestEntriesFn(_GroupedFn):
    """Per turn id: its path, its `NodeInfo` and its number of children (counted by a
    combine, so a root with 200k children holds one number). A leaf (no child) asks every
    turn above it on its path for its entry and sends its own; any other turn offers its
    entry. Turns that were dropped as duplicates or retries have info and nothing else."""

    STEP = "request"

    def process(self, element):
        turn_id, group = element
        paths, infos, children = group["path"], group["info"], group["child"]
        self._sizes.saw(len(children) + len(paths) + len(infos))
        if not paths:
            if children:
                raise RuntimeError(f"linking lost data for turn {turn_id}: it has children but no "
                                   "path; nothing was published")
            return
        if len(paths) != 1 or len(infos) != 1:
            raise RuntimeError(f"linking lost data for turn {turn_id}: {len(paths)} path(s) and "
                               f"{len(infos)} info record(s) where 1 of each was produced; nothing "
                               "was published")
        (path,), (info,) = paths, infos
        if children:
            yield beam.pvalue.TaggedOutput(ENTRIES, (turn_id, info))
            return
        yield beam.pvalue.TaggedOutput(HEADS, (turn_id, LeafHead(info.source, info.line, len(path) + 1)))
        yield beam.pvalue.TaggedOutput(PARTS, (turn_id, PathPart(len(path), info.entry, info.depth)))
        yield beam.pvalue.TaggedOutput(MEMBERS, 1)
        for pos, ancestor in enumerate(path):
            yield ancestor, (turn_id, pos)


class _ServeEntriesFn(_GroupedFn):
    """Per inner turn (and salt, see `link_salt`): its entry and the leaves below it that ask;
    each gets the entry. The turn counts as a tree member once, in its cold group or salt 0."""

    STEP = "serve"

    def process(self, element):
        (turn_id, salt), group = element
        infos, n = group["entry"], 0
        if len(infos) != 1:
            raise RuntimeError(f"linking lost data for turn {turn_id}: {len(infos)} entries for its "
                               "leaves' requests; nothing was published")
        info = infos[0]
        for leaf, pos in group["request"]:
            n += 1
            yield leaf, PathPart(pos, info.entry, info.depth)
        self._sizes.saw(n + 1)
        if n if salt == COLD else salt == 0:
            yield beam.pvalue.TaggedOutput(MEMBERS, 1)


class _PlanLeafFn(_GroupedFn):
    STEP = "plan"

    def process(self, element):
        leaf, group = element
        (head,) = group["head"]
        parts = group["part"]
        self._sizes.saw(len(parts) + 1)
        Metrics.counter(NS, "conversations").inc()
        yield _keyed_plan(plan_of(leaf, head, parts))


def _leaf_of_request(request) -> int:
    return request[0]


def _keyed_plan(plan: Plan):
    return plan_key(plan.leaf_source, plan.leaf_line), encode_plan(plan)


def _single_turn_plan(kv):
    turn_id, info = kv
    return _keyed_plan(Plan(conversation_id=f"{turn_id}-{turn_id}", leaf_source=info.source,
                            leaf_line=info.line, orphan=info.depth > 1, path=(info.entry,)))


def _turn_id(rec: LinkRec) -> int:
    return rec.turn_id


def _linked_turn_id(linked) -> int:
    return linked[0].turn_id


def _one(_) -> int:
    return 1


def chain_rounds(max_messages: int) -> int:
    """Rounds of pointer jumping that resolve any chain a valid record can describe."""
    return max(1, math.ceil(math.log2(max(2, max_messages // 2 + 1))))


class LinkConversations(beam.PTransform):
    def __init__(self, strategy: str = "prefix_v3", clock_skew_seconds: float = 60.0,
                 retry_window_seconds: float = 600.0, max_messages: int = 4096,
                 ip_change_window_seconds: float = 900.0, salts: int = SALTS,
                 hot_key_items: int = HOT_KEY_ITEMS):
        super().__init__()
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown linking strategy {strategy!r}")
        if salts < 1 or hot_key_items < 1:
            raise ValueError(f"salts and hot_key_items must be at least 1, got {salts!r} and "
                             f"{hot_key_items!r}")
        self._salts, self._hot = salts, hot_key_items
        self._strategy = strategy
        self._skew = int(clock_skew_seconds * 1_000_000)
        self._window = int(retry_window_seconds * 1_000_000)
        self._ip_window = int(ip_change_window_seconds * 1_000_000)
        self._rounds = chain_rounds(max_messages)

    def _salted(self, wide: str, spread_by, value_types=None):
        """A CoGroupByKey whose hot keys are spread over salts by their `wide` tag's ids."""
        return SaltedCoGroupByKey(wide, spread_by, self._salts, self._hot, value_types)

    def expand(self, turns):
        unique = (
            turns
            | "ToLinkRecords" >> beam.FlatMap(_records).with_output_types(
                Tuple[int, Tuple[LinkRec, NodeInfo]])
            | "GroupByTurnId" >> CompactGroupByKey()
            | "DedupeTurnIds" >> beam.ParDo(_FirstPerTurnIdFn()).with_outputs(
                DUPLICATES, DEADLETTER, "info", SIZES, main="kept")
        )
        kept_recs = unique.kept | "TypeKept" >> beam.Map(lambda r: r).with_output_types(LinkRec)
        if self._strategy == "none":
            plans = unique.info | "OneTurnPlans" >> beam.Map(_single_turn_plan)
            return {"plans": plans, "turns_in_trees": plans | "OnePerPlan" >> beam.Map(_one),
                    "leaves": unique.info | "OneLeafPerTurn" >> beam.Map(_one),
                    "linked": kept_recs | "KeptIds" >> beam.Map(_turn_id),
                    "duplicates": unique[DUPLICATES], "deadletter": unique[DEADLETTER],
                    "tiers": kept_recs | "NoTiers" >> beam.FlatMap(lambda _: ()),
                    "group_sizes": unique[SIZES]}
        survivors = (
            kept_recs
            | "KeyByRetry" >> beam.Map(_by_retry_key).with_output_types(
                Tuple[Tuple[bytes, int, int], LinkRec])
            | "GroupRetries" >> CompactGroupByKey()
            | "CollapseRetries" >> beam.ParDo(_CollapseRetriesFn(self._window)).with_outputs(
                DUPLICATES, SIZES, main="kept")
        )
        duplicates = (unique[DUPLICATES], survivors[DUPLICATES]) | "AllDuplicates" >> beam.Flatten()
        kept = survivors.kept | "TypeSurvivors" >> beam.Map(lambda r: r).with_output_types(LinkRec)

        roots = kept | "Roots" >> beam.Filter(_is_root) | "AsRoots" >> beam.Map(_as_root)
        stage_a = (
            {
                "candidates": kept | "CandidatesA" >> beam.Map(_as_candidate_a).with_output_types(
                    Tuple[Tuple[bytes, int], LinkRec]),
                "children": kept | "ChildrenA" >> beam.FlatMap(_as_child_a).with_output_types(
                    Tuple[Tuple[bytes, int], LinkRec]),
            }
            | "GroupStageA" >> self._salted(
                "children", _turn_id, {"candidates": LinkRec, "children": LinkRec})
            | "ChooseParentsA" >> beam.ParDo(_ChooseParentsAFn(self._skew, self._ip_window)).with_outputs(
                UNRESOLVED, TIERS, SIZES, main="linked")
        )
        stage_b = (
            {
                "candidates": kept
                | "AskedCandidatesB" >> beam.Filter(_is_asked, beam.pvalue.AsDict(
                    stage_a[UNRESOLVED] | "AskedKeysB" >> beam.Map(_asked_key)))
                | "CandidatesB" >> beam.Map(_as_candidate_b)
                | "CombineDevices" >> beam.CombinePerKey(_DeviceCandidatesFn()),
                "children": stage_a[UNRESOLVED] | "ChildrenB" >> beam.Map(_as_child_b),
            }
            | "GroupStageB" >> self._salted("children", _turn_id)
            | "ChooseParentsB" >> beam.ParDo(_ChooseParentsBFn(self._skew)).with_outputs(
                TIERS, SIZES, main="linked")
        )
        linked = (roots, stage_a.linked, stage_b.linked) | "AllLinks" >> beam.Flatten()
        tiers = (roots | "RootTiers" >> beam.Map(_root_tier), stage_a[TIERS], stage_b[TIERS]) \
            | "AllTiers" >> beam.Flatten()

        state = linked | "InitialPaths" >> beam.Map(_initial_state).with_output_types(
            Tuple[int, Tuple[int, ...], bool])
        sizes = [unique[SIZES], survivors[SIZES], stage_a[SIZES], stage_b[SIZES]]
        for r in range(self._rounds):
            inputs = state | f"JumpInputs{r}" >> beam.FlatMap(_jump_inputs).with_outputs("state", "ask")
            jumped = (
                {"state": inputs.state, "ask": inputs.ask}
                | f"GroupJump{r}" >> self._salted("ask", _asker_id)
                | f"Jump{r}" >> beam.ParDo(_JumpFn(last_round=r == self._rounds - 1)).with_outputs(
                    SIZES, main="state")
            )
            state = jumped.state
            sizes.append(jumped[SIZES])
        requests = (
            {
                "path": state | "PathOf" >> beam.Map(_path_state),
                "info": unique.info,
                "child": linked | "ChildOf" >> beam.FlatMap(_child_of)
                | "ChildrenPerTurn" >> beam.combiners.Count.PerKey(),
            }
            | "JoinPaths" >> CompactCoGroupByKey()
            | "RequestEntries" >> beam.ParDo(_RequestEntriesFn()).with_outputs(
                ENTRIES, HEADS, PARTS, MEMBERS, SIZES, main="requests")
        )
        served = (
            {"entry": requests[ENTRIES], "request": requests.requests}
            | "JoinEntries" >> self._salted("request", _leaf_of_request)
            | "ServeEntries" >> beam.ParDo(_ServeEntriesFn()).with_outputs(MEMBERS, SIZES, main="parts")
        )
        plans = (
            {
                "head": requests[HEADS],
                "part": (requests[PARTS], served.parts) | "AllParts" >> beam.Flatten(),
            }
            | "JoinLeafParts" >> CompactCoGroupByKey()
            | "PlanLeaves" >> beam.ParDo(_PlanLeafFn()).with_outputs(SIZES, main="plans")
        )
        sizes += [requests[SIZES], served[SIZES], plans[SIZES]]
        return {
            "plans": plans.plans,
            "turns_in_trees": (requests[MEMBERS], served[MEMBERS]) | "AllMembers" >> beam.Flatten(),
            "leaves": requests[HEADS] | "OnePerLeaf" >> beam.Map(_one),
            "linked": linked | "LinkedIds" >> beam.Map(_linked_turn_id),
            "duplicates": duplicates,
            "deadletter": unique[DEADLETTER],
            "tiers": tiers,
            "group_sizes": sizes | "AllGroupSizes" >> beam.Flatten(),
        }

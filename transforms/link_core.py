"""The pure core of conversation linking, tested without Beam.

A turn t's transcript is messages(t) + [assistant: response(t)]. Turn p is a parent of t when
transcript(p) equals messages(t) without its last user message. Messages are compared by a
128-bit chain hash of (role, content) after normalizing line endings (CRLF/CR -> LF) and
stripping leading/trailing whitespace of each content; each message is hashed once per turn.
"""
from __future__ import annotations

import bisect
import dataclasses
from typing import Iterable, NamedTuple

import orjson
import xxhash

__all__ = [
    "LinkRec", "TurnMeta", "to_link_rec", "to_turn_meta", "path_entry", "chain_keys", "collapse_retries", "ParentIndex",
    "STAGE_A_TIERS", "STAGE_B_TIERS", "resolve_children", "jump_pointers", "tree_plans",
    "Plan", "plan_key", "encode_plan", "decode_plan",
]

_SEED = b"wchat-link-v1"


def _norm(content: str) -> bytes:
    return content.replace("\r\n", "\n").replace("\r", "\n").strip().encode("utf-8", "surrogatepass")


def _msg_digest(role: str, content: str) -> bytes:
    return xxhash.xxh3_128_digest(role.encode() + b"\x00" + _norm(content))


def _chain(prev: bytes, digest: bytes) -> bytes:
    return xxhash.xxh3_128_digest(prev + digest)


def chain_keys(messages: tuple, response: str) -> tuple[bytes, bytes | None]:
    """(key, parent_key): the chain hash of the transcript, and of the history before the last
    user message (None when the request holds no earlier exchange)."""
    h = _SEED
    for role, content in messages[:-1]:
        h = _chain(h, _msg_digest(role, content))
    has_history = any(role == "assistant" for role, _ in messages[:-1])
    parent_key = h if has_history else None
    role, content = messages[-1]
    h = _chain(h, _msg_digest(role, content))
    return _chain(h, _msg_digest("assistant", response)), parent_key


def fingerprint(headers: dict) -> int:
    """Device fingerprint: user-agent + accept-language."""
    return xxhash.xxh3_64_intdigest(
        ((headers.get("user-agent") or "") + "\x00" + (headers.get("accept-language") or "")).encode(
            "utf-8", "surrogatepass"))


def _h64(text: str) -> int:
    return xxhash.xxh3_64_intdigest(text.encode("utf-8", "surrogatepass"))


class LinkRec(NamedTuple):
    """The compact record that linking shuffles instead of the transcript: ints and two
    16-byte hashes, about 75 bytes encoded. Text-like metadata travels once, in `TurnMeta`."""

    turn_id: int
    ts: int  # microseconds since epoch
    fp: int  # device fingerprint
    ip: int  # 64-bit hash of the keyed IP hash (equality only)
    model: int  # 64-bit hash of the model name
    key: bytes
    parent_key: bytes | None
    depth: int  # number of user messages
    src: int  # 64-bit hash of the source file
    line: int


class TurnMeta(NamedTuple):
    """What a released message needs from its turn, besides the text."""

    turn_id: int
    src: int
    line: int
    source: str
    hashed_ip: str
    header: tuple  # (name, value) pairs of the allow-listed headers
    model: str


def to_link_rec(turn) -> LinkRec:
    key, parent_key = chain_keys(turn.messages, turn.response)
    return LinkRec(turn.turn_id, turn.timestamp_us, fingerprint(turn.headers), _h64(turn.hashed_ip),
                   _h64(turn.model), key, parent_key, turn.user_turns, _h64(turn.source), turn.line)


def to_turn_meta(turn) -> TurnMeta:
    return TurnMeta(turn.turn_id, _h64(turn.source), turn.line, turn.source, turn.hashed_ip,
                    tuple(sorted(turn.headers.items())), turn.model)


def collapse_retries(recs: Iterable[LinkRec], window_us: int) -> tuple[list, list]:
    """Recs share transcript, fingerprint and IP. Keep the earliest of each burst whose calls
    follow each other within `window_us` of the kept one; return (kept, retries)."""
    kept, retries, last = [], [], None
    for rec in sorted(recs, key=lambda r: (r.ts, r.turn_id)):
        if last is not None and rec.ts - last.ts <= window_us:
            retries.append(rec)
        else:
            kept.append(rec)
            last = rec
    return kept, retries


# Preference tiers: the index keys tried in order, all within one group. Stage A groups by
# (transcript, fingerprint), so its tiers are "same fingerprint" ones; stage B groups by
# transcript alone. Within each tier the same model is preferred.
STAGE_A_TIERS = (("ip", "model"), ("ip",), ("model",), ())
STAGE_B_TIERS = (("model",), ())


class ParentIndex:
    """Candidate parents of one group, kept per tier key as sorted (ts, -turn_id) pairs:
    memory O(parents) small tuples, lookups O(log parents)."""

    def __init__(self, tiers: tuple, parents: Iterable[LinkRec] = ()):
        self._tiers = tiers
        self._lists: dict = {}
        self._ts: dict | None = None
        for rec in parents:
            self.add(rec)

    def add(self, rec: LinkRec) -> None:
        self._ts = None
        for tier in self._tiers:
            self._lists.setdefault((tier, tuple(getattr(rec, f) for f in tier)), []).append(
                (rec.ts, -rec.turn_id))

    def _freeze(self) -> dict:
        if self._ts is None:
            for items in self._lists.values():
                items.sort()
            self._ts = {k: [t for t, _ in items] for k, items in self._lists.items()}
        return self._ts

    def choose(self, child: LinkRec, skew_us: int, max_tiers: int | None = None) -> tuple[int, int] | None:
        """(parent turn_id, tier number) of the nearest candidate not later than the child
        beyond the skew, in the first of the first `max_tiers` tiers that has one; ties go to
        the smaller turn_id."""
        all_ts = self._freeze()
        bound = child.ts + skew_us
        for n, tier in enumerate(self._tiers[:max_tiers]):
            k = (tier, tuple(getattr(child, f) for f in tier))
            ts = all_ts.get(k)
            if not ts:
                continue
            i = bisect.bisect_right(ts, bound)
            if i:
                # Sorted by (ts, -turn_id): the entry just below the bound has the latest
                # eligible time and, among equal times, the smallest turn_id.
                return -self._lists[k][i - 1][1], n
        return None


def resolve_children(parents, children, tiers, skew_us):
    """Yield (child, (parent_id, tier) | None) for each child of one group."""
    index = ParentIndex(tiers, parents)
    for child in children:
        yield child, index.choose(child, skew_us)


def jump_pointers(parent_of: dict[int, int | None], rounds: int) -> dict[int, int]:
    """Reference implementation of the Beam pointer jumping: turn id -> root id."""
    anc = dict(parent_of)
    done = {n: p is None for n, p in parent_of.items()}
    for _ in range(rounds):
        new_anc, new_done = dict(anc), dict(done)
        for n, a in anc.items():
            if done[n]:
                continue
            if anc.get(a) is None:
                new_done[n] = True
            else:
                new_anc[n], new_done[n] = anc[a], done[a]
        anc, done = new_anc, new_done
    return {n: (n if anc[n] is None else anc[n]) for n in anc}


@dataclasses.dataclass(frozen=True)
class Plan:
    """How to assemble one released conversation from its leaf turn's record."""

    conversation_id: str
    leaf_source: str
    leaf_line: int
    orphan: bool
    # Per turn on the path, root first: (turn_id, ts, hashed_ip, header pairs, model).
    path: tuple


def plan_key(source: str, line: int) -> bytes:
    """The side-input key of a leaf record: 16 bytes instead of a (path, line) tuple."""
    return xxhash.xxh3_128_digest(f"{line}\x00{source}".encode("utf-8", "surrogatepass"))


def encode_plan(plan: Plan) -> bytes:
    """A plan as one compact bytes value for the side input. Every worker holds the whole
    side input, so values are bytes (one object each, decoded only for the leaves it meets)
    and the hashed IPs, headers and models that repeat along a path are stored once."""
    tables: tuple = ({}, {}, {})
    path = []
    for turn_id, ts, hashed_ip, header, model in plan.path:
        ids = [t.setdefault(v, len(t)) for t, v in zip(tables, (hashed_ip, header, model))]
        path.append((turn_id, ts, *ids))
    return orjson.dumps((plan.conversation_id, plan.orphan, path, *(list(t) for t in tables)))


def decode_plan(data: bytes, source: str, line: int) -> Plan:
    """The plan of the leaf record at (source, line), from `encode_plan`'s bytes."""
    conversation_id, orphan, path, ips, headers, models = orjson.loads(data)
    headers = [tuple(map(tuple, h)) for h in headers]
    return Plan(conversation_id, source, line, orphan,
                tuple((t, ts, ips[i], headers[h], models[m]) for t, ts, i, h, m in path))


def path_entry(rec: LinkRec, meta: TurnMeta) -> tuple:
    return rec.turn_id, rec.ts, meta.hashed_ip, meta.header, meta.model


def tree_plans(root_id: int, members: list, parent_of: dict) -> list:
    """One plan per leaf of the tree rooted at `root_id`; `members` are (LinkRec, TurnMeta)
    pairs. Every leaf's path is a conversation, and branches share their prefix turns."""
    by_id = {rec.turn_id: (rec, meta) for rec, meta in members}
    has_child = {parent_of.get(rec.turn_id) for rec, _ in members}
    plans = []
    for rec, meta in sorted(members, key=lambda m: m[0].turn_id):
        if rec.turn_id in has_child:
            continue
        path, node = [], (rec, meta)
        while node is not None:
            path.append(path_entry(*node))
            parent = parent_of.get(node[0].turn_id)
            node = by_id.get(parent) if parent is not None else None
        path.reverse()
        root = by_id[path[0][0]][0]
        plans.append((rec.turn_id, Plan(
            conversation_id=f"{root_id}-{rec.turn_id}", leaf_source=meta.source, leaf_line=meta.line,
            orphan=root.depth > 1, path=tuple(path))))
    return plans

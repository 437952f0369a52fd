"""The pure core of conversation linking, tested without Beam; `transforms/link.py` wraps it.

A turn t's transcript is messages(t) + [assistant: response(t)]. Turn p is a parent of t when
transcript(p) equals messages(t) without its last user message. Messages are compared by a
128-bit chain hash of (role, content) after normalizing line endings (CRLF/CR -> LF) and
stripping leading/trailing whitespace of each content; each message is hashed once per turn.

Records that cross steps are named (`LinkRec`, `NodeInfo`, `PathPart`, `LeafHead`); `LinkRec`,
the one every step shuffles, has its own registered coder (`LinkRecCoder`, ~80 bytes).
"""
from __future__ import annotations

import bisect
import dataclasses
import struct
from typing import Iterable, NamedTuple

import orjson
import xxhash
from apache_beam import coders

__all__ = [
    "LinkRec", "LinkRecCoder", "NodeInfo", "PathPart", "LeafHead", "to_link_rec", "to_node_info",
    "chain_keys", "collapse_retries", "ParentIndex", "DeviceCandidates", "STAGE_A_TIERS",
    "STAGE_B_TIERS", "jump", "Plan", "plan_of", "plan_key", "encode_plan", "decode_plan",
    "same_content",
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


_HALF = 1 << 63


def _h64(text: str) -> int:
    """A signed 64-bit hash: it fits Beam's var-int encoding (unsigned ones above 2**63 would
    be pickled)."""
    return xxhash.xxh3_64_intdigest(text.encode("utf-8", "surrogatepass")) - _HALF


def fingerprint(headers: dict) -> int:
    """Device fingerprint: user-agent + accept-language."""
    return _h64((headers.get("user-agent") or "") + "\x00" + (headers.get("accept-language") or ""))


class LinkRec(NamedTuple):
    """The compact record that linking shuffles instead of the transcript: ints and two
    16-byte hashes. Text-like metadata travels once, in `NodeInfo`."""

    turn_id: int
    ts: int  # microseconds since epoch
    fp: int  # device fingerprint
    ip: int  # 64-bit hash of the keyed IP hash (equality only)
    model: int  # 64-bit hash of the model name
    key: bytes  # chain hash of the transcript
    parent_key: bytes | None  # chain hash of the parent's transcript
    depth: int  # number of user messages
    src: int  # 64-bit hash of the source file
    line: int


_FIXED = struct.Struct("<qqqqqq")  # turn_id, ts, fp, ip, model, src


class LinkRecCoder(coders.Coder):
    """`LinkRec` as 6 fixed int64s, the two hashes and two var-ints: 68 bytes for an opening,
    84 for a continuation (76 on average over the bench's mix, where the positional tuple with
    unsigned hashes took 107 and Beam's generic coder of the named tuple 141: it writes the
    class reference with every record)."""

    def encode(self, r: LinkRec) -> bytes:
        out = [_FIXED.pack(r.turn_id, r.ts, r.fp, r.ip, r.model, r.src), r.key]
        out.append(b"\x00" if r.parent_key is None else b"\x01" + r.parent_key)
        out.append(_varints(r.depth, r.line))
        return b"".join(out)

    def decode(self, data: bytes) -> LinkRec:
        turn_id, ts, fp, ip, model, src = _FIXED.unpack_from(data)
        pos = _FIXED.size
        key = data[pos:pos + 16]
        pos += 16
        parent_key = None
        if data[pos]:
            parent_key = data[pos + 1:pos + 17]
            pos += 16
        depth, line = _read_varints(data, pos + 1, 2)
        return LinkRec(turn_id, ts, fp, ip, model, key, parent_key, depth, src, line)

    def is_deterministic(self) -> bool:
        return True

    def to_type_hint(self):
        return LinkRec


def _varints(*values: int) -> bytes:
    out = bytearray()
    for v in values:
        while True:
            b = v & 0x7F
            v >>= 7
            if v:
                out.append(b | 0x80)
            else:
                out.append(b)
                break
    return bytes(out)


def _read_varints(data: bytes, pos: int, n: int) -> list:
    values = []
    for _ in range(n):
        v = shift = 0
        while True:
            b = data[pos]
            pos += 1
            v |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        values.append(v)
    return values


class _NamedTupleCoder(coders.Coder):
    """A NamedTuple as the plain tuple of its fields (Beam's generic coder would add the class
    reference to every element); registered per record type below."""

    record_type: type = tuple

    def __init__(self):
        self._inner = coders.FastPrimitivesCoder()

    def encode(self, value) -> bytes:
        return self._inner.encode(tuple(value))

    def decode(self, data: bytes):
        return self.record_type._make(self._inner.decode(data))

    def is_deterministic(self) -> bool:
        return True

    def to_type_hint(self):
        return self.record_type


coders.registry.register_coder(LinkRec, LinkRecCoder)


class NodeInfo(NamedTuple):
    """What a released conversation needs from one of its turns, besides the text: shuffled
    once, from the de-duplication step to the plan step."""

    entry: tuple  # path entry: (turn_id, ts, hashed_ip, header pairs, model, place)
    depth: int  # user messages in the turn's request (> 1 at a root: an orphan)
    source: str
    line: int


class PathPart(NamedTuple):
    """One turn of a leaf's path, sent to the leaf: its position (root 0) and entry."""

    pos: int
    entry: tuple
    depth: int


class LeafHead(NamedTuple):
    """What a leaf knows of itself: where its record is and how long its path is."""

    source: str
    line: int
    length: int


def to_link_rec(turn) -> LinkRec:
    key, parent_key = chain_keys(turn.messages, turn.response)
    return LinkRec(turn.turn_id, turn.timestamp_us, fingerprint(turn.headers), _h64(turn.hashed_ip),
                   _h64(turn.model), key, parent_key, turn.user_turns, _h64(turn.source), turn.line)


def place_of(turn) -> tuple | None:
    """(country, state) of the turn's IP as the geo lookup found it, None when unplaced."""
    country, state = getattr(turn, "country", None), getattr(turn, "state", None)
    return (country, state) if country or state else None


def to_node_info(turn) -> NodeInfo:
    entry = (turn.turn_id, turn.timestamp_us, turn.hashed_ip, tuple(sorted(turn.headers.items())),
             turn.model, place_of(turn))
    return NodeInfo(entry, turn.user_turns, turn.source, turn.line)


def same_content(a: LinkRec, b: LinkRec) -> bool:
    """Two records of one turn_id are copies of one call (a repeated line) when their
    transcripts (messages and response) and models are equal; otherwise they conflict."""
    return (a.key, a.parent_key, a.model) == (b.key, b.parent_key, b.model)


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
# (transcript, fingerprint), so its tiers are "same fingerprint" ones; stage B sees one
# other device's candidates and takes only those from the child's own IP: another device on
# another IP shares nothing with the child but the text (a stranger who got the same answer
# to the same question), so an orphan never borrows such a turn. Within each tier the same
# model is preferred.
STAGE_A_TIERS = (("ip", "model"), ("ip",), ("model",), ())
STAGE_B_TIERS = (("ip", "model"), ("ip",))


class ParentIndex:
    """Candidate parents of one group, kept per tier key as sorted (ts, -turn_id) pairs:
    memory O(parents) small tuples, lookups O(log parents)."""

    def __init__(self, tiers: tuple, parents: Iterable = ()):
        self._tiers = tiers
        self._lists: dict = {}
        self._ts: dict | None = None
        for rec in parents:
            self.add(rec)

    def add(self, rec) -> None:
        """`rec` needs turn_id, ts and the tier fields (a `LinkRec` or a `Candidate`)."""
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

    def only_within(self, child: LinkRec, window_us: int, skew_us: int) -> int | None:
        """The turn_id of the one candidate (any IP, any model) in the window before the child,
        [ts - window, ts + skew]; None when there are none or several."""
        k = (self._tiers[-1], ())
        ts = self._freeze().get(k) or []
        lo = bisect.bisect_left(ts, child.ts - window_us)
        hi = bisect.bisect_right(ts, child.ts + skew_us)
        return -self._lists[k][lo][1] if hi - lo == 1 else None


class Candidate(NamedTuple):
    """A stage B candidate parent, as `DeviceCandidates` keeps it."""

    turn_id: int
    ts: int
    model: int
    ip: int


class NodeInfoCoder(_NamedTupleCoder):
    record_type = NodeInfo


class PathPartCoder(_NamedTupleCoder):
    record_type = PathPart


class LeafHeadCoder(_NamedTupleCoder):
    record_type = LeafHead


for _record, _coder in ((NodeInfo, NodeInfoCoder), (PathPart, PathPartCoder), (LeafHead, LeafHeadCoder)):
    coders.registry.register_coder(_record, _coder)


class DeviceCandidates:
    """Combine logic for stage B, per parent transcript: the devices of its candidates, at most
    two (two mean "several": stage B then refuses), and the candidates themselves, as
    (turn_id, ts, model, ip) tuples (`Candidate`), only while they all come from one device.
    A hot opening sent from thousands of devices therefore combines to two fingerprints
    wherever it is split, never to a list of its calls.

    Accumulator: (fingerprints tuple, candidates list | None)."""

    @staticmethod
    def create():
        return (), []

    @staticmethod
    def add(acc, rec: LinkRec):
        fps, cands = acc
        if rec.fp in fps:
            if cands is not None:
                cands.append((rec.turn_id, rec.ts, rec.model, rec.ip))
            return acc
        if fps:  # a second device: from now on only the two fingerprints
            return tuple(sorted((fps[0], rec.fp))), None
        return (rec.fp,), [(rec.turn_id, rec.ts, rec.model, rec.ip)]

    @staticmethod
    def merge(accs):
        fps, cands = set(), []
        for acc_fps, acc_cands in accs:
            fps.update(acc_fps)
            if len(fps) > 1 or acc_cands is None:
                cands = None
            if cands is not None:
                cands.extend(acc_cands)
            if len(fps) > 1:
                break
        if len(fps) > 1:
            return tuple(sorted(fps))[:2], None
        return tuple(fps), cands

    @staticmethod
    def extract(acc):
        fps, cands = acc
        return fps, (None if cands is None else sorted(cands))


def jump(k: int, state, askers, own: bool = True):
    """One pointer-jumping round at node k. `state` is k's (path, done) or None when k is not a
    linked turn; `path` holds the ids from k's farthest known ancestor down to k's parent, and
    `done` says the first of them is a root. `askers` are (node, node's path) of the nodes
    whose farthest known ancestor is k. Yields each asker's new (node, path, done); k's own
    new state is yielded here only when it is done (otherwise it is k's ancestor's asker) and
    `own` (False in the groups of a salted k but one: k's state is in each of them)."""
    if own and state is not None and state[1]:
        yield k, state[0], True
    for node, path in askers:
        if state is None or not state[0]:  # k is a root
            yield node, path, True
        else:
            yield node, tuple(state[0]) + (k,) + tuple(path[1:]), state[1]


@dataclasses.dataclass(frozen=True)
class Plan:
    """How to assemble one released conversation from its leaf turn's record."""

    conversation_id: str
    leaf_source: str
    leaf_line: int
    orphan: bool
    # Per turn on the path, root first: (turn_id, ts, hashed_ip, header pairs, model, place).
    path: tuple


def plan_of(leaf_id: int, head: LeafHead, parts: Iterable[PathPart]) -> Plan:
    """The plan of one leaf from the parts of its path (any order); a missing or doubled part
    is data the runner lost, and linking stops rather than release a partial conversation."""
    parts = sorted(parts)
    if [p.pos for p in parts] != list(range(head.length)):
        raise RuntimeError(f"linking lost data for leaf turn {leaf_id}: path parts "
                           f"{[p.pos for p in parts]} of {head.length}; nothing was published")
    return Plan(conversation_id=f"{parts[0].entry[0]}-{leaf_id}", leaf_source=head.source,
                leaf_line=head.line, orphan=parts[0].depth > 1,
                path=tuple(p.entry for p in parts))


def plan_key(source: str, line: int) -> bytes:
    """The join key of a leaf record: 16 bytes instead of a (path, line) tuple."""
    return xxhash.xxh3_128_digest(f"{line}\x00{source}".encode("utf-8", "surrogatepass"))


def encode_plan(plan: Plan) -> bytes:
    """A plan as one compact bytes value; the hashed IPs, headers and models that repeat along
    a path are stored once."""
    tables: tuple = ({}, {}, {}, {})
    path = []
    for turn_id, ts, hashed_ip, header, model, place in plan.path:
        ids = [t.setdefault(v, len(t)) for t, v in zip(tables, (hashed_ip, header, model, place))]
        path.append((turn_id, ts, *ids))
    return orjson.dumps((plan.conversation_id, plan.orphan, path, *(list(t) for t in tables)))


def decode_plan(data: bytes, source: str, line: int) -> Plan:
    """The plan of the leaf record at (source, line), from `encode_plan`'s bytes."""
    conversation_id, orphan, path, ips, headers, models, places = orjson.loads(data)
    headers = [tuple(map(tuple, h)) for h in headers]
    places = [None if p is None else tuple(p) for p in places]
    return Plan(conversation_id, source, line, orphan,
                tuple((t, ts, ips[i], headers[h], models[m], places[g]) for t, ts, i, h, m, g in path))

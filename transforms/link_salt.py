"""Salted joins for linking's wide keys: a CoGroupByKey that never holds more than about
`hot_key_items` (or wide items / `salts`) values of one key in one group.

`SaltedCoGroupByKey(wide, spread_by)`: {tag: PCollection[(key, value)]} ->
  PCollection[((key, salt), {tag: [values]})], where one tag is "wide" (many values per key:
  the children of a parent, the askers of a node) and the others are "narrow" (about one value
  per key: the parent's candidates, the node's state or entry).

A key is hot when its wide values number more than `hot_key_items` (a lifted count, so only
partial counts are shuffled; the hot keys and their counts, at most wide values /
`hot_key_items` of them, reach the salting steps as a side input). A hot key with n wide
values gets min(`salts`, ceil(n / `hot_key_items`)) salts: its wide values are spread over
them by a hash of `spread_by(value)` (an id, so the spread is deterministic), and its narrow
values are replicated to each. A group then holds about `hot_key_items` wide values (n /
`salts` beyond `salts` * `hot_key_items`), and replication stays proportional to the
spread: a "hi" with 3,000 children on one device costs its candidates 3 copies, not 64. Every other key keeps salt `COLD` (-1), one group
as before. Each wide value therefore meets all of its key's narrow values exactly once, so a
step that handles its wide values one by one gives the same results salted or not; only a
step's once-per-key output must be emitted from one group: see `emits_once`.
"""
from __future__ import annotations

import struct
from typing import Any, Callable, Tuple

import apache_beam as beam
import xxhash

from transforms.link_join import CompactCoGroupByKey

__all__ = ["SaltedCoGroupByKey", "COLD", "emits_once", "salt_of", "salts_for"]

COLD = -1  # the salt of a key that is not hot: its one group
SALTS = 64
HOT_KEY_ITEMS = 1024

_ID = struct.Struct("<q")


def salt_of(item_id: int, salts: int) -> int:
    """A deterministic spread of ids (sequential or not) over `salts` salts."""
    return xxhash.xxh3_64_intdigest(_ID.pack(item_id)) % salts


def emits_once(salt: int) -> bool:
    """True in the one group of a key that emits the key's own once-per-key output: the cold
    group, or salt 0 of a hot key (which exists: every salt gets the narrow values)."""
    return salt in (COLD, 0)


def _count_one(kv):
    return kv[0], 1


def _is_hot(kv, threshold: int) -> bool:
    return kv[1] > threshold


def salts_for(count: int | None, salts: int, hot_key_items: int) -> int:
    """How many salts a key with `count` wide values gets (0: none, it is not hot)."""
    if count is None or count <= hot_key_items:
        return 0
    return min(salts, -(-count // hot_key_items))


def _salt_wide(kv, hot, spread_by, salts, hot_key_items):
    key, value = kv
    n = salts_for(hot.get(key), salts, hot_key_items)
    return (key, salt_of(spread_by(value), n) if n else COLD), value


def _salt_narrow(kv, hot, salts, hot_key_items):
    key, value = kv
    n = salts_for(hot.get(key), salts, hot_key_items)
    if n:
        for salt in range(n):
            yield (key, salt), value
    else:
        yield (key, COLD), value


class SaltedCoGroupByKey(beam.PTransform):
    def __init__(self, wide: str, spread_by: Callable[[Any], int], salts: int = SALTS,
                 hot_key_items: int = HOT_KEY_ITEMS, value_types: dict | None = None):
        super().__init__()
        if salts < 1:
            raise ValueError(f"salts must be at least 1, got {salts!r}")
        if hot_key_items < 1:
            raise ValueError(f"hot_key_items must be at least 1, got {hot_key_items!r}")
        self._wide, self._spread_by = wide, spread_by
        self._salts, self._threshold = salts, hot_key_items
        self._types = value_types or {}

    def expand(self, pcolls: dict):
        wide = pcolls[self._wide]
        hot = beam.pvalue.AsDict(
            wide
            | "CountWide" >> beam.Map(_count_one)
            | "SumWide" >> beam.CombinePerKey(sum)
            | "HotKeys" >> beam.Filter(_is_hot, self._threshold))
        salted = {}
        for tag, pcoll in pcolls.items():
            if tag == self._wide:
                step = beam.Map(_salt_wide, hot, self._spread_by, self._salts, self._threshold)
            else:
                step = beam.FlatMap(_salt_narrow, hot, self._salts, self._threshold)
            if tag in self._types:
                step = step.with_output_types(Tuple[Tuple[Any, int], self._types[tag]])
            salted[tag] = pcoll | f"Salt_{tag}" >> step
        return salted | "Group" >> CompactCoGroupByKey()

"""Joins and groupings for linking that shuffle bytes, not Python objects.

The DirectRunner (`in_memory` and each `multi_processing` worker) keeps a grouping's input
decoded, as Python objects, from the step that produces it until the step that consumes it
runs, which for linking's joins is often many steps later (the `NodeInfo` of every turn waits
through all the jump rounds). A `LinkRec` costs ~76 bytes encoded but ~600 as a decoded named
tuple of Python ints and bytes inside a (tag, value) pair. Here every value is packed into one
`bytes` (a tag byte and the value's own coder) before the shuffle and unpacked after it, so a
waiting grouping holds one bytes object per value.

`CompactCoGroupByKey(value_types)`: {tag: PCollection[(key, value)]} ->
  PCollection[(key, {tag: [values]})], as `beam.CoGroupByKey` (values of a tag in arrival
  order; every tag present, possibly empty).
`CompactGroupByKey(value_type)`: PCollection[(key, value)] -> PCollection[(key, [values])].
Value coders come from `value_types` (tag -> type) or the input's element type hint.
"""
from __future__ import annotations

from typing import Any, Tuple

import apache_beam as beam
from apache_beam import coders
from apache_beam.typehints import trivial_inference

__all__ = ["CompactCoGroupByKey", "CompactGroupByKey"]


def _value_coder(pcoll, value_type=None) -> coders.Coder:
    if value_type is None:
        _, value_type = trivial_inference.key_value_types(pcoll.element_type)
    return coders.registry.get_coder(value_type if value_type is not None else Any)


def _key_type(pcolls) -> Any:
    types = {trivial_inference.key_value_types(p.element_type)[0] for p in pcolls}
    return types.pop() if len(types) == 1 else Any


def _pack(kv, tag: bytes, coder):
    return kv[0], tag + coder.encode(kv[1])


def _unpack(kv, tags, value_coders):
    key, packed = kv
    groups = {tag: [] for tag in tags}
    lists = [groups[tag] for tag in tags]
    for data in packed:
        i = data[0]
        lists[i].append(value_coders[i].decode(data[1:]))
    return key, groups


class CompactCoGroupByKey(beam.PTransform):
    def __init__(self, value_types: dict | None = None):
        super().__init__()
        self._types = value_types or {}

    def expand(self, pcolls: dict):
        tags = list(pcolls)
        if len(tags) > 255:
            raise ValueError("at most 255 tags")
        key_type = _key_type(pcolls.values())
        value_coders = [_value_coder(pcolls[t], self._types.get(t)) for t in tags]
        packed = [
            pcolls[t] | f"Pack_{t}" >> beam.Map(_pack, bytes([i]), value_coders[i]).with_output_types(
                Tuple[key_type, bytes])
            for i, t in enumerate(tags)
        ]
        return (packed
                | "FlattenPacked" >> beam.Flatten()
                | "GroupPacked" >> beam.GroupByKey()
                | "Unpack" >> beam.Map(_unpack, tags, value_coders))


def _pack_one(kv, coder):
    return kv[0], coder.encode(kv[1])


def _unpack_one(kv, coder):
    key, packed = kv
    return key, [coder.decode(data) for data in packed]


class CompactGroupByKey(beam.PTransform):
    def __init__(self, value_type=None):
        super().__init__()
        self._type = value_type

    def expand(self, pcoll):
        key_type = _key_type([pcoll])
        coder = _value_coder(pcoll, self._type)
        return (pcoll
                | "Pack" >> beam.Map(_pack_one, coder).with_output_types(Tuple[key_type, bytes])
                | "GroupPacked" >> beam.GroupByKey()
                | "Unpack" >> beam.Map(_unpack_one, coder))

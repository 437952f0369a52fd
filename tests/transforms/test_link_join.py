"""The packed joins of linking group like Beam's own, and the linking barrier passes every
element through unchanged."""
from __future__ import annotations

from typing import Tuple

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.link_core import LinkRec
from transforms.link_gate import AfterLinking
from transforms.link_join import CompactCoGroupByKey, CompactGroupByKey

REC = LinkRec(7, 1_000, -3, 5, 9, b"k" * 16, None, 1, -2, 4)
CHILD = REC._replace(turn_id=8, parent_key=b"k" * 16, depth=2)


def _sorted_groups(kv):
    key, groups = kv
    return key, {tag: sorted(values, key=repr) for tag, values in groups.items()}


def test_compact_cogroup_equals_cogroupbykey():
    left = [(b"a", REC), (b"a", CHILD), (b"b", REC)]
    right = [(b"a", ("x", 1, None)), (b"c", ("y", 2, (1, 2)))]
    with TestPipeline() as p:
        inputs = {
            "left": p | "L" >> beam.Create(left).with_output_types(Tuple[bytes, LinkRec]),
            "right": p | "R" >> beam.Create(right),
        }
        ours = inputs | "Compact" >> CompactCoGroupByKey() | "SortOurs" >> beam.Map(_sorted_groups)
        beams = inputs | "Beam" >> beam.CoGroupByKey() | "SortBeam" >> beam.Map(_sorted_groups)
        expected = [
            (b"a", {"left": sorted([REC, CHILD], key=repr), "right": [("x", 1, None)]}),
            (b"b", {"left": [REC], "right": []}),
            (b"c", {"left": [], "right": [("y", 2, (1, 2))]}),
        ]
        assert_that(ours, equal_to(expected), label="ours")
        assert_that(beams, equal_to(expected), label="beam")


def test_compact_group_by_key_keeps_the_record_type():
    with TestPipeline() as p:
        grouped = (p | beam.Create([(1, REC), (1, CHILD), (2, REC)]).with_output_types(Tuple[int, LinkRec])
                   | CompactGroupByKey()
                   | beam.MapTuple(lambda k, vs: (k, sorted(v.turn_id for v in vs if isinstance(v, LinkRec)))))
        assert_that(grouped, equal_to([(1, [7, 8]), (2, [7])]))


def test_after_linking_passes_every_element_through():
    with TestPipeline() as p:
        plans = p | "Plans" >> beam.Create([(b"p", b"plan")])
        records = p | "Records" >> beam.Create([("f", 1, b"x"), ("f", 2, b"y")])
        assert_that(records | AfterLinking(plans), equal_to([("f", 1, b"x"), ("f", 2, b"y")]))


def test_after_linking_with_no_plans():
    with TestPipeline() as p:
        plans = p | "Plans" >> beam.Create([]).with_output_types(Tuple[bytes, bytes])
        records = p | "Records" >> beam.Create([("f", 1, b"x")])
        assert_that(records | AfterLinking(plans), equal_to([("f", 1, b"x")]))

"""`AfterLinking(plans)`: PCollection -> the same PCollection, its first element only after
linking has planned every conversation.

The second read of the input (the records `Assemble` joins to their plans) has no data
dependency on linking, so a runner may run it first: the DirectRunner does, and then holds
every raw record in the join's grouping while linking runs (about 4 GB at 1M turns). A side
input on the number of plans makes the step that consumes the records, and the read fused
with it, wait for linking's end; the records then meet plans that are already grouped. On a
runner that streams between stages the wait costs nothing either: the join needs every plan.

Metric: none (the count is only a barrier).
"""
from __future__ import annotations

import apache_beam as beam

__all__ = ["AfterLinking"]


def _passthrough(element, _plans: int):
    return element


class AfterLinking(beam.PTransform):
    def __init__(self, plans):
        super().__init__()
        self._plans = plans

    def expand(self, pcoll):
        planned = self._plans | "CountPlans" >> beam.combiners.Count.Globally()
        return pcoll | "WaitForPlans" >> beam.Map(
            _passthrough, beam.pvalue.AsSingleton(planned)).with_output_types(pcoll.element_type)

"""`LargestGroup(step, tag)`: the largest group a grouping DoFn saw in its bundle, emitted once
per bundle as (step, n) on tagged output `tag` (the manifest keeps the maximum per step, so a
bench or a test can tell no step held a hot key whole). Used by linking and duplicate detection.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue

__all__ = ["LargestGroup"]


class LargestGroup:
    def __init__(self, step: str, tag: str):
        self._step, self._tag, self._max = step, tag, 0

    def start(self):
        self._max = 0

    def saw(self, n: int):
        self._max = max(self._max, n)

    def finish(self):
        """The bundle's (step, largest group) in the global window; call in finish_bundle."""
        if self._max:
            yield beam.pvalue.TaggedOutput(self._tag, WindowedValue(
                (self._step, self._max), GlobalWindow().max_timestamp(), [GlobalWindow()]))
        self._max = 0

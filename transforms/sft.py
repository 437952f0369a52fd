"""`ExportSft(cfg)`: PCollection[release row] (one variant's rows) -> PCollection[sft row]
(main output `rows`, `schemas/sft.py`) plus tagged output `STATS` with (stat name, 1) pairs:
`sft.rows` for each exported row and `sft.left.<reason>` for each row a filter kept out (the
filters and the chat-template check are in `transforms/sft_core.py`). The publisher checks
that `sft.rows` + the `sft.left.*` counts equal the variant's rows.

Metrics (namespace "sft"): rows, left_<reason>.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.sft_core import REASONS, sft_row

__all__ = ["ExportSft", "STATS", "SFT"]

STATS = "stats"
SFT = "sft"  # the export's name: its folder data/sft/, its card config and manifest variant


class _ExportFn(beam.DoFn):
    def __init__(self, cfg):
        self._cfg = cfg

    def setup(self):
        self._rows = Metrics.counter(SFT, "rows")
        self._left = {r: Metrics.counter(SFT, f"left_{r}") for r in REASONS}

    def process(self, row):
        reason, out = sft_row(row, self._cfg)
        if reason is not None:
            self._left[reason].inc()
            yield beam.pvalue.TaggedOutput(STATS, (f"sft.left.{reason}", 1))
            return
        self._rows.inc()
        yield beam.pvalue.TaggedOutput(STATS, ("sft.rows", 1))
        yield out


class ExportSft(beam.PTransform):
    def __init__(self, cfg):
        super().__init__()
        self._cfg = cfg

    def expand(self, rows):
        return rows | "ToSft" >> beam.ParDo(_ExportFn(self._cfg)).with_outputs(STATS, main="rows")

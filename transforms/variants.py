"""`SplitVariants(variants, never_release)`: PCollection[row] -> PCollection[(variant, row)]
(one element per variant that holds the row) plus tagged output `STATS` with (stat name, 1)
pairs: `variants.<name>.rows`, `variants.<name>.left.<reason>`, `never_release.<reason>`.
The rules are in `transforms/variant_rules.py`.

Metrics (namespace "variants"): rows_<name>, withheld.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.variant_rules import check_variants, variant_reasons

__all__ = ["SplitVariants", "STATS"]

STATS = "stats"


class _SplitFn(beam.DoFn):
    def __init__(self, variants: dict, never_release: tuple):
        self._variants, self._never = variants, never_release
        self._withheld = Metrics.counter("variants", "withheld")

    def setup(self):
        self._rows = {name: Metrics.counter("variants", f"rows_{name}") for name in self._variants}

    def process(self, row):
        reasons = variant_reasons(row, self._variants, self._never)
        if reasons["full"] is not None:  # only a never-release reason removes a row from full
            self._withheld.inc()
            yield beam.pvalue.TaggedOutput(STATS, (f"never_release.{reasons['full']}", 1))
        for name, reason in reasons.items():
            if reason is None:
                self._rows[name].inc()
                yield name, row
                yield beam.pvalue.TaggedOutput(STATS, (f"variants.{name}.rows", 1))
            else:
                yield beam.pvalue.TaggedOutput(STATS, (f"variants.{name}.left.{reason}", 1))


class SplitVariants(beam.PTransform):
    def __init__(self, variants: dict, never_release=()):
        super().__init__()
        check_variants(variants, never_release)
        self._variants = {name: tuple(reasons) for name, reasons in variants.items()}
        self._never = tuple(never_release)

    def expand(self, rows):
        return rows | "Split" >> beam.ParDo(_SplitFn(self._variants, self._never)).with_outputs(
            STATS, main="rows")

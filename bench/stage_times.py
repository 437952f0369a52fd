"""Run `pipelines.release` and keep Beam's per-transform execution times (its own metrics).

    python -m bench.stage_times METRICS.json -- --config C --input I --output O

Beam's SDK harness measures, for every transform, the milliseconds spent in its start,
process and finish (`beam:metric:ptransform_execution_time:total_msecs:v1`, exclusive of the
transforms it feeds). The release builds its pipeline inside `with beam.Pipeline(...)`, which
keeps no result for the caller, so this bench entry point wraps `Pipeline.run` to hold on to the
result, runs the release's own `main`, and writes to METRICS.json the times summed per
top-level transform (`ScrubPii`, `Link`, ...; wall time in the transform, which on a shared
machine exceeds its CPU time) and the CPU seconds of the guarded stages (assemble, language,
pii, toxicity, rows, write: `transforms/guard.py`'s `stage_cpu_us` counters), and the language
stage's counters (`messages`, `lingua_calls`, ...). The pipeline
itself is not changed.
"""
from __future__ import annotations

import collections
import json
import sys

import apache_beam as beam

TOTAL_MSECS = "ptransform_execution_time:total_msecs"
_results = []


def _keep_result(run):
    def wrapped(self, *args, **kwargs):
        result = run(self, *args, **kwargs)
        _results.append(result)
        return result
    return wrapped


def stage_seconds(result) -> dict:
    """{top-level transform label: seconds} from a finished pipeline's monitoring metrics."""
    seconds = collections.Counter()
    for counter in result.monitoring_metrics().query().get("counters", []):
        step = counter.key.step
        if step and TOTAL_MSECS in counter.key.metric.name:
            seconds[step.split("/", 1)[0]] += (counter.committed or 0) / 1000
    return dict(seconds.most_common())


def stage_cpu_seconds(result) -> dict:
    """{stage: CPU seconds} of the guarded stages (`transforms/guard.py`'s `stage_cpu_us`)."""
    from apache_beam.metrics.metric import MetricsFilter

    cpu = collections.Counter()
    for c in result.metrics().query(MetricsFilter().with_namespace("stage_cpu_us"))["counters"]:
        cpu[c.key.metric.name] += (c.committed or 0) / 1e6
    return dict(cpu.most_common())


def language_counters(result) -> dict:
    """{name: value} of the language stage's counters (messages, lingua_calls, rule_*)."""
    from apache_beam.metrics.metric import MetricsFilter

    counts = collections.Counter()
    for c in result.metrics().query(MetricsFilter().with_namespace("language"))["counters"]:
        counts[c.key.metric.name] += c.committed or 0
    return dict(sorted(counts.items()))


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    out, release_argv = argv[0], argv[argv.index("--") + 1:]
    beam.Pipeline.run = _keep_result(beam.Pipeline.run)
    from pipelines import release

    code = release.main(release_argv)
    with open(out, "w") as fh:
        json.dump({"stage_seconds": stage_seconds(_results[-1]) if _results else {},
                   "stage_cpu_seconds": stage_cpu_seconds(_results[-1]) if _results else {},
                   "language_counters": language_counters(_results[-1]) if _results else {}}, fh, indent=1)
    return code


if __name__ == "__main__":
    sys.exit(main())

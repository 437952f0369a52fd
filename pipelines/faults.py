"""Test-only fault points: hold a run at named points so that a test can look at what is on
storage there, let it go on, or kill it.

The crash-safety tests (tests/test_crash_safety.py) SIGKILL a release at several points and
check what a reader sees afterwards. A kill at a random moment would hit a random phase, so
the run announces each point and, when told to, stops there:

    WCHAT_FAULT_POINT=<point>[,<point>...]  WCHAT_FAULT_DIR=<folder>

When the run reaches a listed point, it creates <folder>/<point> and waits until
<folder>/<point>.continue exists (then it goes on) or it is killed (at most `HOLD_SECONDS`).
Nothing is written while it waits, so what is on storage then is what a kill there leaves.
Without WCHAT_FAULT_POINT (always, outside these tests) `build_pipeline` adds nothing to the
graph and `reached()` is one dictionary lookup.

Points, in the order a run passes them:
  link              the linking stage has produced its first linked turn
  write             the first release shard is finished (others may not be)
  publish.manifest  the run's manifest is written; nothing points at the run yet
  publish.card      the top-level README.md points at the run; LATEST does not yet
  publish.latest    LATEST names the run; older runs are not cleaned up yet
"""
from __future__ import annotations

import os
import time

import apache_beam as beam

__all__ = ["POINTS", "armed", "reached", "FaultPoint", "POINT_ENV", "DIR_ENV"]

POINT_ENV, DIR_ENV = "WCHAT_FAULT_POINT", "WCHAT_FAULT_DIR"
POINTS = ("link", "write", "publish.manifest", "publish.card", "publish.latest")
HOLD_SECONDS = 600


def armed(point: str) -> bool:
    return point in os.environ.get(POINT_ENV, "").split(",")


def reached(point: str) -> None:
    """Hold here when this point is armed (see the module docstring)."""
    if not armed(point):
        return
    folder = os.environ[DIR_ENV]
    with open(os.path.join(folder, point), "w") as fh:
        fh.write(str(os.getpid()))
    go_on = os.path.join(folder, f"{point}.continue")
    deadline = time.monotonic() + HOLD_SECONDS
    while time.monotonic() < deadline:
        if os.path.exists(go_on):
            return
        time.sleep(0.05)
    raise RuntimeError(f"fault point {point!r} was held {HOLD_SECONDS}s: nobody resumed or killed the run")


class _ReachedFn(beam.DoFn):
    def __init__(self, point: str):
        self._point = point

    def process(self, element):
        reached(self._point)
        yield element


class FaultPoint(beam.PTransform):
    """A branch of the graph that holds the run when its first element arrives. Added only
    when the point is armed, so a normal run's graph does not have it."""

    def __init__(self, point: str):
        super().__init__()
        if point not in POINTS:
            raise ValueError(f"unknown fault point {point!r}; points: {POINTS}")
        self._point = point

    def expand(self, pcoll):
        return pcoll | "Hold" >> beam.ParDo(_ReachedFn(self._point))

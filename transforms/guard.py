"""Stage guard: a conversation that makes a stage raise leaves as a dead letter; the job goes on.

After linking, each stage (assemble, language, PII, toxicity, rows, write) runs code on
one conversation at a time, or on a batch of them. One odd conversation must not stop a
snapshot job at hour 9, so the stage's DoFn is wrapped:

    beam.ParDo(GuardedFn("pii", _ScrubBatchFn(...), batched=True)).with_outputs(
        STAGE_FAILED, main="conversations")

- The wrapped DoFn's `process` runs to completion before anything is emitted, so a
  conversation that fails halfway emits nothing (no half-scrubbed text moves on).
- `batched=True`: the element is a batch (`BatchElements`). When the batch raises, each of
  its conversations is run again alone, so only the one that fails is dead-lettered (the
  wrapped DoFn's own Beam counters may then count the others twice; the manifest's numbers
  come from the conversations, not from counters).
- Only per-element code is guarded: `setup` failing (a missing model) stays fatal, and so
  does an I/O error of the storage (the runner retries it).
- A failure becomes one dead-letter record (`stage_failure`): reason `stage_failed.<stage>`,
  the stage, the conversation id, its turn ids, the exception's type and where it was raised
  (file, line, function of the innermost frames). Never text: the conversation may hold PII
  the failed stage did not scrub, and an exception's message may quote its input
  (`KeyError('alice@example.com')`, `UnicodeEncodeError(... 'surrogates not allowed')`), so
  the message is not kept at all.
- Timed: Beam counter `stage_cpu_us/<stage>`, the CPU microseconds of the calling thread spent
  in the wrapped `process` (CPU, not wall time: on a shared machine the two differ; the bench
  prints them per stage, see bench/stage_times.py).
- Counted: Beam counter `stage_failed/<stage>`; `ReleaseStats` counts the records
  (`stage_failed.<stage>` in the manifest) so that conversations == rows + stage failures.

Applying it to a stage is three lines: wrap the DoFn, add `.with_outputs(STAGE_FAILED,
main=...)`, and return the failures as the transform's `STAGE_FAILED` output (see
`transforms/language/transform.py`). Lifecycle methods (`setup`, `start_bundle`,
`finish_bundle`, `teardown`) are passed through; side inputs reach the wrapped `process`
unchanged. An element that is not a conversation dict (Assemble's `(source, line, raw)` leaf
records) is named by `identify=`: a function element -> {"source", "line", "turn_ids", ...}
that must never return text (e.g. `lambda e: {"source": e[0], "line": e[1]}`).

Tests make one chosen conversation fail in a stage without touching the stage's code:
`WCHAT_FAULT_STAGE=<stage>:<turn_id>[,...]`, read when the pipeline is built (so a worker
elsewhere sees it in the graph; without it nothing is checked), raises `InjectedFault`
(whose message deliberately quotes the conversation's text) in that stage for every call
that includes the conversation holding that turn id.
"""
from __future__ import annotations

import os
import time
import traceback

import apache_beam as beam
from apache_beam.metrics import Metrics

__all__ = ["STAGE_FAILED", "STAGES", "GuardedFn", "stage_failure", "turn_ids", "conversation_identity",
           "describe_exception", "InjectedFault", "STAGE_FAULT_ENV"]

STAGE_FAILED = "stage_failed"
STAGES = ("assemble", "language", "pii", "toxicity", "rows", "write")
STAGE_FAULT_ENV = "WCHAT_FAULT_STAGE"
# Frames kept in `where`, innermost last: enough to find the line, never any text.
_FRAMES = 3


class InjectedFault(RuntimeError):
    """Raised by `WCHAT_FAULT_STAGE` (tests only)."""


def turn_ids(conv) -> list:
    """The logged turn ids a conversation (or release row) is made of, in order, once each."""
    if not isinstance(conv, dict):
        return []
    messages = conv.get("messages", conv.get("conversation")) or ()
    seen = []
    for m in messages:
        tid = m.get("turn_identifier")
        if tid is not None and tid not in seen:
            seen.append(tid)
    return seen


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))).replace(os.sep, "/") + "/"


def _short_path(filename: str) -> str:
    """A frame's file relative to the project or to site-packages (no user paths)."""
    norm = filename.replace(os.sep, "/")
    if norm.startswith(_ROOT):
        return norm[len(_ROOT):]
    at = norm.rfind("/site-packages/")
    if at >= 0:
        return norm[at + len("/site-packages/"):]
    return norm.rsplit("/", 1)[-1]


def describe_exception(err: BaseException) -> dict:
    """Type and place of `err`, with no part of its message (it may quote the input)."""
    kind = type(err)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    frames = traceback.extract_tb(err.__traceback__)
    # The guard's own frames say nothing, unless it raised (an injected fault).
    frames = ([f for f in frames if _short_path(f.filename) != "transforms/guard.py"] or frames)[-_FRAMES:]
    where = [f"{_short_path(f.filename)}:{f.lineno} in {f.name}" for f in frames]
    return {"type": name, "where": where}


def conversation_identity(conv) -> dict:
    """What names a conversation (or release row) in its dead letter: id and turn ids."""
    return {"conversation_id": conv.get("conversation_id"), "turn_ids": turn_ids(conv)}


def stage_failure(stage: str, element, err: BaseException, identify=conversation_identity) -> dict:
    """The dead-letter record of an element (a conversation) that made `stage` raise.
    `identify(element)` gives the fields that name it (never text). The fields of a parse
    dead letter are kept (raw text null), so every dead letter has the same keys."""
    exc = describe_exception(err)
    where = exc["where"][-1] if exc["where"] else "?"
    record = {"reason": f"{STAGE_FAILED}.{stage}", "detail": f"{exc['type']} at {where}",
              "source": None, "line": None, "raw_bytes": 0, "raw": None, "raw_b64": None,
              "stage": stage, "conversation_id": None, "turn_ids": [], "exception": exc}
    try:
        record.update(identify(element))
    except Exception:  # noqa: BLE001 - a malformed element still leaves, unnamed
        record["exception"]["unidentified"] = True
    return record


def _armed_fault(stage: str) -> int | None:
    for item in os.environ.get(STAGE_FAULT_ENV, "").split(","):
        name, _, tid = item.partition(":")
        if name.strip() == stage and tid.strip():
            return int(tid)
    return None


class GuardedFn(beam.DoFn):
    """Runs `fn` (a DoFn) and turns an exception into `stage_failed` records (see the module
    docstring). Main outputs are `fn`'s; failures go to the `STAGE_FAILED` tag."""

    def __init__(self, stage: str, fn: beam.DoFn, batched: bool = False,
                 identify=conversation_identity):
        super().__init__()
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}; stages: {STAGES}")
        self._stage, self._fn, self._batched, self._identify = stage, fn, batched, identify
        self._fault = _armed_fault(stage)  # read when the graph is built (tests only)
        self._failed = Metrics.counter(STAGE_FAILED, stage)
        self._cpu_us = Metrics.counter("stage_cpu_us", stage)

    def setup(self):
        self._fn.setup()

    def start_bundle(self):
        self._fn.start_bundle()

    def finish_bundle(self):
        return self._fn.finish_bundle()

    def teardown(self):
        self._fn.teardown()

    def _run(self, element, args, kwargs) -> list:
        if self._fault is not None:
            for conv in (element if self._batched else (element,)):
                if self._fault in self._identify(conv).get("turn_ids", ()):
                    # The message quotes the element, as real exceptions may: it must not leak.
                    raise InjectedFault(f"injected fault in {self._stage}: {str(conv)[:300]!r}")
        t0 = time.thread_time()
        try:
            return list(self._fn.process(element, *args, **kwargs) or ())
        finally:
            self._cpu_us.inc(int((time.thread_time() - t0) * 1e6))

    def _failure(self, element, err) -> dict:
        return stage_failure(self._stage, element, err, self._identify)

    def process(self, element, *args, **kwargs):
        try:
            outputs = self._run(element, args, kwargs)
        except Exception as err:  # noqa: BLE001 - per-conversation failures are dead-lettered
            if not self._batched:
                self._failed.inc()
                yield beam.pvalue.TaggedOutput(STAGE_FAILED, self._failure(element, err))
                return
            outputs = []
            batch = list(element)
            if len(batch) == 1:
                self._failed.inc()
                yield beam.pvalue.TaggedOutput(STAGE_FAILED, self._failure(batch[0], err))
                return
            for conv in batch:  # isolate the conversation that fails
                try:
                    outputs += self._run([conv], args, kwargs)
                except Exception as one_err:  # noqa: BLE001
                    self._failed.inc()
                    outputs.append(beam.pvalue.TaggedOutput(STAGE_FAILED, self._failure(conv, one_err)))
        yield from outputs

"""The numbers a release is published on: counts of each step's output, breakdowns, shards
and input fingerprints, written as one small JSON-lines file the publisher reads back.

`ReleaseStats`: dict of named PCollections -> PCollection[str] (the lines written). Inputs
(all required, so a recipe cannot forget one):

  input_files          file fingerprints of both reads (`transforms.read`)  -> input_files
  input_records        records of the first read                            -> counts
  reread_records       records of the second read                           -> flow
  deadletter           every dead letter (parse and link)                   -> counts, stats
                                                                               deadletter.<reason>
  filtered_no_consent, duplicate_turns, linked_turns                        -> counts
  tiers                how each linked turn found its parent                -> stats link.<tier>
  group_sizes          (step, n): the largest group a linking step held     -> stats
                       (per bundle), the maximum kept                          linking.largest_group.<step>
  duplicate_group_sizes (step, n): the largest group a duplicate-detection    -> stats
                       step held (per bundle), the maximum kept                duplicates.largest_group.<step>
  turns_in_trees       tree sizes, summed                                   -> flow, stats
  planned_leaves       1 per leaf the plan step was asked to plan               -> flow
  plans, conversations, plans_without_record                               -> flow
  stage_failed         dead letters of conversations a stage raised on      -> flow stage_failed,
                       (`transforms/guard.py`; not input records, so not       stats
                       in `counts.deadletter`)                                 stage_failed.<stage>
  released             conversations after the last stage                   -> stats (orphans and
                                                                               each stage's `stats`)
  stat_events          (stat name, n) pairs, summed per name                -> stats (geo.turns.*,
                                                                               variants.*, ...)
  rows                 release rows the writer can encode (entering         -> flow
                       SplitVariants)
  variant_rows         the variant of every (variant, row) to be written   -> variant_rows; the
                                                                               `full` count is
                                                                               released_conversations
  shards               `WriteRelease` shard stats, all variants             -> shards

Every line is `[section, name, value]`; `RunStats.from_lines` folds them back. Everything is
a global combine (one small value per name), so nothing gathers data on one worker.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable

import apache_beam as beam
import orjson

__all__ = ["ReleaseStats", "RunStats", "COUNT_KEYS", "FLOW_KEYS", "INPUTS", "read_stats"]

# The manifest's `counts` (the input identity) and `flow` (each step's output after linking).
COUNT_KEYS = ("input_records", "deadletter", "filtered_no_consent", "duplicate_turns",
              "linked_turns", "released_conversations")
FLOW_KEYS = ("reread_records", "turns_in_conversations", "planned_leaves", "plans", "conversations",
             "plans_without_record", "stage_failed", "rows")
_COUNTED = {
    "input_records": ("counts", "input_records"),
    "reread_records": ("flow", "reread_records"),
    "deadletter": ("counts", "deadletter"),
    "filtered_no_consent": ("counts", "filtered_no_consent"),
    "duplicate_turns": ("counts", "duplicate_turns"),
    "linked_turns": ("counts", "linked_turns"),
    "planned_leaves": ("flow", "planned_leaves"),
    "plans": ("flow", "plans"),
    "conversations": ("flow", "conversations"),
    "plans_without_record": ("flow", "plans_without_record"),
    "stage_failed": ("flow", "stage_failed"),
    "rows": ("flow", "rows"),
}
INPUTS = tuple(_COUNTED) + ("input_files", "tiers", "group_sizes", "duplicate_group_sizes",
                            "turns_in_trees", "released", "stat_events", "variant_rows", "shards")
RELEASED_VARIANT = "full"  # released_conversations counts its rows


def _line(item) -> str:
    return orjson.dumps(item).decode()


def _conversation_stats(conv):
    """Manifest statistics of one conversation: `stats` entries left by the stages."""
    yield "orphan_conversations", int(conv["orphan"])
    yield from conv.get("stats", {}).items()


def _stage_of(letter: dict) -> str:
    return letter["stage"]


def _labelled(section: str, prefix: str = ""):
    def label(kv):
        return [section, f"{prefix}{kv[0]}", kv[1]]
    return label


class ReleaseStats(beam.PTransform):
    """dict of named PCollections (see the module docstring) -> stats lines written to `path`."""

    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def expand(self, pcolls: dict):
        missing, unknown = sorted(set(INPUTS) - set(pcolls)), sorted(set(pcolls) - set(INPUTS))
        if missing or unknown:
            raise ValueError(f"ReleaseStats: missing inputs {missing}, unknown inputs {unknown}")
        lines = [
            pcolls[name]
            | f"Count_{name}" >> beam.combiners.Count.Globally()
            | f"Label_{name}" >> beam.Map(lambda n, where=where: [*where, n])
            for name, where in _COUNTED.items()
        ]
        lines += [
            pcolls["deadletter"]
            | "Reasons" >> beam.Map(lambda d: d["reason"])
            | "CountReasons" >> beam.combiners.Count.PerElement()
            | "LabelReasons" >> beam.Map(_labelled("stats", "deadletter.")),
            pcolls["stage_failed"]
            | "FailedStages" >> beam.Map(_stage_of)
            | "CountFailedStages" >> beam.combiners.Count.PerElement()
            | "LabelFailedStages" >> beam.Map(_labelled("stats", "stage_failed.")),
            pcolls["tiers"]
            | "CountTiers" >> beam.combiners.Count.PerElement()
            | "LabelTiers" >> beam.Map(_labelled("stats", "link.")),
            pcolls["group_sizes"]
            | "LargestGroups" >> beam.CombinePerKey(max)
            | "LabelGroups" >> beam.Map(_labelled("stats", "linking.largest_group.")),
            pcolls["duplicate_group_sizes"]
            | "LargestDuplicateGroups" >> beam.CombinePerKey(max)
            | "LabelDuplicateGroups" >> beam.Map(_labelled("stats", "duplicates.largest_group.")),
            pcolls["turns_in_trees"]
            | "SumTreeTurns" >> beam.CombineGlobally(sum)
            | "LabelTreeTurns" >> beam.Map(lambda n: ["flow", "turns_in_conversations", n]),
            (pcolls["released"] | "StageStats" >> beam.FlatMap(_conversation_stats),
             pcolls["stat_events"])
            | "AllStats" >> beam.Flatten()
            | "SumStats" >> beam.CombinePerKey(sum)
            | "LabelStats" >> beam.Map(_labelled("stats")),
            pcolls["variant_rows"]
            | "CountVariantRows" >> beam.combiners.Count.PerElement()
            | "LabelVariantRows" >> beam.Map(_labelled("variant_rows")),
            pcolls["input_files"] | "LabelFiles" >> beam.Map(lambda f: ["input_files", f["read"], f]),
            pcolls["shards"] | "LabelShards" >> beam.Map(lambda s: ["shards", s["variant"], s]),
        ]
        return (
            lines
            | "AllLines" >> beam.Flatten()
            | "ToJson" >> beam.Map(_line)
            | "Write" >> beam.io.WriteToText(self._path, num_shards=1, shard_name_template="")
        )


@dataclasses.dataclass
class RunStats:
    """What `ReleaseStats` wrote, folded: the publisher's input."""

    counts: dict
    flow: dict
    stats: dict
    shards: list  # ShardStats dicts, sorted by path
    input_files: dict  # read name -> {path: fingerprint}
    variant_rows: dict  # variant -> rows sent to its writer

    @classmethod
    def from_lines(cls, lines: Iterable[bytes | str]) -> "RunStats":
        run = cls({k: 0 for k in COUNT_KEYS}, {k: 0 for k in FLOW_KEYS}, {}, [], {}, {})
        for line in lines:
            if not line.strip():
                continue
            section, name, value = orjson.loads(line)
            if section == "shards":
                run.shards.append(value)
            elif section == "input_files":
                run.input_files.setdefault(name, {})[value["path"]] = value
            else:
                getattr(run, section)[name] = value
        run.stats = dict(sorted(run.stats.items()))
        run.variant_rows = dict(sorted(run.variant_rows.items()))
        run.counts["released_conversations"] = run.variant_rows.get(RELEASED_VARIANT, 0)
        run.shards.sort(key=lambda s: s["path"])
        return run


def read_stats(path: str) -> RunStats:
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path) as fh:
        return RunStats.from_lines(fh.read().splitlines())

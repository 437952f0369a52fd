"""Do the run's numbers close? Every identity a release is published on, as a pure function.

A runner that drops or duplicates elements, a join that misses, or an input that changes
between the two reads all show up as an identity that does not hold. `reconcile` returns one
line per broken identity, naming the step between the two numbers; the publisher refuses to
publish when there is any.

  input files     the second read saw the same files with the same bytes (size, sha256,
                  records, mtime) as the first
  read            records in the files (first read) == input_records reaching Parse;
                  likewise for the second read
  records         input_records == deadletter + filtered_no_consent + duplicate_turns + linked_turns
  link            linked_turns == turns in the planned conversation trees, and every leaf
                  the plan step was asked for became a plan (planned_leaves == plans)
  assemble        plans == conversations + plans_without_record + stage_failed.assemble, and
                  plans_without_record == 0
  stages          conversations == rows + stage_failed.<stage> for language, pii, toxicity,
                  rows and write (each stage passes a conversation on or dead-letters it,
                  `transforms/guard.py`); stage_failed == the sum of its stages
  variants        per variant: rows kept + rows that left it (SplitVariants' counts) == rows,
                  and rows kept == rows sent to its writer
  duplicates      every row that took part in duplicate detection got its verdict
                  (duplicates.without_verdict == 0)
  sft             the sft export's rows + the rows its filters kept out (sft.rows +
                  sft.left.<reason>) == the rows of the variant it exports, and its rows ==
                  the rows sent to its writer
  write           per variant and the sft export: rows sent to the writer == rows in part
                  files == rows in shards, and exactly num_shards distinct shards
"""
from __future__ import annotations

from transforms.guard import STAGES
from transforms.sft import SFT
from transforms.stats import RunStats

__all__ = ["reconcile", "input_changes", "NotPublished"]


class NotPublished(RuntimeError):
    """The run finished but its numbers do not close; nothing was published."""


def _short(sha: str | None) -> str:
    return (sha or "?")[:12]


def input_changes(files: dict) -> list[str]:
    """Differences between the two reads' file fingerprints (`RunStats.input_files`)."""
    first, second = files.get("read", {}), files.get("reread", {})
    problems = []
    for path in sorted(set(first) | set(second)):
        a, b = first.get(path), second.get(path)
        if a is None or b is None:
            problems.append(f"input changed between the two reads: {path} "
                            f"{'appeared' if a is None else 'disappeared'}")
            continue
        diffs = [f"{field} {a[field]} -> {b[field]}" for field in ("bytes", "records", "mtime")
                 if a[field] != b[field]]
        if a["sha256"] != b["sha256"]:
            diffs.append(f"sha256 {_short(a['sha256'])} -> {_short(b['sha256'])}")
        if diffs:
            problems.append(f"input changed between the two reads: {path}: {', '.join(diffs)}")
    return problems


def _records_read(files: dict, name: str) -> int:
    return sum(f["records"] for f in files.get(name, {}).values())


def _write_problems(run: RunStats, rows_by_variant: dict, num_shards: int) -> list[str]:
    problems = []
    variants = sorted(set(rows_by_variant) | {s["variant"] for s in run.shards})
    for variant in variants:
        shards = [s for s in run.shards if s["variant"] == variant]
        rows = rows_by_variant.get(variant, 0)
        in_parts = sum(s["part_rows"] for s in shards)
        in_shards = sum(s["rows"] for s in shards)
        names = {s["path"] for s in shards}
        if len(shards) != num_shards or len(names) != num_shards:
            problems.append(f"write ({variant}): {num_shards} shards expected, {len(names)} distinct "
                            f"of {len(shards)} written")
        if rows != in_parts:
            problems.append(f"write ({variant}): {rows} rows were sent to the writer but its part "
                            f"files hold {in_parts} ({in_parts - rows:+d})")
        if in_parts != in_shards:
            problems.append(f"write ({variant}): the part files hold {in_parts} rows but the shards "
                            f"{in_shards} ({in_shards - in_parts:+d})")
    return problems


def reconcile(run: RunStats, num_shards: int, sft_variant: str | None = None) -> list[str]:
    """One message per identity that does not hold (empty: the run may be published).
    `sft_variant`: the variant the sft export was made from (None: no export)."""
    c, f = run.counts, run.flow
    problems = input_changes(run.input_files)
    for read, reached in (("read", c["input_records"]), ("reread", f["reread_records"])):
        in_files = _records_read(run.input_files, read)
        if in_files != reached:
            problems.append(f"{read}: the files hold {in_files} records but {reached} left the "
                            f"reader ({reached - in_files:+d})")
    accounted = c["deadletter"] + c["filtered_no_consent"] + c["duplicate_turns"] + c["linked_turns"]
    if c["input_records"] != accounted:
        problems.append(
            f"records: {c['input_records']} input records but {accounted} accounted for "
            f"(dead-letter {c['deadletter']} + no consent {c['filtered_no_consent']} + duplicates "
            f"{c['duplicate_turns']} + linked {c['linked_turns']}): parse, consent or link lost "
            f"{c['input_records'] - accounted}")
    if c["linked_turns"] != f["turns_in_conversations"]:
        problems.append(f"link: {c['linked_turns']} linked turns but {f['turns_in_conversations']} "
                        "in the planned conversation trees")
    if f["planned_leaves"] != f["plans"]:
        problems.append(f"link: {f['planned_leaves']} leaves to plan but {f['plans']} plans made "
                        f"({f['plans'] - f['planned_leaves']:+d})")
    if f["plans_without_record"]:
        problems.append(f"assemble: {f['plans_without_record']} plans found no leaf record on the "
                        "second read (data lost)")
    failed = {stage: run.stats.get(f"stage_failed.{stage}", 0) for stage in STAGES}
    if sum(failed.values()) != f.get("stage_failed", 0):
        problems.append(f"stages: {f.get('stage_failed', 0)} stage failures but "
                        f"{sum(failed.values())} counted per stage")
    assembled = f["conversations"] + f["plans_without_record"] + failed["assemble"]
    if f["plans"] != assembled:
        lost = f["plans"] - assembled
        failures = f", {failed['assemble']} failed" if failed["assemble"] else ""
        problems.append(f"assemble: {f['plans']} plans but {f['conversations']} conversations "
                        f"assembled{failures} and {f['plans_without_record']} plans without a "
                        f"record ({lost:+d} lost between Link and Assemble)")
    after = sum(n for stage, n in failed.items() if stage != "assemble")
    if f["conversations"] != f["rows"] + after:
        problems.append(f"stages: {f['conversations']} conversations assembled but {f['rows']} rows "
                        f"and {after} stage failures (language, PII, toxicity, rows or write lost "
                        f"{f['conversations'] - f['rows'] - after})")
    problems += _variant_problems(run)
    unjudged = run.stats.get("duplicates.without_verdict", 0)
    if unjudged:
        problems.append(f"duplicates: {unjudged} rows got no duplicate verdict (a join of "
                        "duplicate detection lost them)")
    if sft_variant is not None:
        problems += _sft_problems(run, sft_variant)
    problems += _write_problems(run, run.variant_rows, num_shards)
    return problems


def _kept_and_left(run: RunStats, prefix: str) -> tuple:
    """(`<prefix>rows`, the sum of `<prefix>left.*`) from the stats."""
    left = sum(v for k, v in run.stats.items() if k.startswith(f"{prefix}left."))
    return run.stats.get(f"{prefix}rows", 0), left


def _sft_problems(run: RunStats, variant: str) -> list[str]:
    rows = run.stats.get(f"variants.{variant}.rows", 0)
    (kept, left), written = _kept_and_left(run, f"{SFT}."), run.variant_rows.get(SFT, 0)
    problems = []
    if kept + left != rows:
        problems.append(f"sft: {kept} rows exported + {left} filtered != {rows} rows of the "
                        f"{variant} variant ({kept + left - rows:+d})")
    if kept != written:
        problems.append(f"sft: {kept} rows exported but {written} sent to its writer")
    return problems


def _variant_problems(run: RunStats) -> list[str]:
    problems, rows = [], run.flow["rows"]
    names = sorted((set(run.variant_rows) - {SFT}) | {k.split(".")[1] for k in run.stats
                                                      if k.startswith("variants.")})
    for name in names:
        (kept, left), written = _kept_and_left(run, f"variants.{name}."), run.variant_rows.get(name, 0)
        if kept + left != rows:
            problems.append(f"variants ({name}): {kept} rows kept + {left} left it != {rows} rows "
                            f"({kept + left - rows:+d})")
        if kept != written:
            problems.append(f"variants ({name}): {kept} rows kept but {written} sent to its writer")
    return problems

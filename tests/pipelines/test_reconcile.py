"""The identities a release is published on: one broken number at a time, each message names
the step that lost what."""
from __future__ import annotations

import copy

import pytest

from pipelines.reconcile import input_changes, reconcile
from transforms.stats import RunStats


def fingerprint(read, path, records, sha="a" * 64, size=100, mtime=1.5):
    return {"read": read, "path": path, "bytes": size, "mtime": mtime, "sha256": sha, "records": records}


def shard(i, rows, part_rows=None, variant="full"):
    return {"variant": variant, "path": f"out/release/R/data/{variant}/train-{i:05d}-of-00002.parquet",
            "rows": rows, "part_rows": rows if part_rows is None else part_rows, "bytes": 10, "sha256": "b" * 64}


def closed_run() -> RunStats:
    """10 records: 1 dead letter, 2 without consent, 1 duplicate, 6 linked turns in 3
    conversations, all 3 in variant full (2 + 1 rows), 1 in variant nontoxic (2 left it)."""
    files = {read: {"in/a.jsonl": fingerprint(read, "in/a.jsonl", 6),
                    "in/b.jsonl.gz": fingerprint(read, "in/b.jsonl.gz", 4, sha="c" * 64)}
             for read in ("read", "reread")}
    return RunStats(
        counts={"input_records": 10, "deadletter": 1, "filtered_no_consent": 2, "duplicate_turns": 1,
                "linked_turns": 6, "released_conversations": 3},
        flow={"reread_records": 10, "turns_in_conversations": 6, "planned_leaves": 3, "plans": 3,
              "conversations": 3,
              "plans_without_record": 0, "rows": 3},
        stats={"variants.full.rows": 3, "variants.nontoxic.rows": 1,
               "variants.nontoxic.left.toxic": 1, "variants.nontoxic.left.unjudged": 1},
        shards=[shard(0, 2), shard(1, 1), shard(0, 1, variant="nontoxic"), shard(1, 0, variant="nontoxic")],
        input_files=files, variant_rows={"full": 3, "nontoxic": 1})


def changed(section, **values) -> RunStats:
    run = closed_run()
    getattr(run, section).update(values)
    return run


def one_conversation_fewer(**flow) -> RunStats:
    """Only 2 conversations reach the rows and the shards (2 + 0 rows); the toxic one is lost."""
    run = changed("flow", conversations=2, rows=2, **flow)
    run.counts["released_conversations"] = run.variant_rows["full"] = run.stats["variants.full.rows"] = 2
    run.stats["variants.nontoxic.left.toxic"] = 0
    run.shards[:2] = [shard(0, 2), shard(1, 0)]
    return run


def test_a_run_whose_numbers_close_has_no_problem():
    assert reconcile(closed_run(), num_shards=2) == []


@pytest.mark.parametrize("run, message", [
    (changed("counts", deadletter=0),
     "records: 10 input records but 9 accounted for (dead-letter 0 + no consent 2 + duplicates 1 "
     "+ linked 6): parse, consent or link lost 1"),
    (changed("flow", turns_in_conversations=5), "link: 6 linked turns but 5 in the planned conversation trees"),
    (changed("flow", planned_leaves=4), "link: 4 leaves to plan but 3 plans made (-1)"),
    (one_conversation_fewer(),
     "assemble: 3 plans but 2 conversations assembled and 0 plans without a record (+1 lost between "
     "Link and Assemble)"),
    (changed("flow", reread_records=9), "reread: the files hold 10 records but 9 left the reader (-1)"),
    (changed("counts", input_records=11, deadletter=2),
     "read: the files hold 10 records but 11 left the reader (+1)"),
], ids=["a record lost before linking", "a turn lost in the trees", "a plan lost in the plan step", "a plan lost before Assemble",
        "a record lost on the second read", "a record duplicated on the first read"])
def test_each_broken_identity_names_the_step(run, message):
    assert reconcile(run, num_shards=2) == [message]


def test_a_plan_without_its_leaf_record_is_data_lost():
    run = one_conversation_fewer(plans_without_record=1)
    assert reconcile(run, 2) == ["assemble: 1 plans found no leaf record on the second read (data lost)"]


def test_rows_lost_in_a_stage_between_variants_or_in_the_writer():
    run = changed("flow", rows=2)
    assert reconcile(run, 2) == [
        "stages: 3 conversations assembled but 2 rows and 0 stage failures (language, PII, "
        "toxicity, rows or write lost 1)",
        "variants (full): 3 rows kept + 0 left it != 2 rows (+1)",
        "variants (nontoxic): 1 rows kept + 2 left it != 2 rows (+1)"]

    run = closed_run()
    run.variant_rows["nontoxic"] = 0  # the (variant, row) pair never reached the writer
    run.shards[2:] = [shard(0, 0, variant="nontoxic"), shard(1, 0, variant="nontoxic")]
    assert reconcile(run, 2) == ["variants (nontoxic): 1 rows kept but 0 sent to its writer"]

    run = closed_run()
    run.shards[:2] = [shard(0, 1), shard(1, 1)]  # a row never reached a part file
    assert reconcile(run, 2) == ["write (full): 3 rows were sent to the writer but its part files hold 2 (-1)"]

    run = closed_run()
    run.shards[:2] = [shard(0, 1, part_rows=2), shard(1, 1)]  # a part file's row missing from its shard
    assert reconcile(run, 2) == ["write (full): the part files hold 3 rows but the shards 2 (-1)"]

    run = closed_run()
    run.counts["released_conversations"] = run.variant_rows["full"] = 2  # released = full's rows
    assert reconcile(run, 2) == ["variants (full): 3 rows kept but 2 sent to its writer",
                                 "write (full): 2 rows were sent to the writer but its part files hold 3 (+1)"]


def test_conversations_a_stage_failed_on_close_the_identity_when_counted():
    """One conversation dead-lettered by PII scrubbing (stage_failed.pii): 2 rows remain."""
    run = one_conversation_fewer(stage_failed=1)
    run.flow["conversations"] = 3
    run.stats["stage_failed.pii"] = 1
    assert reconcile(run, 2) == []

    uncounted = copy.deepcopy(run)
    uncounted.stats["stage_failed.pii"] = 0
    assert reconcile(uncounted, 2) == [
        "stages: 1 stage failures but 0 counted per stage",
        "stages: 3 conversations assembled but 2 rows and 0 stage failures (language, PII, "
        "toxicity, rows or write lost 1)"]

    assembly = one_conversation_fewer(stage_failed=1)  # Assemble failed on it (guarded later)
    assembly.stats["stage_failed.assemble"] = 1
    assert reconcile(assembly, 2) == []


def test_every_shard_is_written_exactly_once():
    run = closed_run()
    run.shards[1] = shard(0, 1)  # shard 0 finalized twice, shard 1 never
    assert reconcile(run, 2) == ["write (full): 2 shards expected, 1 distinct of 2 written"]
    assert reconcile(closed_run(), num_shards=3) == [
        "write (full): 3 shards expected, 2 distinct of 2 written",
        "write (nontoxic): 3 shards expected, 2 distinct of 2 written"]


def test_an_input_file_that_changed_between_the_reads_is_named_with_what_changed():
    files = closed_run().input_files
    assert input_changes(files) == []
    grown = copy.deepcopy(files)
    grown["reread"]["in/a.jsonl"].update(bytes=130, records=7, sha256="d" * 64, mtime=2.0)
    assert input_changes(grown) == [
        "input changed between the two reads: in/a.jsonl: bytes 100 -> 130, records 6 -> 7, "
        "mtime 1.5 -> 2.0, sha256 aaaaaaaaaaaa -> dddddddddddd"]
    rewritten = copy.deepcopy(files)  # same size, same records, same mtime: only the bytes tell
    rewritten["reread"]["in/b.jsonl.gz"]["sha256"] = "e" * 64
    assert input_changes(rewritten) == [
        "input changed between the two reads: in/b.jsonl.gz: sha256 cccccccccccc -> eeeeeeeeeeee"]
    swapped = copy.deepcopy(files)
    swapped["reread"]["in/c.jsonl"] = swapped["reread"].pop("in/b.jsonl.gz")
    assert input_changes(swapped) == ["input changed between the two reads: in/b.jsonl.gz disappeared",
                                      "input changed between the two reads: in/c.jsonl appeared"]


def with_sft(exported=1, written=None, left=None) -> RunStats:
    """closed_run with an sft export of nontoxic (1 row): `exported` counted, `written` sent
    to its writer, `left` counted as filtered."""
    run = closed_run()
    run.stats.update({"sft.rows": exported, **(left or {})})
    run.variant_rows["sft"] = exported if written is None else written
    run.shards += [shard(0, run.variant_rows["sft"], variant="sft"), shard(1, 0, variant="sft")]
    return run


def test_the_sft_export_accounts_for_every_row_of_its_variant():
    assert reconcile(with_sft(), 2, sft_variant="nontoxic") == []
    assert reconcile(with_sft(0, left={"sft.left.near_duplicate": 1}), 2, sft_variant="nontoxic") == []
    assert reconcile(with_sft(0), 2, sft_variant="nontoxic") == [
        "sft: 0 rows exported + 0 filtered != 1 rows of the nontoxic variant (-1)"]
    assert reconcile(with_sft(1, written=0), 2, sft_variant="nontoxic") == [
        "sft: 1 rows exported but 0 sent to its writer"]
    # the sft rows are no variant of their own: the variant identities leave them alone
    assert reconcile(with_sft(), 2) == []


def test_a_row_without_a_duplicate_verdict_stops_the_release():
    run = changed("stats", **{"duplicates.without_verdict": 2})
    assert reconcile(run, 2) == ["duplicates: 2 rows got no duplicate verdict (a join of "
                                 "duplicate detection lost them)"]

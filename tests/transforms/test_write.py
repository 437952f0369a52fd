"""WriteRelease / WriteVariants: every row lands in the shard its conversation_id hashes to,
shards are sorted, typed by the explicit schema and written even when empty, the stats match
the files, and the bytes do not depend on row order or on how rows were cut into parts."""
import hashlib

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.release import release_schema
from tests.transforms.test_rows import conversation, message
from transforms.rows import to_release_row
from transforms.write import WriteRelease, WriteVariants, shard_name, shard_of

SHARDS = 3


def row(conversation_id: str) -> dict:
    conv = conversation([message("user", f"question {conversation_id}"),
                         message("assistant", "answer")], conversation_id=conversation_id)
    return to_release_row(conv)


def ids_filling_shards(wanted: set, per_shard: int = 3) -> list:
    """Conversation ids that hash into exactly the shards in `wanted`."""
    ids, n = [], 0
    while len(ids) < per_shard * len(wanted):
        cid = f"{n}-{n + 1}"
        n += 1
        if shard_of(cid, SHARDS) in wanted and sum(shard_of(i, SHARDS) == shard_of(cid, SHARDS) for i in ids) < per_shard:
            ids.append(cid)
    return ids


def write(rows, folder, flush_rows=2):
    data, parts = folder / "data", folder / "parts"
    with TestPipeline() as p:
        stats = p | beam.Create(rows) | WriteRelease(str(data), str(parts), SHARDS, release_schema(),
                                                     flush_rows=flush_rows)
        assert_that(stats | beam.Map(lambda s: (s["path"].rsplit("/", 1)[1], s["rows"], s["part_rows"])),
                    equal_to([(shard_name(i, SHARDS), n, n) for i, n in enumerate(expected_rows(rows))]))
    return {p.name: p.read_bytes() for p in sorted(data.iterdir())}


def expected_rows(rows):
    counts = [0] * SHARDS
    for r in rows:
        counts[shard_of(r["conversation_id"], SHARDS)] += 1
    return counts


def test_rows_land_in_their_shard_sorted_and_every_shard_is_written(tmp_path):
    ids = ids_filling_shards({0, 2})  # shard 1 gets nothing
    files = write([row(i) for i in ids], tmp_path)
    assert sorted(files) == [shard_name(i, SHARDS) for i in range(SHARDS)]
    for i in range(SHARDS):
        table = pq.read_table(tmp_path / "data" / shard_name(i, SHARDS))
        assert table.schema.remove_metadata() == release_schema().remove_metadata()
        got = table.column("conversation_id").to_pylist()
        assert got == sorted(c for c in ids if shard_of(c, SHARDS) == i)
    assert pq.read_table(tmp_path / "data" / shard_name(1, SHARDS)).num_rows == 0


def test_the_bytes_do_not_depend_on_row_order_or_part_sizes(tmp_path):
    rows = [row(i) for i in ids_filling_shards({0, 1, 2}, per_shard=4)]
    assert write(rows, tmp_path / "a", flush_rows=2) == write(rows[::-1], tmp_path / "b", flush_rows=100)


def test_shard_stats_describe_the_files_and_variants_go_to_their_folders(tmp_path):
    rows = [row(i) for i in ids_filling_shards({0, 1, 2}, per_shard=1)]
    dirs = {v: str(tmp_path / v / "data") for v in ("full", "nontoxic")}
    parts = {v: str(tmp_path / v / "parts") for v in dirs}
    with TestPipeline() as p:
        variant_rows = p | beam.Create([("full", r) for r in rows] + [("nontoxic", rows[0])])
        stats = variant_rows | WriteVariants(dirs, parts, SHARDS, release_schema())
        assert_that(stats | beam.Map(_checked), equal_to(
            [("full", 1)] * 3 + [("nontoxic", 1)] + [("nontoxic", 0)] * 2))


def _checked(stats):
    data = open(stats["path"], "rb").read()
    assert (len(data), hashlib.sha256(data).hexdigest()) == (stats["bytes"], stats["sha256"])
    assert f"/{stats['variant']}/data/" in stats["path"]
    return stats["variant"], stats["rows"]

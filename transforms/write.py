"""Write the release as deterministic, zstd-compressed Parquet shards.

`WriteRelease`: PCollection[row dict] -> PCollection[ShardStats], one per shard:
{"variant", "path", "rows", "bytes", "arrow_bytes", "sha256", "part_rows"}; `part_rows` is
what the part writers claim they wrote for the shard, `rows` what the shard holds (the
publisher checks both against the rows that reached the writer); `arrow_bytes` is the size of
the shard decoded back into Arrow (the card's `num_bytes`, what `datasets` calls a split's size).

Shard of a row = xxh3_64(conversation_id) mod num_shards, so assignment is deterministic.
Rows stream from every worker into small part files per shard (no shuffle of text, parts go
to a scratch folder); the part paths are joined to the shard ids by key, and one worker per
shard reads that shard's parts, sorts rows by conversation_id and writes
`<data_dir>/train-SSSSS-of-NNNNN.parquet` with the explicit schema. Same rows, same bytes.
Every shard is written, empty or not. Memory per finalizing worker is bounded by one shard:
choose num_shards so shards stay small (a few hundred MB).

`EncodableRows(schema)`: PCollection[row] -> PCollection[row] (main output `rows`) plus
tagged output `STAGE_FAILED`: the rows the writer can encode with the release schema go on;
a row it cannot encode (a value of the wrong type, a string with no UTF-8 form) leaves as the
dead letter of its conversation (`transforms/guard.py`), once, before the variants are split,
so the writers meet only rows they can write and a failure cannot stop the job. Rows are
checked in batches; a batch that fails is checked row by row.

Metrics (namespace "write"): rows, parts, shards; stage_failed/write.
"""
from __future__ import annotations

import hashlib
import uuid

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from transforms.guard import STAGE_FAILED, GuardedFn

__all__ = ["EncodableRows", "WriteRelease", "WriteVariants", "shard_of", "shard_name"]

NS = "write"
ROW_GROUP_SIZE = 10_000


def shard_of(conversation_id: str, num_shards: int) -> int:
    return xxhash.xxh3_64_intdigest(conversation_id.encode()) % num_shards


def shard_name(shard: int, num_shards: int) -> str:
    return f"train-{shard:05d}-of-{num_shards:05d}.parquet"


class _WritePartsFn(beam.DoFn):
    def __init__(self, parts_dir: str, num_shards: int, schema: pa.Schema, flush_rows: int):
        self._dir, self._n, self._schema, self._flush = parts_dir, num_shards, schema, flush_rows
        self._rows = Metrics.counter(NS, "rows")
        self._parts = Metrics.counter(NS, "parts")

    def start_bundle(self):
        self._buffers = {}

    def process(self, row):
        shard = shard_of(row["conversation_id"], self._n)
        buf = self._buffers.setdefault(shard, [])
        buf.append(row)
        self._rows.inc()
        if len(buf) >= self._flush:
            yield self._write(shard, self._buffers.pop(shard))

    def finish_bundle(self):
        for shard, rows in sorted(self._buffers.items()):
            yield WindowedValue(self._write(shard, rows), MIN_TIMESTAMP, [GlobalWindow()])
        self._buffers = {}

    def _write(self, shard, rows):
        path = FileSystems.join(self._dir, f"shard-{shard:05d}", f"{uuid.uuid4().hex}.parquet")
        table = pa.Table.from_pylist(rows, schema=self._schema)
        with FileSystems.create(path) as fh:
            pq.write_table(table, fh, compression="zstd")
        self._parts.inc()
        return shard, (path, len(rows))


class _FinalizeShardFn(beam.DoFn):
    def __init__(self, data_dir: str, num_shards: int, schema: pa.Schema, variant: str):
        self._dir, self._n, self._schema, self._variant = data_dir, num_shards, schema, variant
        self._shards = Metrics.counter(NS, "shards")

    def process(self, element):
        shard, joined = element
        parts = sorted(joined[_PARTS])
        tables = [self._schema.empty_table()]
        for path, _ in parts:
            with FileSystems.open(path) as fh:
                tables.append(pq.read_table(fh, schema=self._schema))
        table = pa.concat_tables(tables).sort_by("conversation_id")
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd", row_group_size=ROW_GROUP_SIZE)
        data = sink.getvalue().to_pybytes()
        path = FileSystems.join(self._dir, shard_name(shard, self._n))
        with FileSystems.create(path) as fh:
            fh.write(data)
        self._shards.inc()
        # Decoded from the bytes just written, so the size does not depend on how the parts
        # were chunked (the same rows give the same number).
        arrow_bytes = pq.read_table(pa.BufferReader(data)).nbytes
        yield {"variant": self._variant, "path": path, "rows": table.num_rows, "bytes": len(data),
               "arrow_bytes": arrow_bytes, "sha256": hashlib.sha256(data).hexdigest(),
               "part_rows": sum(n for _, n in parts)}


_SHARDS, _PARTS = "shards", "parts"


class _EncodeCheckFn(beam.DoFn):
    def __init__(self, schema: pa.Schema):
        self._schema = schema

    def process(self, batch):
        pa.Table.from_pylist(list(batch), schema=self._schema)  # what _WritePartsFn will do
        yield from batch


class EncodableRows(beam.PTransform):
    """See the module docstring."""

    def __init__(self, schema: pa.Schema, batch_size: int = 256):
        super().__init__()
        self._schema, self._batch = schema, batch_size

    def expand(self, rows):
        return (
            rows
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self._batch)
            | "Encode" >> beam.ParDo(GuardedFn("write", _EncodeCheckFn(self._schema), batched=True))
            .with_outputs(STAGE_FAILED, main="rows")
        )


class WriteRelease(beam.PTransform):
    """PCollection[row] -> PCollection[ShardStats]; shards go to `data_dir`, part files to
    `parts_dir` (scratch: the caller removes it)."""

    def __init__(self, data_dir: str, parts_dir: str, num_shards: int, schema: pa.Schema,
                 variant: str = "full", flush_rows: int = 2000):
        super().__init__()
        if num_shards <= 0:
            raise ValueError(f"num_shards must be positive, got {num_shards!r}")
        self._data_dir, self._parts_dir = data_dir, parts_dir
        self._n, self._schema, self._variant, self._flush = num_shards, schema, variant, flush_rows

    def expand(self, rows):
        parts = rows | "WriteParts" >> beam.ParDo(
            _WritePartsFn(self._parts_dir, self._n, self._schema, self._flush))
        shard_ids = rows.pipeline | "ShardIds" >> beam.Create([(i, None) for i in range(self._n)])
        return (
            {_SHARDS: shard_ids, _PARTS: parts}
            | "PartsByShard" >> beam.CoGroupByKey()
            | "FinalizeShards" >> beam.ParDo(
                _FinalizeShardFn(self._data_dir, self._n, self._schema, self._variant))
        )


def _in_variant(element, name):
    return element[0] == name


class WriteVariants(beam.PTransform):
    """PCollection[(variant, row)] (from `SplitVariants`) -> PCollection[ShardStats] of every
    variant: each variant is written by its own `WriteRelease` to `data_dirs[variant]`."""

    def __init__(self, data_dirs: dict, parts_dirs: dict, num_shards: int, schema: pa.Schema):
        super().__init__()
        if set(data_dirs) != set(parts_dirs):
            raise ValueError(f"variants without a folder: {sorted(set(data_dirs) ^ set(parts_dirs))}")
        self._data, self._parts, self._n, self._schema = data_dirs, parts_dirs, num_shards, schema

    def expand(self, variant_rows):
        return [
            variant_rows
            | f"Only_{name}" >> beam.Filter(_in_variant, name)
            | f"Rows_{name}" >> beam.Values()
            | f"Write_{name}" >> WriteRelease(self._data[name], self._parts[name], self._n,
                                               self._schema, variant=name)
            for name in sorted(self._data)
        ] | "AllShards" >> beam.Flatten()

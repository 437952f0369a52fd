"""Write the release as deterministic, zstd-compressed Parquet shards.

`WriteRelease`: PCollection[row dict] -> PCollection[shard stats dict].

Shard of a row = xxh3_64(conversation_id) mod num_shards, so assignment is deterministic.
Rows stream from every worker into small part files per shard (no shuffle of text); then one
worker per shard reads that shard's parts, sorts rows by conversation_id and writes
`data/train-SSSSS-of-NNNNN.parquet` with the explicit schema. Same rows, same bytes.
Memory per finalizing worker is bounded by one shard: choose num_shards so shards stay small
(a few hundred MB).

Metrics (namespace "write"): rows, parts, shards.
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

__all__ = ["WriteRelease", "shard_of", "shard_name"]

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
        return shard, path


class _FinalizeShardFn(beam.DoFn):
    def __init__(self, data_dir: str, num_shards: int, schema: pa.Schema):
        self._dir, self._n, self._schema = data_dir, num_shards, schema
        self._shards = Metrics.counter(NS, "shards")

    def process(self, shard, parts):
        tables = [self._schema.empty_table()]
        for part_shard, path in sorted(parts):
            if part_shard == shard:
                with FileSystems.open(path) as fh:
                    tables.append(pq.read_table(fh, schema=self._schema))
        table = pa.concat_tables(tables).sort_by("conversation_id")
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd", row_group_size=ROW_GROUP_SIZE)
        data = sink.getvalue().to_pybytes()
        name = shard_name(shard, self._n)
        with FileSystems.create(FileSystems.join(self._dir, name)) as fh:
            fh.write(data)
        self._shards.inc()
        yield {"file": f"data/{name}", "rows": table.num_rows, "bytes": len(data),
               "sha256": hashlib.sha256(data).hexdigest()}


class WriteRelease(beam.PTransform):
    def __init__(self, release_dir: str, parts_dir: str, num_shards: int, schema: pa.Schema,
                 flush_rows: int = 2000):
        super().__init__()
        if num_shards <= 0:
            raise ValueError(f"num_shards must be positive, got {num_shards!r}")
        self._release_dir, self._parts_dir = release_dir, parts_dir
        self._n, self._schema, self._flush = num_shards, schema, flush_rows

    def expand(self, rows):
        parts = rows | "WriteParts" >> beam.ParDo(
            _WritePartsFn(self._parts_dir, self._n, self._schema, self._flush))
        return (
            rows.pipeline
            | "ShardIds" >> beam.Create(list(range(self._n)))
            | "SpreadShards" >> beam.Reshuffle()
            | "FinalizeShards" >> beam.ParDo(
                _FinalizeShardFn(FileSystems.join(self._release_dir, "data"), self._n, self._schema),
                parts=beam.pvalue.AsList(parts))
        )

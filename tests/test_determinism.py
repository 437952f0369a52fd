"""Determinism: the same input, config and key give the same release bytes, the same dead
letters, report and cards, and the same manifest (minus the run id, the publication time and
the output folder), however the runner schedules the work. The reference is the session's fast release
(DirectRunner, 2 worker processes, files listed as the filesystem lists them);
tests/test_portable_runner.py compares the PortableRunner's run with it the same way."""
from __future__ import annotations

import copy

from apache_beam.io.filesystems import FileSystems

from pipelines import layout
from tests.conftest import run_release

RUN_SPECIFIC = ("run_id", "published_at")


def release_fingerprint(out) -> dict:
    """Everything a run publishes that must not depend on scheduling: the manifest (which
    lists every shard with its sha256) without run id, times and output folder, the dead
    letters' bytes, and the report's files and the cards (with the run id blanked out)."""
    run = layout.latest_run(str(out))
    manifest = copy.deepcopy(layout.read_manifest(str(out)))
    for key in RUN_SPECIFIC:
        manifest.pop(key)
    manifest["config"].pop("output")

    def files(folder):
        return {p.name: p.read_bytes().replace(run.encode(), b"<run>") for p in sorted(folder.iterdir())}

    deadletters = files(out / "deadletter" / run)
    assert deadletters and any(deadletters.values())  # the sample has dead letters
    report = files(out / "report" / run)
    assert {"stats.json", "report.md", "report.html"} <= set(report)
    cards = {name: (out / "release" / path).read_bytes().replace(run.encode(), b"<run>")
             for name, path in (("run", f"{run}/README.md"), ("current", "README.md"))}
    return {"manifest": manifest, "deadletter": deadletters, "report": report, "cards": cards}


def test_one_worker_and_input_files_listed_backwards_give_the_same_release(
        tmp_path, monkeypatch, fast_config, fast_release):
    listed = []
    match = FileSystems.match

    def backwards(patterns, *args, **kwargs):
        results = match(patterns, *args, **kwargs)
        for result in results:
            result.metadata_list.sort(key=lambda m: m.path, reverse=True)
            listed.append([m.path for m in result.metadata_list])
        return results

    # In one process (in_memory) the pipeline's MatchFiles calls the patched function too.
    monkeypatch.setattr(FileSystems, "match", staticmethod(backwards))
    run_release(tmp_path, config=fast_config,
                extra=["--direct_running_mode=in_memory", "--direct_num_workers=1"])
    # The driver's input check, then the pipeline's two reads of the input.
    assert len([paths for paths in listed if len(paths) > 1]) >= 3
    assert release_fingerprint(tmp_path) == release_fingerprint(fast_release[0])

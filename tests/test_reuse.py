"""Snapshots that reuse work (#21 item 4), end to end on a small generated log split by time:
day 1 = the older 90% of the records, day 2 = all of them (10% new: later turns of day-1
conversations and new conversations). Four runs over one OUT:

  1. day 1 from scratch (an empty OUT)
  2. day 1 again: every per-message result is reused, the shards are the same bytes
  3. day 2: only messages with new text are computed
  4. day 2 with a changed config value: the store is invalid, everything is computed, and the
     shards equal run 3's (a run that reused equals a full one)
`--no-reuse` is the driver's decision (`_reuse_plan`): checked against this OUT's store.
"""
from __future__ import annotations

import pytest
import yaml

from bench.snapshots import make_snapshots, shard_digests
from tests.conftest import ONE_PROCESS, ROOT, run_release

TURNS = 240


def _release(out, input_glob, config="configs/sample.yaml"):
    manifest = run_release(out, config=config, extra=ONE_PROCESS, input=input_glob)
    stats = manifest["stats"]
    return manifest, stats["reuse.messages.reused"], stats["reuse.messages.computed"]


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snapshots")
    day1, day2 = make_snapshots(TURNS, str(folder / "input"), new_share=0.1, seed=5)
    return folder, day1, day2


def _messages(manifest) -> int:
    return sum(n for k, n in manifest["stats"].items() if k.startswith("language.messages_by_rule."))


def test_reruns_reuse_and_release_the_bytes_of_a_full_run(snapshots, tmp_path):
    folder, day1, day2 = snapshots
    out = folder / "out"

    first, reused, computed = _release(out, day1)
    assert reused == 0 and computed == _messages(first) > 0
    day1_digests = shard_digests(str(out))

    second, reused, again = _release(out, day1)
    assert (reused, again) == (computed, 0)
    # (every conversation is the one of the first run: none went through the stages)
    assert second["stats"]["reuse.conversations.reused"] == first["stats"]["reuse.conversations.computed"]
    assert "reuse.conversations.computed" not in second["stats"]
    assert shard_digests(str(out)) == day1_digests

    manifest, reused, computed = _release(out, day2)
    assert reused + computed == _messages(manifest)
    assert 0 < computed < 0.35 * _messages(manifest), (reused, computed)
    # continued conversations go through the stages again, with their old messages' results
    assert manifest["stats"]["reuse.conversations.computed"] > 0
    assert manifest["stats"]["reuse.conversations.reused"] > 0
    reusing = shard_digests(str(out))

    cfg = yaml.safe_load(open(ROOT / "configs" / "sample.yaml"))
    cfg["pii"]["ner_batch_size"] = 32  # in the fingerprint; the results do not depend on it
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(cfg))
    manifest, reused, computed = _release(out, day2, config=str(changed))
    assert (reused, computed) == (0, _messages(manifest))
    assert shard_digests(str(out)) == reusing


def test_no_reuse_ignores_the_store(snapshots):
    from pipelines.config import load_config
    from pipelines.layout import run_paths
    from pipelines.release import _reuse_plan, parse_args
    from transforms.ip_key import KeyRef

    folder, _, _ = snapshots
    out = str(folder / "out")
    cfg = load_config(str(ROOT / "configs" / "sample.yaml"), output=out)
    key = KeyRef("env:WCHAT_IP_HASH_KEY", "0" * 12, "env")
    paths = run_paths(out, "99991231T000000Z-ffffff")
    assert _reuse_plan(cfg, key, paths, no_reuse=False).previous is not None
    assert parse_args(["--config", "c", "--no-reuse"])[0].no_reuse
    plan = _reuse_plan(cfg, key, paths, no_reuse=True)
    assert plan.previous is None and plan.store == paths.reuse
    # An ephemeral key's store could never be read again: none is written.
    assert _reuse_plan(cfg, KeyRef("file:/k", "0" * 12, "ephemeral"), paths, no_reuse=False) is None


def test_only_complete_published_stores_count(snapshots):
    from pipelines import layout
    from transforms.reuse import COMPLETE, previous_store

    folder, _, _ = snapshots
    out = str(folder / "out")
    current = layout.latest_run(out)
    assert current in previous_store(out, "99991231T000000Z-ffffff")
    assert previous_store(out, current) is not None and current not in previous_store(out, current)
    # A newer store whose run has not finished (no COMPLETE) is not read...
    later = folder / "out" / "reuse" / "99991230T000000Z-abcdef"
    later.mkdir()
    assert current in previous_store(out, "99991231T000000Z-ffffff")
    # ... nor a complete store of a run that was never published (no manifest).
    (later / COMPLETE).write_text("complete\n")
    assert current in previous_store(out, "99991231T000000Z-ffffff")
    later.joinpath(COMPLETE).unlink()
    later.rmdir()

"""Nasty text end to end (#14 item 3): every case of tests/data/nasty.py is in the bundled
sample (tools/generate.py `add_nasty_cases`), and `make release` either releases it
correctly (its text as parsing gives it back, scrubbed, with a language or "Unknown") or
dead-letters it with its reason. Reuses the session's sample runs: no extra pipeline run."""
from __future__ import annotations

import base64
import json

import pytest

from tests.data import nasty


def content(row):
    return tuple((m["role"], m["content"]) for m in row["conversation"])


def by_turn(rows):
    return {m["turn_identifier"]: r for r in rows for m in r["conversation"] if m["role"] == "user"}


@pytest.fixture(scope="module")
def sample_dead_letters(sample_release):
    out, manifest, _ = sample_release
    return [json.loads(line) for f in sorted((out / "deadletter" / manifest["run_id"]).glob("*.jsonl"))
            for line in f.read_text().splitlines()]


def raw_bytes(letter) -> bytes:
    return letter["raw"].encode("utf-8", "surrogatepass") if letter["raw"] is not None \
        else base64.b64decode(letter["raw_b64"])


def test_every_nasty_case_is_in_the_sample(truth, sample_release):
    _, manifest, _ = sample_release
    assert [c["name"] for c in truth["nasty"]] == [c.name for c in nasty.CASES]
    limits = manifest["config"]["validation"]
    for entry in truth["nasty"]:  # the generator's fate of each case holds under the config
        assert entry["reason"] == nasty.expected_reason(
            nasty.by_name(entry["name"]), limits["max_messages"], limits["max_record_bytes"],
            limits["max_message_chars"])


@pytest.mark.parametrize("case", nasty.CASES, ids=lambda c: c.name)
def test_each_nasty_case_is_released_correctly_or_dead_lettered_with_its_reason(
        case, truth, sample_rows, unscrubbed_rows, sample_dead_letters, sample_release):
    entry = next(e for e in truth["nasty"] if e["name"] == case.name)
    tid = entry["turn_id"]
    released, raw = by_turn(sample_rows).get(tid), by_turn(unscrubbed_rows).get(tid)
    if entry["reason"]:
        assert released is None and raw is None
        marker = f'"turn_id": {tid},'.encode()
        letters = [d for d in sample_dead_letters if marker in raw_bytes(d)]
        assert [d["reason"] for d in letters] == [entry["reason"]]
        return
    assert released is not None, f"{case.name} was neither released nor dead-lettered"
    # The text as parsing gives it back (lone surrogates repaired, nothing else changed) ...
    assert content(raw) == nasty.transcript(case)
    # ... scrubbed: no PII value survives, not even with invisible characters inside it;
    # a message changes only where a placeholder replaced something.
    text = "\n".join(nasty.visible(m["content"]) for m in released["conversation"])
    assert [p for p in case.pii if p in text] == []
    for m, before in zip(released["conversation"], raw["conversation"]):
        assert m["redacted"] == (m["content"] != before["content"])
    if case.pii:
        assert released["redacted"]
    # ... with a language or "Unknown" on the conversation and every message.
    assert released["language"] and released["language_code"]
    assert all(m["language"] and m["language_code"] for m in released["conversation"])
    if case.lang:
        assert released["language_code"] == case.lang
    # No stage failed on any of them.
    assert not [k for k in sample_release[1]["stats"] if k.startswith("stage_failed.")]

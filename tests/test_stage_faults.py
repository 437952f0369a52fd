"""Faults after parsing (#14 item 1), end to end: one conversation raises in each stage of one
release run (`WCHAT_FAULT_STAGE`); each leaves as a `stage_failed.<stage>` dead letter with its
turn ids, the others are released, the numbers close and none of its text is written anywhere."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from tests.conftest import ONE_PROCESS, current_files, current_manifest, run_cli
from transforms.guard import STAGE_FAULT_ENV

# stage -> (turn ids of the conversation that fails there, a word only that conversation holds)
FAILING = {
    "assemble": ([51, 52], "Xyloquartz051"),
    "language": ([101], "Xyloquartz101"),
    "pii": ([201, 202], "Xyloquartz201"),
    "toxicity": ([301], "Xyloquartz301"),
    "rows": ([401], "Xyloquartz401"),
    "write": ([501], "Xyloquartz501"),
}
RELEASED = ([601], [701], [801, 802])
# Unscrubbed PII of the conversation PII scrubbing fails on: it must never be released.
PII_OF_FAILED = ("Ingrid Solberg", "ingrid.solberg@mailbox3.org", "+1 415 555 2368")


def record(turn_id, messages, response, ts):
    return {"turn_id": turn_id, "timestamp": f"2023-04-09T00:{ts:02d}:00Z", "model": "gpt-3.5-turbo-0613",
            "messages": [{"role": r, "content": c} for r, c in messages], "response": response,
            "ip": f"203.0.113.{turn_id % 250}", "consent": True,
            "headers": {"user-agent": f"Mozilla/5.0 test-{turn_id // 100}", "accept-language": "en-US"}}


def conversation(turn_ids, word, ts):
    """One conversation of len(turn_ids) turns, each record holding the history before it."""
    history, out = [], []
    for k, tid in enumerate(turn_ids):
        user = (f"Please write a short story about a lighthouse keeper who finds {word} on the beach."
                if k == 0 else "Now make the ending happier, please.")
        reply = f"Here is the story about {word} and the lighthouse keeper, told in four paragraphs."
        messages = history + [("user", user)]
        out.append(record(tid, messages, reply, ts + k))
        history = messages + [("assistant", reply)]
    return out


def pii_conversation(turn_ids, word, ts):
    first = (f"My name is Ingrid Solberg, my email is ingrid.solberg@mailbox3.org and my phone is "
             f"+1 415 555 2368. Draft a cover letter for a job at {word} Logistics.")
    records = [record(turn_ids[0], [("user", first)], f"Dear hiring manager at {word} Logistics, ...", ts)]
    history = [("user", first), ("assistant", records[0]["response"])]
    records.append(record(turn_ids[1], history + [("user", "Make it shorter, please.")],
                          f"A shorter letter for {word} Logistics.", ts + 1))
    return records


@pytest.fixture(scope="module")
def faulty_release(tmp_path_factory):
    root = tmp_path_factory.mktemp("stage-faults")
    lines = []
    for i, (stage, (ids, word)) in enumerate(FAILING.items()):
        make = pii_conversation if stage == "pii" else conversation
        lines += make(ids, word, 2 * i)
    for i, ids in enumerate(RELEASED):
        lines += conversation(ids, f"harbour number {i}", 20 + 2 * i)
    (root / "in").mkdir()
    (root / "in" / "turns.jsonl").write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in lines))
    # Each stage fails on its conversation, named by one of its turn ids (not always the first).
    armed = ",".join(f"{stage}:{ids[-1]}" for stage, (ids, _) in FAILING.items())
    out = root / "out"
    proc = run_cli(out, *ONE_PROCESS, input=str(root / "in" / "turns.jsonl"), env={STAGE_FAULT_ENV: armed})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, current_manifest(out), proc


def dead_letters(out, manifest):
    return [json.loads(line) for f in sorted((out / "deadletter" / manifest["run_id"]).glob("*.jsonl"))
            for line in f.read_text().splitlines()]


def test_each_failing_conversation_is_dead_lettered_with_its_stage_and_turn_ids(faulty_release):
    out, manifest, _ = faulty_release
    letters = dead_letters(out, manifest)
    assert {d["reason"]: d["turn_ids"] for d in letters} == {
        f"stage_failed.{stage}": ids for stage, (ids, _) in FAILING.items()}
    for d in letters:
        assert d["stage"] == d["reason"].split(".", 1)[1]
        assert d["conversation_id"] == f"{d['turn_ids'][0]}-{d['turn_ids'][-1]}"
        assert d["exception"]["type"] == "transforms.guard.InjectedFault"
        assert d["detail"].startswith("transforms.guard.InjectedFault at transforms/guard.py:")
        assert d["raw"] is None and d["raw_b64"] is None and d["raw_bytes"] == 0
    # Assemble's dead letter also names the leaf record it could not build (file and line).
    (assemble,) = [d for d in letters if d["stage"] == "assemble"]
    assert assemble["source"].endswith("turns.jsonl") and assemble["line"] == 2


def test_the_other_conversations_are_released_and_the_numbers_close(faulty_release):
    out, manifest, proc = faulty_release
    rows = pq.read_table(current_files(out)).to_pylist()
    released = sorted([m["turn_identifier"] for m in r["conversation"] if m["role"] == "user"] for r in rows)
    assert released == sorted(RELEASED)
    r, stats = manifest["reconciliation"], manifest["stats"]
    assert {s: stats[f"stage_failed.{s}"] for s in FAILING} == {s: 1 for s in FAILING}
    assert r["stage_failed"] == len(FAILING)
    assert r["plans"] == r["conversations"] + 1 == len(FAILING) + len(RELEASED)  # one failed in assemble
    assert r["rows"] == manifest["counts"]["released_conversations"] == len(RELEASED)
    c = manifest["counts"]
    assert c["deadletter"] == 0  # input records: every one was parsed and linked
    assert c["input_records"] == c["linked_turns"] == sum(len(ids) for ids, _ in FAILING.values()) + 4
    assert "release " in proc.stdout
    report = (out / "report" / manifest["run_id"] / "report.md").read_text()
    assert ("Conversations dead-lettered because a stage failed on them (not released): assemble 1, language 1, "
            "pii 1, rows 1, toxicity 1, write 1.") in report


def _written_text(out) -> str:
    """Every file under OUT as text a reader could get out of it (Parquet decoded)."""
    parts = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".parquet":
            parts.append(json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False))
        else:
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def test_no_text_of_a_failed_conversation_is_written_or_logged(faulty_release):
    out, _, proc = faulty_release
    written = _written_text(out)
    assert "harbour number 0" in written  # the check can see released text
    for value in [word for _, word in FAILING.values()] + list(PII_OF_FAILED):
        assert value not in written, value
        assert value not in proc.stdout + proc.stderr, value

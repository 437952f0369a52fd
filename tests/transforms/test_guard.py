"""The stage guard: a conversation a stage raises on leaves as a dead letter without its text;
the others go on, also when they shared a batch with it."""
from __future__ import annotations

import apache_beam as beam
import pyarrow as pa
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.release import release_schema
from transforms.guard import STAGE_FAILED, GuardedFn, describe_exception, stage_failure
from transforms.rows import ToReleaseRows, to_release_row
from transforms.write import EncodableRows


def conv(cid, text, turn_ids=(1,)):
    messages = []
    for tid in turn_ids:
        messages += [{"role": "user", "content": text, "turn_identifier": tid},
                     {"role": "assistant", "content": "ok", "turn_identifier": tid}]
    return {"conversation_id": cid, "messages": messages}


class _ShoutBatchFn(beam.DoFn):
    """A batch stage that raises on one conversation, quoting its text as real code does."""

    def setup(self):
        self.suffix = "!"

    def process(self, batch, suffix=""):
        out = []
        for c in batch:
            if "anna.berg" in c["messages"][0]["content"]:
                raise KeyError(c["messages"][0]["content"])
            out.append((c["conversation_id"], c["messages"][0]["content"].upper() + self.suffix + suffix))
        yield from out


def test_one_failing_conversation_in_a_batch_is_dead_lettered_and_the_rest_go_on():
    convs = [conv("1-1", "hello"), conv("2-3", "write to anna.berg@mailbox1.org", (2, 3)),
             conv("4-4", "bye")]
    p = TestPipeline()
    batches = p | beam.Create(convs) | beam.BatchElements(min_batch_size=3, max_batch_size=3)
    suffix = p | "Suffix" >> beam.Create(["?"])
    out = batches | beam.ParDo(GuardedFn("pii", _ShoutBatchFn(), batched=True),
                               suffix=beam.pvalue.AsSingleton(suffix)).with_outputs(STAGE_FAILED, main="main")
    assert_that(out.main, equal_to([("1-1", "HELLO!?"), ("4-4", "BYE!?")]), label="Released")
    assert_that(out[STAGE_FAILED] | beam.Map(lambda d: (d["reason"], d["conversation_id"], d["turn_ids"],
                                                        d["exception"]["type"], "anna" in repr(d))),
                equal_to([("stage_failed.pii", "2-3", [2, 3], "KeyError", False)]), label="DeadLetters")
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_namespace(STAGE_FAILED))["counters"]
    assert [(c.key.metric.name, c.committed) for c in counters] == [("pii", 1)]


def test_a_dead_letter_names_the_type_and_place_never_the_message():
    try:
        {}["my name is Anna Berg"]
    except KeyError as err:
        record = stage_failure("language", conv("5-6", "my name is Anna Berg", (5, 6)), err)
    assert "Anna" not in repr(record)
    assert record["reason"] == "stage_failed.language" and record["stage"] == "language"
    assert record["turn_ids"] == [5, 6] and record["conversation_id"] == "5-6"
    assert record["raw"] is None and record["raw_b64"] is None and record["raw_bytes"] == 0
    where = record["exception"]["where"][-1]
    assert where.startswith("tests/transforms/test_guard.py:") and where.endswith(" in test_a_dead_letter_names_the_type_and_place_never_the_message")
    assert record["detail"] == f"KeyError at {where}"
    try:
        "caf\udce9".encode("utf-8")
    except UnicodeEncodeError as err:  # its message holds the text it failed on
        assert describe_exception(err)["type"] == "UnicodeEncodeError"
        assert "caf" not in repr(describe_exception(err))


def assembled(cid, content, **changes):
    message = {"role": "user", "content": content, "language": "English", "language_code": "en",
               "redacted": False, "toxic": False, "turn_identifier": int(cid.split("-")[0]),
               "timestamp": 0, "hashed_ip": "h", "header": {"user-agent": "u", "accept-language": "en"},
               "country": None, "state": None, "openai_moderation": None, "detoxify_moderation": None,
               "profanity_check_moderation": None}
    base = {"conversation_id": cid, "model": "m", "timestamp": 0, "turn": 1, "orphan": False,
            "hashed_ip": "h", "header": {"user-agent": "u", "accept-language": "en"}, "country": None,
            "state": None, "language": "English", "language_code": "en", "redacted": False,
            "toxic": False, "messages": [message], "stats": {}}
    return dict(base, **changes)


def test_rows_the_writer_cannot_encode_leave_once_before_the_variants():
    """Real failures, no injection: a turn count that is not a number and a content that is
    not a string are dead-lettered by `write`; a conversation without a timestamp by `rows`."""
    good = assembled("1-1", "fine")
    bad_type = assembled("2-2", "turn is text", turn="three")
    not_text = assembled("3-3", "x")
    not_text["messages"][0]["content"] = {"text": "from sven.olsen@mailbox2.org"}
    no_time = {k: v for k, v in assembled("4-4", "no time").items() if k != "timestamp"}
    schema = release_schema()
    with TestPipeline() as p:
        rows = p | beam.Create([good, bad_type, not_text, no_time]) | ToReleaseRows()
        encodable = rows.rows | EncodableRows(schema, batch_size=4)
        assert_that(encodable.rows | beam.Map(lambda r: r["conversation_id"]), equal_to(["1-1"]),
                    label="Written")
        failed = (rows[STAGE_FAILED], encodable[STAGE_FAILED]) | beam.Flatten()
        assert_that(failed | beam.Map(lambda d: (d["conversation_id"], d["reason"], d["turn_ids"],
                                                 "sven" in repr(d) or "three" in repr(d))),
                    equal_to([("2-2", "stage_failed.write", [2], False),
                              ("3-3", "stage_failed.write", [3], False),
                              ("4-4", "stage_failed.rows", [4], False)]), label="Failed")
    assert pa.Table.from_pylist([to_release_row(good)], schema=schema).num_rows == 1


class _ParseLeafFn(beam.DoFn):
    def process(self, element):
        source, line, raw = element
        yield {"conversation_id": f"{line}-{line}", "text": raw.decode()[:-1] if raw.endswith(b"}") else raw[10**9]}


def leaf_origin(element):
    return {"source": element[0], "line": element[1]}


def test_elements_that_are_not_conversations_are_named_by_identify_without_their_bytes():
    """How Assemble's leaf records (source, line, raw) will leave: by where they are."""
    with TestPipeline() as p:
        out = (p | beam.Create([("a.jsonl", 1, b'{"ok"}'), ("a.jsonl", 2, b'{"email": "li.wu@mailbox4.org"')])
               | beam.ParDo(GuardedFn("assemble", _ParseLeafFn(), identify=leaf_origin))
               .with_outputs(STAGE_FAILED, main="conversations"))
        assert_that(out.conversations | beam.Map(lambda c: c["conversation_id"]), equal_to(["1-1"]),
                    label="Assembled")
        assert_that(out[STAGE_FAILED] | beam.Map(lambda d: (d["reason"], d["source"], d["line"],
                                                            d["exception"]["type"], "li.wu" in repr(d))),
                    equal_to([("stage_failed.assemble", "a.jsonl", 2, "IndexError", False)]), label="Failed")

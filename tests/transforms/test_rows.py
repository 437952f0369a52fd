"""ToReleaseRows: a conversation becomes one row of the release schema, with WildChat's
fields, moderation lists lifted to the row, and a content hash over the released text only."""
import datetime as dt
import io

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import parse_turn
from schemas.release import release_schema
from tests.data import nasty
from transforms.rows import ToReleaseRows, conversation_hash, to_release_row

T0 = 1_680_998_573_000_000  # 2023-04-09T00:02:53Z in microseconds
HEADER = {"accept-language": "en", "user-agent": "UA"}


def message(role, content, turn_id=7, timestamp=T0, **changes):
    return {"role": role, "content": content, "language": "English", "language_code": "en",
            "redacted": False, "toxic": False, "turn_identifier": turn_id, "timestamp": timestamp,
            "hashed_ip": "h" * 64, "header": HEADER, "country": "France", "state": "Paris",
            "openai_moderation": None, "detoxify_moderation": None,
            "profanity_check_moderation": {"profanity": 0.01}, **changes}


def conversation(messages, **changes):
    return {"conversation_id": "7-7", "model": "gpt-4", "timestamp": T0, "turn": 1,
            "orphan": False, "hashed_ip": "h" * 64, "header": HEADER, "country": "France",
            "state": "Paris", "language": "English", "language_code": "en", "redacted": False,
            "toxic": False, "messages": messages, "stats": {"pii.redactions.EMAIL_ADDRESS": 0},
            **changes}


def as_table(rows):
    return pa.Table.from_pylist(rows, schema=release_schema())


def test_a_conversation_becomes_one_row_of_the_release_schema():
    conv = conversation([message("user", "hi"), message("assistant", "Hello!")])
    with TestPipeline() as p:
        rows = (p | beam.Create([conv]) | ToReleaseRows()).rows
        assert_that(rows | beam.Map(lambda r: (r["conversation_id"], r["timestamp"], len(r["conversation_hash"]))),
                    equal_to([("7-7", dt.datetime(2023, 4, 9, 0, 2, 53, tzinfo=dt.timezone.utc), 32)]))
    row = to_release_row(conv)
    assert "stats" not in row and "messages" not in row  # stage counters never reach the release
    # Moderation entries move to row-level lists, one entry per message, as in WildChat.
    assert row["profanity_check_moderation"] == [{"profanity": 0.01}, {"profanity": 0.01}]
    assert row["openai_moderation"] is None  # the backend did not run
    assert all("profanity_check_moderation" not in m for m in row["conversation"])
    assert row["conversation"][0]["timestamp"] == row["timestamp"]
    assert as_table([row]).num_rows == 1


def test_a_message_without_metadata_keeps_null_time():
    row = to_release_row(conversation([message("user", "hi", turn_id=None, timestamp=None),
                                       message("assistant", "yo", turn_id=None, timestamp=None)]))
    assert [m["timestamp"] for m in row["conversation"]] == [None, None]


def test_the_hash_covers_the_released_text_only():
    a = conversation([message("user", "my mail is <EMAIL_ADDRESS>"), message("assistant", "ok")])
    b = conversation([message("user", "my mail is <EMAIL_ADDRESS>", turn_id=9, hashed_ip="x" * 64),
                      message("assistant", "ok", language="French")], conversation_id="9-9")
    raw = conversation([message("user", "my mail is jo@example.com"), message("assistant", "ok")])
    assert to_release_row(a)["conversation_hash"] == to_release_row(b)["conversation_hash"]
    assert to_release_row(a)["conversation_hash"] != to_release_row(raw)["conversation_hash"]
    # Roles count: the same texts said by the other side are another conversation.
    swapped = [{"role": "assistant", "content": "hi"}, {"role": "user", "content": "yo"}]
    assert conversation_hash(swapped) != conversation_hash(
        [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}])


RELEASED = [c for c in nasty.CASES if nasty.expected_reason(c, max_messages=10_000) is None]


@pytest.mark.parametrize("case", RELEASED, ids=lambda c: c.name)
def test_nasty_text_survives_the_row_and_a_parquet_round_trip(case):
    turn = parse_turn(nasty.line(case), max_messages=10_000)
    messages = [message(role, content) for role, content in turn.transcript]
    row = to_release_row(conversation(messages))
    sink = io.BytesIO()
    pq.write_table(as_table([row]), sink, compression="zstd")
    back = pq.read_table(io.BytesIO(sink.getvalue())).to_pylist()[0]
    assert [(m["role"], m["content"]) for m in back["conversation"]] == list(turn.transcript)
    assert back["conversation_hash"] == row["conversation_hash"]

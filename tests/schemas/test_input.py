"""The input contract: what `parse_turn` accepts, and the reason for everything it refuses."""
import json

import pytest

from schemas.input import InvalidRecord, normalize_ip, parse_turn

GOOD = {
    "turn_id": 10000123,
    "timestamp": "2023-04-09T00:02:53Z",
    "model": "gpt-3.5-turbo-0613",
    "messages": [{"role": "user", "content": "hi"},
                 {"role": "assistant", "content": "Hello! How can I assist you today?"},
                 {"role": "user", "content": "write a haiku about rain"}],
    "response": "Soft rain on the roof ...",
    "ip": "203.0.113.7",
    "headers": {"User-Agent": "Mozilla/5.0 ...", "accept-language": "en-US,en;q=0.9"},
    "consent": True,
}


def raw(**changes):
    record = dict(GOOD, **changes)
    return json.dumps({k: v for k, v in record.items() if v is not ...}).encode()


def reason_of(data: bytes, **limits) -> str:
    with pytest.raises(InvalidRecord) as err:
        parse_turn(data, "f.jsonl", 3, **limits)
    return err.value.reason


def test_the_readme_example_parses():
    turn = parse_turn(raw(), "f.jsonl", 3)
    assert turn.turn_id == 10000123
    assert turn.timestamp_us == 1680998573 * 1_000_000
    assert turn.messages[-1] == ("user", "write a haiku about rain")
    assert turn.transcript[-1] == ("assistant", "Soft rain on the roof ...")
    assert turn.user_turns == 2
    assert turn.headers["user-agent"] == "Mozilla/5.0 ..."  # header names are case-folded
    assert (turn.source, turn.line, turn.ip) == ("f.jsonl", 3, "203.0.113.7")


def test_epoch_seconds_and_offsets_are_timestamps():
    assert parse_turn(raw(timestamp=1680998573)).timestamp_us == 1680998573 * 1_000_000
    assert parse_turn(raw(timestamp=1680998573.5)).timestamp_us == 1680998573_500_000
    assert parse_turn(raw(timestamp="2023-04-09T02:02:53+02:00")).timestamp_us == 1680998573 * 1_000_000


def test_unknown_fields_are_ignored_and_a_system_message_may_lead():
    msgs = [{"role": "system", "content": "be brief"}] + GOOD["messages"]
    turn = parse_turn(raw(messages=msgs, extra={"a": 1}))
    assert turn.messages[0] == ("system", "be brief")


@pytest.mark.parametrize("data, reason", [
    (b'{"turn_id": 1, "messages": [', "invalid_json"),
    (b'{"turn_id": 1, "model": "caf\xe9"}', "undecodable_bytes"),
    (b"[1, 2]", "not_an_object"),
    (raw(extra=json.loads("[" * 30 + "]" * 30)), "json_too_deep"),
    (raw(turn_id=...), "missing_field"),
    (raw(turn_id="12"), "wrong_type"),
    (raw(turn_id=True), "wrong_type"),
    (raw(turn_id=-1), "wrong_type"),
    (raw(turn_id=2**63), "wrong_type"),
    (raw(messages=[]), "empty_messages"),
    (raw(messages="hi"), "wrong_type"),
    (raw(messages=[{"role": "wizard", "content": "x"}]), "unknown_role"),
    (raw(messages=[{"role": "user", "content": 5}]), "wrong_type"),
    (raw(messages=GOOD["messages"][:2]), "history_not_ending_with_user"),
    (raw(messages=[GOOD["messages"][0], GOOD["messages"][0]]), "roles_not_alternating"),
    (raw(messages=GOOD["messages"] + [{"role": "system", "content": "x"}]), "misplaced_system_message"),
    (raw(timestamp="yesterday"), "bad_timestamp"),
    (raw(timestamp="2023-04-09T00:02:53"), "bad_timestamp"),  # no offset
    (raw(timestamp=10**12), "bad_timestamp"),
    (raw(ip="999.1.2.3"), "invalid_ip"),
    (raw(ip="example.com"), "invalid_ip"),
    (raw(consent="yes"), "non_boolean_consent"),
    (raw(consent=1), "non_boolean_consent"),
    (raw(consent=...), "missing_field"),
    (raw(response=None), "missing_field"),
    (raw(headers=["a"]), "wrong_type"),
])
def test_bad_records_are_refused_with_their_reason(data, reason):
    assert reason_of(data) == reason


def test_huge_records_are_refused_before_parsing():
    assert reason_of(raw(response="x" * 5000), max_record_bytes=1000) == "record_too_large"


def test_a_message_or_response_over_the_character_limit_is_refused():
    long_text = "x" * 101
    assert reason_of(raw(messages=[{"role": "user", "content": long_text}]), max_message_chars=100) == \
        "message_too_long"
    assert reason_of(raw(response=long_text), max_message_chars=100) == "message_too_long"
    assert parse_turn(raw(response=long_text), max_message_chars=101).response == long_text
    assert parse_turn(raw(response=long_text)).response == long_text  # no limit by default


def test_too_many_messages_is_refused():
    msgs = [{"role": r, "content": "x"} for r in ["user", "assistant"] * 10] + [{"role": "user", "content": "q"}]
    assert reason_of(raw(messages=msgs), max_messages=8) == "too_many_messages"


@pytest.mark.parametrize("given, canonical", [
    ("203.0.113.7", "203.0.113.7"),
    (" 203.0.113.7 ", "203.0.113.7"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("2001:DB8:0:0::1", "2001:db8::1"),
])
def test_ips_are_normalized(given, canonical):
    assert normalize_ip(given) == canonical


@pytest.mark.parametrize("given, canonical", [
    ("fe80::1%eth0", "fe80::1"),  # a zone names the logging host's interface, not the client
    ("fe80::1%\u00e9", "fe80::1"),
])
def test_ipv6_zones_are_dropped(given, canonical):
    assert normalize_ip(given) == canonical


@pytest.mark.parametrize("escaped, text, lone", [
    (r"cut \ud83d", "cut \ufffd", 1),  # an emoji cut in half by the client
    (r"\ude00 first", "\ufffd first", 1),
    (r"\ude00\ud83d", "\ufffd\ufffd", 2),
    (r"\ud83d\ude00", "\U0001F600", 0),  # a proper pair
    (r"\\ud800", "\\ud800", 0),  # an escaped backslash, then text
])
def test_lone_surrogate_escapes_become_replacement_characters(escaped, text, lone):
    data = raw(response="@@").replace(b"@@", escaped.encode())
    turn = parse_turn(data)
    assert (turn.response, turn.lone_surrogates) == (text, lone)


def test_invalid_json_says_what_and_where_without_quoting_the_text():
    with pytest.raises(InvalidRecord) as err:
        parse_turn(raw(response="@@").replace(b"@@", b"secret\x01value"))
    assert err.value.reason == "invalid_json"
    assert "control character" in err.value.detail and "column" in err.value.detail
    assert "secret" not in err.value.detail

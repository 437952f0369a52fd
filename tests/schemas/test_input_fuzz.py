"""Fuzzing `parse_turn`: whatever the bytes, the result is a `Turn` that every later stage can
carry, or `InvalidRecord` with a documented reason. No other exception ever escapes."""
import json

from hypothesis import given
from hypothesis import strategies as st

import tests.fuzz  # noqa: F401  (hypothesis profile)
from schemas.input import INT64_MAX, REASONS, ROLES, InvalidRecord, normalize_ip, parse_turn
from tests.schemas.test_input import GOOD
from transforms.ip import hash_ip

KEY = b"k" * 32
# Every code point, lone surrogates included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=20)


def dumps(value) -> bytes:
    # ensure_ascii escapes everything non-ASCII, the only way JSON spells a lone surrogate.
    return json.dumps(value).encode("ascii")


def parse_or_reason(raw: bytes, **limits):
    """The parsed turn after checking what every later stage relies on, or the reason."""
    try:
        turn = parse_turn(raw, "f.jsonl", 7, **limits)
    except InvalidRecord as err:
        assert err.reason in REASONS, err.reason
        return err.reason
    assert isinstance(turn.turn_id, int) and not isinstance(turn.turn_id, bool)
    assert 0 <= turn.turn_id <= INT64_MAX
    assert isinstance(turn.timestamp_us, int)
    assert 946_684_800_000_000 <= turn.timestamp_us <= 4_102_444_800_000_000
    roles = [role for role, _ in turn.messages]
    assert set(roles) <= set(ROLES) and roles[-1] == "user"
    body = roles[1:] if roles[0] == "system" else roles
    assert body == ["user", "assistant"] * (len(body) // 2) + ["user"]
    texts = [turn.model, turn.response, *(c for _, c in turn.messages), *turn.headers.values()]
    for text in texts:  # Parquet, orjson and spaCy need text that has a UTF-8 form
        assert isinstance(text, str)
        text.encode("utf-8")
    assert all(isinstance(k, str) and k == k.lower() for k in turn.headers)
    assert turn.ip.isascii() and normalize_ip(turn.ip) == turn.ip
    assert len(hash_ip(turn.ip, KEY)) == 64
    assert turn.consent in (True, False)
    assert (turn.source, turn.line) == ("f.jsonl", 7)
    return turn


@given(st.binary(max_size=600))
def test_fuzz_arbitrary_bytes(raw):
    parse_or_reason(raw)


@given(JSON_VALUES)
def test_fuzz_arbitrary_json(value):
    parse_or_reason(dumps(value))


def _message():
    return st.fixed_dictionaries({
        "role": st.sampled_from(ROLES + ("tool", "USER", "")) | JSON_VALUES,
        "content": ANY_TEXT | JSON_VALUES})


# Records close to valid: each field is either its good value or anything at all, so the
# examples reach every check instead of stopping at the first.
RECORD_FIELDS = {
    "turn_id": st.just(GOOD["turn_id"]) | st.integers(min_value=-2**65, max_value=2**65) | JSON_VALUES,
    "timestamp": st.sampled_from([
        GOOD["timestamp"], 1680998573, 1680998573.25, "2023-04-09T00:02:53.123456789Z",
        "2023-04-09 00:02:53+05:30", "2023-04-09", "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59", "2023-W14-7T00:02:53Z", 1e300, -1, True]) | JSON_VALUES,
    "model": st.just(GOOD["model"]) | ANY_TEXT | JSON_VALUES,
    "messages": st.just(GOOD["messages"]) | st.lists(_message(), max_size=6) | JSON_VALUES,
    "response": st.just(GOOD["response"]) | ANY_TEXT | JSON_VALUES,
    "ip": st.sampled_from([
        GOOD["ip"], "::ffff:203.0.113.7", "fe80::1%eth0", "fe80::1%\u00e9\u0000", "2001:DB8::1",
        " 203.0.113.7\n", "\uff12\uff10\uff13.0.113.7", "203.0.113.7/32", "::", "0.0.0.0"])
    | ANY_TEXT | JSON_VALUES,
    "headers": st.just(GOOD["headers"]) | st.dictionaries(ANY_TEXT, ANY_TEXT | JSON_VALUES, max_size=3)
    | JSON_VALUES,
    "consent": st.sampled_from([True, False]) | JSON_VALUES,
}


@given(st.fixed_dictionaries({}, optional=RECORD_FIELDS), JSON_VALUES)
def test_fuzz_records_near_the_contract(record, extra):
    parse_or_reason(dumps(dict(record, extra=extra)))


@given(st.sampled_from(sorted(RECORD_FIELDS)).flatmap(
    lambda name: st.tuples(st.just(name), RECORD_FIELDS[name] | st.just(...))))
def test_fuzz_one_field_away_from_a_good_record(change):
    name, value = change
    record = {k: v for k, v in dict(GOOD, **{name: value}).items() if v is not ...}
    parse_or_reason(dumps(record))


@given(st.data())
def test_fuzz_damaged_bytes_of_a_good_record(data):
    raw = bytearray(dumps(dict(GOOD, messages=GOOD["messages"] + [
        {"role": "assistant", "content": "caf\u00e9 \U0001F600"}, {"role": "user", "content": "\ud83d"}])))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = data.draw(st.binary(min_size=1, max_size=3))
        if action == "insert":
            raw[at:at] = byte
        elif action == "delete":
            del raw[at:at + len(byte)]
        else:
            raw[at:at + len(byte)] = byte
    parse_or_reason(bytes(raw))


@given(st.lists(st.sampled_from(["\ud83d", "\ude00", "\U0001F600", "\\", "u", "d800", "x", "\"", "\u0000"]),
                max_size=12))
def test_fuzz_surrogate_escapes_are_repaired_exactly(pieces):
    text = "".join(pieces)
    turn = parse_or_reason(dumps(dict(GOOD, response=text)))
    # Pairs join, every lone half becomes U+FFFD, nothing else changes.
    assert turn.response == text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    assert turn.lone_surrogates == turn.response.count("\ufffd")


@given(st.integers(1, 40), st.integers(1, 60))
def test_fuzz_limits_are_refusals_never_crashes(depth, messages):
    nested = json.loads("[" * depth + "]" * depth)
    msgs = [{"role": r, "content": "x"} for r in ["user", "assistant"] * messages] + [{"role": "user", "content": "q"}]
    result = parse_or_reason(dumps(dict(GOOD, extra=nested, messages=msgs)),
                             max_json_depth=16, max_messages=64)
    if depth + 1 > 16:
        assert result == "json_too_deep"
    elif len(msgs) > 64:
        assert result == "too_many_messages"
    else:
        assert result.turn_id == GOOD["turn_id"]

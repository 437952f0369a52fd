"""The input contract: one raw record per logged API call, validated into a `Turn`.

`parse_turn` is pure: it takes the raw bytes of one record and returns a `Turn`, or raises
`InvalidRecord` with a snake_case reason. Nothing here knows about Beam.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import re
from typing import Any

import orjson

__all__ = ["Turn", "InvalidRecord", "parse_turn", "normalize_ip", "ROLES", "INT64_MAX", "REASONS"]

ROLES = ("system", "user", "assistant")
INT64_MAX = 2**63 - 1
# Epoch seconds accepted as timestamps: 2000-01-01 .. 2100-01-01.
_MIN_EPOCH, _MAX_EPOCH = 946_684_800, 4_102_444_800

Message = tuple  # (role: str, content: str)

# Every reason `parse_turn` may give.
REASONS = (
    "record_too_large", "undecodable_bytes", "invalid_json", "json_too_deep", "not_an_object",
    "missing_field", "wrong_type", "empty_messages", "too_many_messages", "unknown_role",
    "misplaced_system_message", "roles_not_alternating", "history_not_ending_with_user",
    "bad_timestamp", "invalid_ip", "non_boolean_consent", "message_too_long",
)


class InvalidRecord(ValueError):
    """A per-record error: the record goes to the dead-letter output with `reason`."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclasses.dataclass(frozen=True, slots=True)
class Turn:
    """One validated logged call. `ip` holds the raw address until `PseudonymizeTurns`
    replaces it by `hashed_ip`; nothing downstream of that step ever sees the raw IP."""

    turn_id: int
    timestamp_us: int
    model: str
    messages: tuple  # tuple[(role, content), ...], the request as sent
    response: str
    headers: dict
    consent: bool
    source: str
    line: int
    ip: str | None = None
    hashed_ip: str | None = None
    # From the geo lookup in `PseudonymizeTurns`, made before the raw IP is hashed away.
    country: str | None = None
    state: str | None = None
    # Lone UTF-16 surrogate escapes ("\\ud83d" without its pair) replaced by U+FFFD.
    lone_surrogates: int = 0

    @property
    def transcript(self) -> tuple:
        return self.messages + (("assistant", self.response),)

    @property
    def user_turns(self) -> int:
        return sum(1 for role, _ in self.messages if role == "user")


def normalize_ip(value: str) -> str:
    """Canonical text of an IPv4/IPv6 address; IPv4-mapped IPv6 becomes IPv4. An IPv6 zone
    ("fe80::1%eth0") names an interface of the logging host, not the client: it is dropped."""
    addr = ipaddress.ip_address(value.strip())
    if isinstance(addr, ipaddress.IPv6Address):
        addr = addr.ipv4_mapped or ipaddress.IPv6Address(int(addr))
    return addr.compressed


# A \uD800-\uDFFF escape (a high one possibly followed by its low pair). The lookbehind and
# the even run of backslashes before it make sure the backslash starts an escape.
_SURROGATE_ESCAPE = re.compile(
    rb"(?<!\\)((?:\\\\)*)\\u[dD][89abAB][0-9a-fA-F]{2}(\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    rb"|(?<!\\)((?:\\\\)*)\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _repair_lone_surrogates(raw: bytes) -> tuple[bytes, int]:
    """Replace every unpaired surrogate escape by \ufffd; returns (bytes, replacements)."""
    replaced = 0

    def fix(match: re.Match) -> bytes:
        nonlocal replaced
        if match.group(2):  # a proper pair
            return match.group(0)
        replaced += 1
        return (match.group(1) if match.group(1) is not None else match.group(3)) + rb"\ufffd"

    return _SURROGATE_ESCAPE.sub(fix, raw), replaced


def _loads(raw: bytes) -> tuple[Any, int]:
    """Parse JSON; returns (value, number of lone surrogate escapes replaced by U+FFFD).

    JSON may spell half of a UTF-16 pair on its own ("\ud83d"), typically an emoji cut in
    half by a client that truncates text by UTF-16 units. Such a string has no UTF-8 form, so
    orjson refuses it; we replace each lone half by U+FFFD (what a browser's UTF-8 encoder
    does) instead of losing the record and every later turn that repeats it in its history.
    """
    try:
        return orjson.loads(raw), 0
    except orjson.JSONDecodeError as err:
        if "surrogate" not in str(err):
            raise
    repaired, count = _repair_lone_surrogates(raw)
    return orjson.loads(repaired), count


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of a parsed JSON value, stopping once `limit` is exceeded."""
    depth, frontier = 0, [value]
    while frontier and depth <= limit:
        nxt = []
        for item in frontier:
            if isinstance(item, dict):
                nxt.extend(v for v in item.values() if isinstance(v, (dict, list)))
            elif isinstance(item, list):
                nxt.extend(v for v in item if isinstance(v, (dict, list)))
        depth += 1
        frontier = nxt
    return depth


def _parse_timestamp(value: Any) -> int:
    if isinstance(value, bool):
        raise InvalidRecord("bad_timestamp", "boolean")
    if isinstance(value, (int, float)):
        if not (_MIN_EPOCH <= value <= _MAX_EPOCH):
            raise InvalidRecord("bad_timestamp", "epoch seconds out of range")
        return int(round(value * 1_000_000))
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise InvalidRecord("bad_timestamp", "not RFC 3339") from None
        if parsed.tzinfo is None or "T" not in text.upper() and " " not in text:
            raise InvalidRecord("bad_timestamp", "RFC 3339 needs a date, a time and an offset")
        seconds = parsed.timestamp()
        if not (_MIN_EPOCH <= seconds <= _MAX_EPOCH):
            raise InvalidRecord("bad_timestamp", "out of range")
        delta = parsed - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    raise InvalidRecord("bad_timestamp", type(value).__name__)


def _require(record: dict, name: str, kind: type | tuple) -> Any:
    if name not in record or record[name] is None:
        raise InvalidRecord("missing_field", name)
    value = record[name]
    if isinstance(value, bool) and kind is not bool:
        raise InvalidRecord("wrong_type", f"{name} is a boolean")
    if not isinstance(value, kind):
        raise InvalidRecord("wrong_type", f"{name} is {type(value).__name__}")
    return value


def _parse_messages(value: Any, max_messages: int) -> tuple:
    if not isinstance(value, list):
        raise InvalidRecord("wrong_type", f"messages is {type(value).__name__}")
    if not value:
        raise InvalidRecord("empty_messages")
    if len(value) > max_messages:
        raise InvalidRecord("too_many_messages", str(len(value)))
    messages = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise InvalidRecord("wrong_type", f"messages[{i}] is {type(item).__name__}")
        role, content = item.get("role"), item.get("content")
        if not isinstance(role, str):
            raise InvalidRecord("wrong_type", f"messages[{i}].role")
        if role not in ROLES:
            raise InvalidRecord("unknown_role", f"messages[{i}].role")
        if not isinstance(content, str):
            raise InvalidRecord("wrong_type", f"messages[{i}].content")
        if role == "system" and i != 0:
            raise InvalidRecord("misplaced_system_message", f"messages[{i}]")
        messages.append((role, content))
    if messages[-1][0] != "user":
        raise InvalidRecord("history_not_ending_with_user")
    body = messages[1:] if messages[0][0] == "system" else messages
    for i, (role, _) in enumerate(body):
        if role != ("user" if i % 2 == 0 else "assistant"):
            raise InvalidRecord("roles_not_alternating", f"message {i}")
    return tuple(messages)


def _check_lengths(messages: tuple, response: str, max_chars: int) -> None:
    """No chat model reads a message longer than its context: one over `max_chars` is a
    paste or a logging fault, and would cost the stages after linking seconds per message."""
    for i, (_, content) in enumerate(messages):
        if len(content) > max_chars:
            raise InvalidRecord("message_too_long", f"messages[{i}]: {len(content)} characters")
    if len(response) > max_chars:
        raise InvalidRecord("message_too_long", f"response: {len(response)} characters")


def parse_turn(
    raw: bytes,
    source: str = "",
    line: int = 0,
    *,
    max_record_bytes: int = 8 << 20,
    max_json_depth: int = 16,
    max_messages: int = 4096,
    max_message_chars: int | None = None,
) -> Turn:
    """Validate one raw record (a JSON object as UTF-8 bytes) into a `Turn`.

    Unknown fields are ignored. Raises `InvalidRecord` with one of `REASONS`, and nothing
    else, whatever the bytes. Text is kept as sent (NUL and control characters included),
    except that lone UTF-16 surrogate escapes become U+FFFD (counted in `lone_surrogates`).
    """
    if len(raw) > max_record_bytes:
        raise InvalidRecord("record_too_large", f"{len(raw)} bytes")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRecord("undecodable_bytes") from None
    try:
        record, lone_surrogates = _loads(raw)
    except orjson.JSONDecodeError as err:
        if "recursion" in str(err).lower():
            raise InvalidRecord("json_too_deep") from None
        # orjson's message says what and where ("unexpected control character in string:
        # line 1 column 9 (char 8)"), never quoting the text.
        raise InvalidRecord("invalid_json", str(err)) from None
    if not isinstance(record, dict):
        raise InvalidRecord("not_an_object", type(record).__name__)
    if _depth(record, max_json_depth) > max_json_depth:
        raise InvalidRecord("json_too_deep")

    turn_id = _require(record, "turn_id", int)
    if not (0 <= turn_id <= INT64_MAX):
        raise InvalidRecord("wrong_type", "turn_id is not a non-negative int64")
    if "timestamp" not in record or record["timestamp"] is None:
        raise InvalidRecord("missing_field", "timestamp")
    timestamp_us = _parse_timestamp(record["timestamp"])
    model = _require(record, "model", str)
    if "messages" not in record:
        raise InvalidRecord("missing_field", "messages")
    messages = _parse_messages(record["messages"], max_messages)
    response = _require(record, "response", str)
    if max_message_chars is not None:
        _check_lengths(messages, response, max_message_chars)
    ip_text = _require(record, "ip", str)
    try:
        ip = normalize_ip(ip_text)
    except ValueError:
        raise InvalidRecord("invalid_ip") from None
    headers = record.get("headers") or {}
    if not isinstance(headers, dict):
        raise InvalidRecord("wrong_type", "headers is not an object")
    headers = {str(k).lower(): v for k, v in headers.items() if isinstance(v, str)}
    if "consent" not in record or record["consent"] is None:
        raise InvalidRecord("missing_field", "consent")
    consent = record["consent"]
    if not isinstance(consent, bool):
        raise InvalidRecord("non_boolean_consent")
    return Turn(
        turn_id=turn_id,
        timestamp_us=timestamp_us,
        model=model,
        messages=messages,
        response=response,
        headers=headers,
        consent=consent,
        source=source,
        line=line,
        ip=ip,
        lone_surrogates=lone_surrogates,
    )

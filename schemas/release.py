"""The Arrow schema of the release: WildChat-1M's field names and types, plus our additions.

WildChat fields keep their names and types so that code written for WildChat-1M runs on our
releases unchanged. Additions: `conversation_id`, `orphan`, `language_code` (ISO 639-1, at
both levels). Header struct fields follow the configured header allow-list.
"""
from __future__ import annotations

import pyarrow as pa

__all__ = ["SCHEMA_VERSION", "DEFAULT_HEADER_FIELDS", "release_schema", "DEADLETTER_FIELDS"]

SCHEMA_VERSION = "wchat-release/1"
DEFAULT_HEADER_FIELDS = ("accept-language", "user-agent")
TIMESTAMP = pa.timestamp("us", tz="UTC")
# Keys of every dead-letter JSON line.
DEADLETTER_FIELDS = ("reason", "detail", "source", "line", "raw", "raw_b64", "raw_bytes")


def header_type(header_fields=DEFAULT_HEADER_FIELDS) -> pa.DataType:
    return pa.struct([pa.field(name, pa.string()) for name in sorted(header_fields)])


def message_type(header_fields=DEFAULT_HEADER_FIELDS) -> pa.DataType:
    return pa.struct(
        [
            pa.field("content", pa.string()),
            pa.field("country", pa.string()),
            pa.field("hashed_ip", pa.string()),
            pa.field("header", header_type(header_fields)),
            pa.field("language", pa.string()),
            pa.field("language_code", pa.string()),
            pa.field("redacted", pa.bool_()),
            pa.field("role", pa.string()),
            pa.field("state", pa.string()),
            pa.field("timestamp", TIMESTAMP),
            pa.field("toxic", pa.bool_()),
            pa.field("turn_identifier", pa.int64()),
        ]
    )


def release_schema(header_fields=DEFAULT_HEADER_FIELDS) -> pa.Schema:
    """One row per released conversation."""
    return pa.schema(
        [
            pa.field("conversation_hash", pa.string()),
            pa.field("conversation_id", pa.string()),
            pa.field("model", pa.string()),
            pa.field("timestamp", TIMESTAMP),
            pa.field("conversation", pa.list_(message_type(header_fields))),
            pa.field("turn", pa.int64()),
            pa.field("language", pa.string()),
            pa.field("language_code", pa.string()),
            pa.field("toxic", pa.bool_()),
            pa.field("redacted", pa.bool_()),
            pa.field("state", pa.string()),
            pa.field("country", pa.string()),
            pa.field("hashed_ip", pa.string()),
            pa.field("header", header_type(header_fields)),
            pa.field("orphan", pa.bool_()),
        ],
        metadata={"schema_version": SCHEMA_VERSION},
    )

"""The Arrow schema of the release: WildChat-1M's field names and types, plus our additions.

WildChat fields keep their names and types so that code written for WildChat-1M runs on our
releases unchanged. Additions: `conversation_id`, `orphan`, `language_code` (ISO 639-1, at
both levels), `profanity_check_moderation` and `ngram_toxicity_moderation` (the offline
toxicity backends' scores), and the duplicate flags `duplicate_exact`, `duplicate_near`,
`duplicate_of` (transforms/dedup.py). Header struct fields follow the configured header
allow-list.
"""
from __future__ import annotations

import pyarrow as pa

__all__ = ["SCHEMA_VERSION", "DEFAULT_HEADER_FIELDS", "release_schema", "DEADLETTER_FIELDS",
           "MODERATION_COLUMNS", "MODERATION_CATEGORIES", "DETOXIFY_FIELDS"]

# 2: ngram_toxicity_moderation and the duplicate columns (duplicate_exact, duplicate_near,
# duplicate_of) were added.
SCHEMA_VERSION = "wchat-release/2"
DEFAULT_HEADER_FIELDS = ("accept-language", "user-agent")
TIMESTAMP = pa.timestamp("us", tz="UTC")
MODERATION_COLUMNS = ("openai_moderation", "detoxify_moderation", "profanity_check_moderation",
                      "ngram_toxicity_moderation")
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


# Moderation categories as WildChat names them: the API's names plus underscore aliases
# (WildChat-1M's 18, and omni-moderation's illicit/illicit_violent as in WildChat-4.8M).
MODERATION_CATEGORIES = tuple(sorted({
    "harassment", "harassment/threatening", "harassment_threatening", "hate", "hate/threatening",
    "hate_threatening", "illicit", "illicit/violent", "illicit_violent", "self-harm",
    "self-harm/instructions", "self-harm/intent", "self_harm", "self_harm_instructions",
    "self_harm_intent", "sexual", "sexual/minors", "sexual_minors", "violence",
    "violence/graphic", "violence_graphic"}))
DETOXIFY_FIELDS = ("identity_attack", "insult", "obscene", "severe_toxicity", "sexual_explicit",
                   "threat", "toxicity")


def moderation_columns() -> list:
    """Per-message backend entries, one list element per message (null: not judged; all
    fields null: empty message; the column is null when the backend did not run)."""
    openai = pa.struct([
        pa.field("categories", pa.struct([pa.field(c, pa.bool_()) for c in MODERATION_CATEGORIES])),
        pa.field("category_scores", pa.struct([pa.field(c, pa.float64()) for c in MODERATION_CATEGORIES])),
        pa.field("flagged", pa.bool_()),
    ])
    detoxify = pa.struct([pa.field(f, pa.float64()) for f in DETOXIFY_FIELDS])
    profanity = pa.struct([pa.field("profanity", pa.float64())])
    ngram = pa.struct([pa.field("toxicity", pa.float64())])
    return [pa.field("openai_moderation", pa.list_(openai)),
            pa.field("detoxify_moderation", pa.list_(detoxify)),
            pa.field("profanity_check_moderation", pa.list_(profanity)),
            pa.field("ngram_toxicity_moderation", pa.list_(ngram))]


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
            *moderation_columns(),
            pa.field("toxic", pa.bool_()),
            pa.field("redacted", pa.bool_()),
            pa.field("state", pa.string()),
            pa.field("country", pa.string()),
            pa.field("hashed_ip", pa.string()),
            pa.field("header", header_type(header_fields)),
            pa.field("orphan", pa.bool_()),
            # transforms/dedup.py: null when duplicate detection is off
            pa.field("duplicate_exact", pa.bool_()),
            pa.field("duplicate_near", pa.bool_()),
            pa.field("duplicate_of", pa.string()),
        ],
        metadata={"schema_version": SCHEMA_VERSION},
    )

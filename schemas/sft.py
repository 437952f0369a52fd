"""The Arrow schema of the `sft` export: one row per conversation in the form chat trainers
read (`messages: [{role, content}]`), from one release variant (transforms/sft.py)."""
from __future__ import annotations

import pyarrow as pa

__all__ = ["SFT_SCHEMA_VERSION", "sft_schema"]

SFT_SCHEMA_VERSION = "wchat-sft/1"


def sft_schema() -> pa.Schema:
    return pa.schema(
        [
            pa.field("conversation_id", pa.string()),
            pa.field("conversation_hash", pa.string()),
            pa.field("model", pa.string()),
            pa.field("language", pa.string()),
            pa.field("language_code", pa.string()),
            pa.field("turn", pa.int64()),
            pa.field("duplicate", pa.bool_()),
            pa.field("messages", pa.list_(pa.struct([pa.field("role", pa.string()),
                                                     pa.field("content", pa.string())]))),
        ],
        metadata={"schema_version": SFT_SCHEMA_VERSION},
    )

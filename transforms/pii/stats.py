"""Per-conversation statistics, summed into the manifest's `stats`.

Conversation `stats` keys: `pii.redactions.<TYPE>` (placeholders written) and
`pii.messages.<coverage>.<language>`, coverage being `ner+patterns` (NER ran), `names+patterns`
(a role without NER: every recognizer plus the conversation's values) or `patterns` (no NER
model for the language).
"""
from __future__ import annotations

__all__ = ["coverage", "add_message_stats"]


def coverage(ner_ran: bool, has_model: bool) -> str:
    if not has_model:
        return "patterns"
    return "ner+patterns" if ner_ran else "names+patterns"


def add_message_stats(stats: dict, lang: str, cover: str, redactions: dict) -> None:
    key = f"pii.messages.{cover}.{lang}"
    stats[key] = stats.get(key, 0) + 1
    for entity_type, n in redactions.items():
        key = f"pii.redactions.{entity_type}"
        stats[key] = stats.get(key, 0) + n

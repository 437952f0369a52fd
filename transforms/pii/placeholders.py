"""Typed, numbered placeholders, consistent within a conversation.

Overlapping findings are resolved first: the more specific entity wins (a secret over anything,
an e-mail over a name inside it, an IBAN over the card number inside it, a card over the phone
number it also looks like, an address
over the name of its street), then the longer span, then the higher score, then the earlier.
Placeholders count in order of appearance per conversation: `[PERSON_1]`, `[EMAIL_ADDRESS_1]`,
`[PHONE_NUMBER_2]`; the same value (case- and format-insensitive) gets the same number in
every message, and a name part ("Maria") gets its full name's number ("Maria Gonzalez").
"""
from __future__ import annotations

import unicodedata

from transforms.pii.findings import Finding

__all__ = ["resolve_overlaps", "normalize", "Numbering", "replace", "PRIORITY"]

# Which entity wins an overlap (more specific first).
# An IBAN holds card-like digit runs ("FR82 5824 7910 9938 2225 ..."), so it wins over a card.
PRIORITY = _PRIORITY = {"SECRET": 0, "EMAIL_ADDRESS": 1, "IBAN_CODE": 2, "CREDIT_CARD": 3, "US_SSN": 4, "IP_ADDRESS": 5,
             "STREET_ADDRESS": 6, "PHONE_NUMBER": 7, "PERSON": 8}


def resolve_overlaps(findings: list) -> list:
    """Non-overlapping findings in text order."""
    ranked = sorted(findings, key=lambda f: (_PRIORITY.get(f.entity_type, 9), -(f.end - f.start), -f.score, f.start))
    chosen: list = []
    for f in ranked:
        if all(f.end <= c.start or c.end <= f.start for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def normalize(entity_type: str, value: str) -> str:
    if entity_type in ("PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"):
        return "".join(ch for ch in value if ch.isalnum()).upper()
    if entity_type == "PERSON":  # "Amélie" and "Amelie" are one person
        value = "".join(unicodedata.normalize("NFD", ch)[0] for ch in value)
    return " ".join(value.casefold().split()).rstrip(".,;:")


class Numbering:
    """Placeholder numbers of one conversation; `aliases` maps a normalized name part to its
    full name's normalized value, a phone number restated with its country code added or
    dropped to the number as first given, a street named alone to its address."""

    def __init__(self, aliases: dict | None = None):
        self.tables: dict = {}
        self.aliases = aliases or {}

    def number(self, entity_type: str, value: str) -> int:
        table = self.tables.setdefault(entity_type, {})
        key = normalize(entity_type, value)
        if key not in table:
            key = self.aliases.get(key, key)
        if key not in table:
            table[key] = len(table) + 1
        return table[key]


def replace(text: str, findings: list, numbering: Numbering) -> tuple[str, dict]:
    """(scrubbed text, {entity type: redactions}) for non-overlapping `findings`."""
    if not findings:
        return text, {}
    parts, counts, last = [], {}, 0
    for f in resolve_overlaps(findings):
        n = numbering.number(f.entity_type, text[f.start:f.end])
        parts += [text[last:f.start], f"[{f.entity_type}_{n}]"]
        counts[f.entity_type] = counts.get(f.entity_type, 0) + 1
        last = f.end
    parts.append(text[last:])
    return "".join(parts), counts

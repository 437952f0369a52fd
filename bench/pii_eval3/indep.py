"""The `indep` set: hand-written chat messages (indep_texts.py), every one held-out."""

from __future__ import annotations

import hashlib
import re

from bench.pii_eval3.markup import parse
from bench.pii_eval3.indep_texts import TEXTS

TYPES = {"P": "PERSON", "PH": "PHONE_NUMBER", "EM": "EMAIL_ADDRESS", "CC": "CREDIT_CARD",
         "IBAN": "IBAN_CODE", "SSN": "US_SSN", "IP": "IP_ADDRESS", "ADDR": "STREET_ADDRESS",
         "LOC": "LOCATION"}
PART_LABELS = {"n": "building_number", "s": "street", "u": "unit", "pc": "postcode", "c": "city",
               "r": "region", "box": "po_box", "mil": "military", "first": "first", "last": "last"}


def luhn_complete(number: str) -> str:
    """Replace the trailing '?' of a card number by its Luhn check digit."""
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):  # the '?' is position 0, so these start at 1
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return number.replace("?", str((10 - total % 10) % 10))


def iban_complete(iban: str) -> str:
    """Replace the '??' check digits of an IBAN (ISO 13616 mod 97)."""
    compact = iban.replace(" ", "")
    rearranged = compact[4:] + compact[:2] + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    return iban.replace("??", f"{98 - num % 97:02d}", 1)


def complete_checksums(marked: str) -> str:
    marked = re.sub(r"\[\[CC\|([^\]]*)\]\]", lambda m: f"[[CC|{luhn_complete(m.group(1))}]]", marked)
    return re.sub(r"\[\[IBAN\|([^\]]*)\]\]", lambda m: f"[[IBAN|{iban_complete(m.group(1))}]]", marked)


def build() -> list[dict]:
    records = []
    for marked in TEXTS:
        text, spans = parse(complete_checksums(marked))
        for s in spans:
            s["type"] = TYPES[s["type"]]
            for p in s.get("parts", []):
                p["label"] = PART_LABELS[p["label"]]
        rid = "indep-" + hashlib.sha256(marked.encode()).hexdigest()[:10]
        records.append({"id": rid, "set": "indep", "split": "heldout", "lang": "en",
                        "text": text, "spans": spans})
    return records

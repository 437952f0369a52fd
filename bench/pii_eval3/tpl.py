"""The `tpl` set: English sentences from tpl_templates.py, values from Faker in 16 locales.
Split by template: every sample of a template is on the side its id hashes to."""

from __future__ import annotations

import random

from bench.pii_eval3.common import split_of
from bench.pii_eval3.render import render, seed_of, template_id
from bench.pii_eval3.tpl_templates import TEMPLATES
from bench.pii_eval3.values import ENGLISH_LOCALES

SAMPLES_PER_TEMPLATE = 6
# Templates with a card, IBAN, SSN, IP, PO box or military address are drawn 3x as often, or
# those types would have a dozen samples a side.
RARE = ("{cc}", "{iban}", "{ssn}", "{ip}", "{pobox", "{mil")


def build() -> list[dict]:
    records = []
    for template in TEMPLATES:
        tid = template_id("tpl", template)
        rng = random.Random(seed_of("tpl-locales", tid))
        n = SAMPLES_PER_TEMPLATE * (3 if any(r in template for r in RARE) else 1)
        for k in range(n):
            us_only = "{ssn}" in template or "{mil" in template
            locale = "en_US" if us_only and k % 2 == 0 else rng.choice(ENGLISH_LOCALES)
            text, spans = render(template, locale, seed_of("tpl", tid, k))
            records.append({"id": f"{tid}-{k}", "set": "tpl", "template": tid, "split": split_of(tid),
                            "lang": "en", "locale": locale, "text": text, "spans": spans})
    return records

"""The `native` set: native_templates.py filled with Faker values of each language's locales.
Split by template (a hash of its text): no template is on both sides."""

from __future__ import annotations

import random

from bench.pii_eval3.common import split_of
from bench.pii_eval3.native_templates import NATIVE
from bench.pii_eval3.render import render, seed_of, template_id

SAMPLES_PER_TEMPLATE = 8
# Few zh templates hashed to held-out (5 of 24): more samples each, so zh has 40+ there too.
SAMPLES = {"zh": 12}


def build() -> list[dict]:
    records = []
    for lang, (locales, templates) in sorted(NATIVE.items()):
        for template in templates:
            tid = template_id(f"native-{lang}", template)
            rng = random.Random(seed_of("native-locales", tid))
            for k in range(SAMPLES.get(lang, SAMPLES_PER_TEMPLATE)):
                locale = rng.choice(locales)
                text, spans = render(template, locale, seed_of("native", tid, k))
                records.append({"id": f"{tid}-{k}", "set": "native", "template": tid,
                                "split": split_of(tid), "lang": lang, "locale": locale,
                                "text": text, "spans": spans})
    return records

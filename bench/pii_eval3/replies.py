"""The `replies` set: two-message conversations (replies_templates.py) where the reply restates
the user's values in another form. Spans of both messages, each with `message_index` (0 user,
1 assistant) and `form` (the placeholder's form: full, first, title, phone_alt, ...).
Split by template."""

from __future__ import annotations

import random
import re

from bench.pii_eval3.common import split_of
from bench.pii_eval3.markup import parse
from bench.pii_eval3.render import Sample, seed_of, template_id
from bench.pii_eval3.replies_templates import REPLIES

SAMPLES_PER_TEMPLATE = 6
_PLACEHOLDER = re.compile(r"\{([a-z]+\d?)(?:\.([a-z_]+))?\}")
_KIND = {"p": "name", "em": "email", "ph": "phone", "fax": "phone", "cc": "card", "iban": "iban",
         "addr": "address", "mil": "address"}


def _form(entity: str, form: str | None) -> str:
    kind = _KIND.get(entity.rstrip("0123456789"), entity)
    return f"{kind}_{form or 'verbatim'}"


def _message(sample: Sample, template: str, index: int) -> tuple[str, list[dict]]:
    forms = [_form(mt.group(1), mt.group(2)) for mt in _PLACEHOLDER.finditer(template)]
    text, spans = parse(sample.fill(template))
    if len(spans) != len(forms):
        raise ValueError(f"{len(spans)} spans for {len(forms)} placeholders in {template!r}")
    for span, form in zip(spans, forms):
        span["message_index"], span["form"] = index, form
    return text, spans


def build() -> list[dict]:
    records = []
    for lang, locales, user, assistant in REPLIES:
        tid = template_id(f"reply-{lang}", user + "\x00" + assistant)
        rng = random.Random(seed_of("reply-locales", tid))
        for k in range(SAMPLES_PER_TEMPLATE):
            locale = rng.choice(locales)
            sample = Sample(locale, seed_of("reply", tid, k))
            u_text, u_spans = _message(sample, user, 0)
            a_text, a_spans = _message(sample, assistant, 1)
            records.append({"id": f"{tid}-{k}", "set": "replies", "template": tid,
                            "split": split_of(tid), "lang": lang, "locale": locale,
                            "messages": [{"role": "user", "content": u_text},
                                         {"role": "assistant", "content": a_text}],
                            "spans": [s for s in u_spans + a_spans if s["type"] != "LOCATION"]})
    return records

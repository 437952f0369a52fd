"""Fill `{entity.form}` placeholders with marked-up Faker values (values.py), then parse the
markup (markup.py) into text and spans. Shared by the tpl, native and replies builders."""

from __future__ import annotations

import hashlib
import random
import re

from faker import Faker

from bench.pii_eval3 import values as v
from bench.pii_eval3.markup import parse

_PLACEHOLDER = re.compile(r"\{([a-z]+\d?)(?:\.([a-z_]+))?\}")
_MARK = re.compile(r"(\[\[[A-Za-z_]+\||\]\])")


def map_text(marked: str, fn) -> str:
    """Apply `fn` to the text of a marked-up string, leaving the markup itself alone."""
    return "".join(p if _MARK.fullmatch(p) else fn(p) for p in _MARK.split(marked))


def seed_of(*keys) -> int:
    return int.from_bytes(hashlib.sha256("/".join(map(str, keys)).encode()).digest()[:8], "big")


def template_id(prefix: str, template: str) -> str:
    return f"{prefix}-{hashlib.sha256(template.encode()).hexdigest()[:10]}"


def _swap(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


class Sample:
    """The values of one sample: each entity is drawn once, on first use."""

    def __init__(self, locale: str, seed: int):
        self.locale = locale
        self.rng = random.Random(seed)
        self.fake = Faker(locale)
        self.fake.seed_instance(seed)
        self.us = Faker("en_US")
        self.us.seed_instance(seed + 1)
        self.cache: dict[str, object] = {}

    def _get(self, name: str, make):
        if name not in self.cache:
            self.cache[name] = make()
        return self.cache[name]

    def person(self, name: str) -> v.Person:
        return self._get(name, lambda: v.Person(self.fake, self.rng, self.locale))

    def value(self, entity: str, form: str | None) -> str:
        f, rng, loc = self.fake, self.rng, self.locale
        if entity.startswith("p") and entity[1:].isdigit():
            p = self.person(entity)
            forms = {
                None: p.full, "full": p.full, "first": p.first_name, "last": p.last_name,
                "title": p.title_last, "initial": p.initial_last,
                "full_lc": p.full_lc,
                "first_lc": lambda: map_text(p.first_name(), str.lower),
                "last_lc": lambda: map_text(p.last_name(), str.lower),
                "full_up": lambda: map_text(p.full(), str.upper),
                "first_up": lambda: map_text(p.first_name(), str.upper),
                "last_up": lambda: map_text(p.last_name(), str.upper),
                "frist": lambda: v.m("PERSON", _swap(p.first, rng)),
            }
            return forms[form]()
        if entity in ("em", "em2"):
            owner = self.person("p1" if entity == "em" else "p2")
            return self._get(entity, lambda: v.email(f, rng, owner))
        if entity in ("ph", "ph2", "fax"):
            return self._get(entity, lambda: v.phone(f))
        if entity in ("addr", "addr2"):
            block = self._get(entity, lambda: v.address(f, rng, loc))
            return self._address_form(block, form, lambda: v.street_line(f, rng, loc), entity)
        if entity == "pobox":
            return self._address_form(self._get(entity, lambda: v.po_box(f, rng, loc)), form)
        if entity == "mil":
            return self._address_form(self._get(entity, lambda: v.military(self.us, rng)), form)
        simple = {
            "cc": lambda: v.card(self.us, rng), "iban": lambda: v.iban(f, rng),
            "ssn": lambda: v.ssn(self.us), "ip": lambda: v.ip(f, rng), "ip2": lambda: v.ip(f, rng),
            "city": lambda: v.city(f), "country": lambda: v.country(f),
        }
        if entity not in simple:
            raise ValueError(f"unknown placeholder {{{entity}}}")
        return self._get(entity, simple[entity])

    def _address_form(self, block: str, form: str | None, street=None, entity: str = "") -> str:
        if form in (None, "block"):
            return block
        if form == "inline":
            return map_text(block, lambda s: s.replace("\n", ", "))
        if form == "inline_lc":
            return map_text(block, lambda s: s.replace("\n", ", ").lower())
        if form == "street" and street is not None:
            return self._get(entity + ".street", street)
        raise ValueError(f"unknown address form {form!r}")

    def fill(self, template: str) -> str:
        return _PLACEHOLDER.sub(lambda mt: self.value(mt.group(1), mt.group(2)), template)


def render(template: str, locale: str, seed: int) -> tuple[str, list[dict]]:
    """(text, spans) of one template filled with values of `locale`."""
    return parse(Sample(locale, seed).fill(template))

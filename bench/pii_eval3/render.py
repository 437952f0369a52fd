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


_CALLING_CODE = {"en_US": "1", "en_CA": "1", "en_GB": "44", "en_AU": "61", "en_IE": "353",
                 "de_DE": "49", "fr_FR": "33", "es_ES": "34", "it_IT": "39", "pt_PT": "351",
                 "nl_NL": "31", "ru_RU": "7", "pt_BR": "55", "es_MX": "52", "de_AT": "43",
                 "de_CH": "41", "zh_CN": "86", "ja_JP": "81", "ko_KR": "82"}


# The trunk prefix of a national number, dropped in the international form ("030" -> "+49 30").
_TRUNK = {"44": "0", "61": "0", "353": "0", "49": "0", "33": "0", "31": "0", "43": "0", "41": "0",
          "81": "0", "82": "0", "7": "8"}


def _national_digits(value: str, locale: str) -> tuple[str, str]:
    """(calling code, national digits with the trunk 0 where the country uses one)."""
    cc = _CALLING_CODE.get(locale, "")
    digits = re.sub(r"\D", "", value.replace("(0)", "").split("x")[0])
    if value.lstrip().startswith(("+", "00")) and cc:
        digits = digits[2:] if value.lstrip().startswith("00") else digits
        if digits.startswith(cc):
            digits = digits[len(cc):]
            digits = _TRUNK.get(cc, "") + digits
    return cc, digits


def restate_number(marked: str, rng: random.Random, locale: str = "en_US") -> str:
    """The same phone, card or IBAN written another way: other grouping and separators (a
    phone may also gain or lose its +country code and trunk 0)."""
    _, [span] = parse(marked)
    value, kind = span["value"], span["type"]
    if kind == "IBAN_CODE":
        compact = value.replace(" ", "")
        alt = compact if " " in value else " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    elif kind == "CREDIT_CARD":
        digits = re.sub(r"\D", "", value)
        alt = digits if not value.isdigit() else " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    else:
        cc, digits = _national_digits(value, locale)
        style = rng.randrange(4)
        if style == 0 and cc:  # international, without the trunk 0
            trunk = _TRUNK.get(cc, "")
            alt = f"+{cc} " + (digits[len(trunk):] if trunk and digits.startswith(trunk) else digits)
        elif style == 0:
            alt = digits
        elif style == 1:
            alt = "-".join([digits[:3], digits[3:6], digits[6:]]) if len(digits) > 6 else digits
        elif style == 2:
            alt = " ".join(digits[i:i + 2] for i in range(0, len(digits), 2))
        else:
            alt = "(" + digits[:3] + ") " + digits[3:6] + " " + digits[6:]
    return v.m(kind, alt)


def street_of(block: str) -> str:
    """The street line (number and street parts, as they stand) of a marked-up address block."""
    text, [span] = parse(block)
    parts = [p for p in span.get("parts", []) if p["label"] in ("building_number", "street")]
    if not parts:
        return block
    lo, hi = min(p["start"] for p in parts), max(p["end"] for p in parts)
    out, pos = [], lo
    for p in sorted(parts, key=lambda p: p["start"]):
        out += [text[pos:p["start"]], v.m(p["label"], p["value"])]
        pos = p["end"]
    out.append(text[pos:hi])
    return v.m("STREET_ADDRESS", "".join(out))


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
                "title": p.title_last, "initial": p.initial_last, "title_local": p.title_local,
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
            value = self._get(entity, lambda: v.phone(f))
            return restate_number(value, rng, loc) if form == "alt" else value
        if entity in ("addr", "addr2"):
            block = self._get(entity, lambda: v.address(f, rng, loc))
            if form == "street_of":
                return street_of(block)
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
        value = self._get(entity, simple[entity])
        return restate_number(value, rng, loc) if form == "alt" else value

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

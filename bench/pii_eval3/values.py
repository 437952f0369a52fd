"""Faker values as marked-up strings (see markup.py), so generated and hand-written texts share
one labelling path. Address blocks are composed here part by part, in each country's own
layout, so every line of a block (number, street, unit, postcode, city) has its own label."""

from __future__ import annotations

import random
import unicodedata

from faker import Faker

from bench.pii_eval3.markup import m

ENGLISH_LOCALES = ("en_US", "en_GB", "en_CA", "en_AU", "en_IE", "de_DE", "fr_FR", "es_ES",
                   "it_IT", "pt_PT", "nl_NL", "el_GR", "cs_CZ", "da_DK", "pl_PL", "sv_SE")
_CJK_LOCALES = ("zh_CN", "ja_JP", "ko_KR")


def fold(text: str) -> str:
    """ASCII letters only ('Müller' -> 'muller'), for e-mail local parts."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


class Person:
    def __init__(self, fake: Faker, rng: random.Random, locale: str):
        male = rng.random() < 0.5
        first = fake.first_name_male() if male else fake.first_name_female()
        last = fake.last_name_male() if male else fake.last_name_female()
        self.first, self.last, self.male, self.locale = first.strip(), last.strip(), male, locale
        self.cjk = locale in _CJK_LOCALES

    def full(self) -> str:
        if self.cjk:
            return m("PERSON", m("last", self.last) + m("first", self.first))
        return m("PERSON", f"{self.first} {self.last}")

    def full_lc(self) -> str:
        return m("PERSON", f"{self.first} {self.last}".lower())

    def first_name(self) -> str:
        return m("PERSON", self.first)

    def last_name(self) -> str:
        return m("PERSON", self.last)

    def title_last(self, title: str | None = None) -> str:
        title = title or ("Mr." if self.male else "Ms.")
        return f"{title} " + m("PERSON", self.last)

    def title_local(self) -> str:
        """'Herr Weber', 'Mme Roussel', 'Sra. Gómez': the locale's own title and the surname."""
        lang = self.locale[:2]
        titles = {"de": ("Herr", "Frau"), "fr": ("M.", "Mme"), "es": ("Sr.", "Sra."),
                  "it": ("Sig.", "Sig.ra"), "pt": ("Sr.", "Sra.")}.get(lang, ("Mr.", "Ms."))
        return self.title_last(titles[0] if self.male else titles[1])

    def initial_last(self) -> str:
        return m("PERSON", f"{self.first[0]}. {self.last}")

    def email_local(self, rng: random.Random) -> str:
        f, l = fold(self.first), fold(self.last)
        return rng.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}{rng.randint(1, 99)}", f"{l}.{f[0]}",
                           f"{f}{rng.randint(70, 99)}"])


def email(fake: Faker, rng: random.Random, person: Person | None) -> str:
    """A personal address. Never at example.com/.net/.org (Faker's `email()` default): those are
    reserved documentation domains that a scrubber may rightly keep."""
    domain = fake.free_email_domain() if rng.random() < 0.7 else fake.domain_name()
    if person is not None and fold(person.first) and fold(person.last) and rng.random() < 0.8:
        return m("EMAIL_ADDRESS", f"{person.email_local(rng)}@{domain}")
    return m("EMAIL_ADDRESS", f"{fake.user_name()}@{domain}")


def phone(fake: Faker) -> str:
    return m("PHONE_NUMBER", fake.phone_number())


def card(fake: Faker, rng: random.Random) -> str:
    digits = fake.credit_card_number(card_type=rng.choice(["visa16", "mastercard", "amex", "discover"]))
    style = rng.random()
    if style < 0.4 and len(digits) == 16:
        digits = " ".join(digits[i:i + 4] for i in range(0, 16, 4))
    elif style < 0.6 and len(digits) == 16:
        digits = "-".join(digits[i:i + 4] for i in range(0, 16, 4))
    return m("CREDIT_CARD", digits)


def iban(fake: Faker, rng: random.Random) -> str:
    value = fake.iban()
    if rng.random() < 0.5:
        value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
    return m("IBAN_CODE", value)


def ssn(fake: Faker) -> str:
    return m("US_SSN", fake.ssn())


def ip(fake: Faker, rng: random.Random) -> str:
    return m("IP_ADDRESS", fake.ipv4_public() if rng.random() < 0.75 else fake.ipv6())


# --------------------------------------------------------------------------- addresses

def _unit(locale: str, rng: random.Random) -> str:
    n = rng.randint(1, 40)
    letter = rng.choice("ABCDEF")
    return {
        "en_US": rng.choice([f"Apt {n}{letter}", f"Suite {n * 10}", f"Unit {n}", f"#{n * 10 + 2}"]),
        "en_CA": rng.choice([f"Apt {n}", f"Unit {n}{letter}", f"Suite {n * 100}"]),
        "en_GB": rng.choice([f"Flat {n}", f"Flat {n}{letter.lower()}", f"Apartment {n}"]),
        "en_AU": f"Unit {n}", "en_IE": f"Apartment {n}",
        "de_DE": rng.choice([f"Whg. {n}", f"{n % 6 + 1}. OG", f"Wohnung {n}", f"App. {n}"]),
        "fr_FR": rng.choice([f"Appartement {n}", f"Bât. {letter}, apt {n}", f"Résidence {letter}, porte {n}"]),
        "es_ES": rng.choice([f"{n % 9 + 1}º {letter}", f"Piso {n % 9 + 1}, puerta {n % 4 + 1}", f"Esc. {letter}, {n % 9 + 1}º"]),
        "it_IT": rng.choice([f"Interno {n}", f"Scala {letter}, int. {n}"]),
        "pt_PT": rng.choice([f"{n % 9 + 1}º Esq.", f"{n % 9 + 1}º Dto.", f"R/C {letter}"]),
        "nl_NL": rng.choice([f"-{n}", " bis", f"-{n % 3 + 1}hoog"]),
        "el_GR": f"{n % 7 + 1}ος όροφος", "cs_CZ": f"byt {n}",
        "da_DK": rng.choice([f"{n % 5 + 1}. tv.", f"{n % 5 + 1}. th.", f"st. mf."]),
        "pl_PL": f"m. {n}", "sv_SE": f"lgh {1000 + n * 3}",
    }.get(locale, f"Apt {n}")


def _street(fake: Faker, rng: random.Random, locale: str) -> str:
    if locale == "pt_PT" and rng.random() < 0.4:
        return rng.choice(["R.", "R", "Av.", "Trav."]) + " " + fake.last_name()
    if locale == "pl_PL":
        return "ul. " + fake.street_name()
    return fake.street_name()


def _building_number(fake: Faker, rng: random.Random) -> str:
    number = fake.building_number().strip()
    # pt_PT gives "S/N" (sem número): no number, nothing to identify or to score
    return str(rng.randint(1, 250)) if number.upper() == "S/N" else number


def address(fake: Faker, rng: random.Random, locale: str, inline: bool = False,
            with_unit: float = 0.4) -> str:
    """A whole address block, marked up part by part, in the locale's own layout."""
    from bench.pii_eval3.native_values import NATIVE_ADDRESS

    if locale in NATIVE_ADDRESS:
        return NATIVE_ADDRESS[locale](fake, rng)
    bn = m("building_number", _building_number(fake, rng))
    st = m("street", _street(fake, rng, locale))
    unit = m("unit", _unit(locale, rng)) if rng.random() < with_unit else ""
    pc = m("postcode", fake.postcode().strip())
    city = m("city", fake.city().strip())
    if locale in ("en_US", "en_CA", "en_AU"):
        state = m("region", fake.state_abbr() if locale != "en_CA" else fake.province_abbr())
        if locale == "en_AU" and unit and rng.random() < 0.5:
            line1 = m("unit", str(rng.randint(1, 30))) + "/" + f"{bn} {st}"
            unit = ""
        else:
            line1 = f"{bn} {st}"
        lines = [line1] + ([unit] if unit else []) + [f"{city}, {state} {pc}"]
    elif locale in ("en_GB", "en_IE"):
        lines = ([unit] if unit else []) + [f"{bn} {st}", city, pc]
    elif locale == "fr_FR":
        lines = [f"{bn} {st}"] + ([unit] if unit else []) + [f"{pc} {city}"]
    elif locale in ("es_ES", "pt_PT"):
        lines = [f"{st}, {bn}" + (f", {unit}" if unit else ""), f"{pc} {city}"]
    elif locale == "it_IT":
        lines = [f"{st}, {bn}"] + ([unit] if unit else []) + [f"{pc} {city} ({m('region', fake.state_abbr())})"]
    elif locale == "nl_NL":
        lines = [f"{st} {bn}" + (unit if unit else ""), f"{pc} {city}"]
    elif locale == "cs_CZ":
        bn2 = m("building_number", f"{fake.building_number()}/{rng.randint(1, 60)}")
        lines = [f"{st} {bn2}"] + ([unit] if unit else []) + [f"{pc} {city}"]
    elif locale == "da_DK":
        lines = [f"{st} {bn}" + (f", {unit}" if unit else ""), f"{pc} {city}"]
    elif locale == "pl_PL":
        lines = [f"{st} {bn}" + (f" {unit}" if unit else ""), f"{pc} {city}"]
    else:  # de_DE, el_GR, sv_SE and the rest: street then number
        lines = [f"{st} {bn}"] + ([unit] if unit else []) + [f"{pc} {city}"]
    return m("STREET_ADDRESS", (", " if inline else "\n").join(lines))


def street_line(fake: Faker, rng: random.Random, locale: str) -> str:
    """Only the street line (number and street) as the whole address span."""
    bn = m("building_number", _building_number(fake, rng))
    st = m("street", _street(fake, rng, locale))
    if locale in ("en_US", "en_CA", "en_AU", "en_GB", "en_IE", "fr_FR"):
        return m("STREET_ADDRESS", f"{bn} {st}")
    if locale in ("es_ES", "pt_PT", "it_IT"):
        return m("STREET_ADDRESS", f"{st}, {bn}")
    return m("STREET_ADDRESS", f"{st} {bn}")


def po_box(fake: Faker, rng: random.Random, locale: str) -> str:
    n = str(rng.randint(10, 99999))
    pc, city = m("postcode", fake.postcode().strip()), m("city", fake.city().strip())
    if locale == "de_DE":
        return m("STREET_ADDRESS", f"Postfach {m('po_box', n)}\n{pc} {city}")
    if locale == "fr_FR":
        return m("STREET_ADDRESS", f"BP {m('po_box', n)}\n{pc} {city} Cedex")
    if locale in ("es_ES", "pt_PT"):
        return m("STREET_ADDRESS", f"Apartado {m('po_box', n)}\n{pc} {city}")
    if locale in ("en_US", "en_CA", "en_AU"):
        state = m("region", fake.state_abbr() if locale != "en_CA" else fake.province_abbr())
        word = rng.choice(["PO Box", "P.O. Box", "P. O. Box", "POB"])
        return m("STREET_ADDRESS", f"{word} {m('po_box', n)}\n{city}, {state} {pc}")
    return m("STREET_ADDRESS", f"PO Box {m('po_box', n)}\n{city}\n{pc}")


def military(fake: Faker, rng: random.Random) -> str:
    """A US military address (always en_US values)."""
    pc, state = m("postcode", fake.postcode()), m("region", fake.military_state())
    kind = rng.randrange(3)
    if kind == 0:
        first = m("military", fake.military_apo())
        return m("STREET_ADDRESS", f"{first}\nAPO {state} {pc}")
    if kind == 1:
        first = m("military", fake.military_dpo())
        return m("STREET_ADDRESS", f"{first}\nDPO {state} {pc}")
    ship = m("military", f"{fake.military_ship()} {fake.last_name()}")
    return m("STREET_ADDRESS", f"{ship}\nFPO {state} {pc}")


def city(fake: Faker) -> str:
    """A city on its own: to be kept."""
    return m("LOCATION", fake.city().strip())


def country(fake: Faker) -> str:
    return m("LOCATION", fake.country().strip())

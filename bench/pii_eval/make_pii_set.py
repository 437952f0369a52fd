"""Generate the labeled PII sentences: `python -m bench.pii_eval.make_pii_set`.

Writes `data/pii_tune.jsonl.gz` and `data/pii_heldout.jsonl.gz` (split by a hash of the id).
Run it in the generation venv (README.md: presidio-evaluator is not a project dependency).
Same script and versions (constraints.txt + requirements-gen.txt) = same bytes: the script
re-runs itself with PYTHONHASHSEED=0, as the Makefile sets it, because a few Faker locales
pick from sets, and Faker's "up to now" dates are pinned to 1950-2023. No network: sockets are
disabled before presidio-evaluator is imported.

How a sample is made
--------------------
presidio-evaluator 0.3.2's `SentenceFaker` (the engine inside `PresidioSentenceFaker`) fills a
template with Faker values and returns the spans. We drive it ourselves instead of calling
`PresidioSentenceFaker.generate_new_fake_sentences`, because in 0.3.2 that path:
- loads `HospitalProvider`, which queries WikiData over the network (we leave it out: no
  template uses hospitals);
- turns every `<` and `>` in a template into `{{`/`}}`, which breaks the e-mail-quote
  templates (`> {{name}}`), so we only lowercase the tokens, as it also does;
- lowercases span values but not the text (`lower_case_ratio`), so we lowercase whole
  samples ourselves (5%), values and text together;
- overrides every locale's addresses and phones with en_US formats, and its
  `NationalityProvider.country()` returns None.

Templates: the package's 209 English templates (literal `\\n` turned into newlines, one
single-brace typo fixed), plus ours (`templates.py`): English chatbot-style requests and
native-language templates for de/fr/es/it/nl. Templates with e-mail, phone, card, IBAN, IP or
SSN tokens are drawn 3x as often, otherwise those types would have a few dozen samples.
For a non-English locale half the samples use native templates (`lang` = that language), half
the English ones (`lang` = "en", with that locale's names, phones, addresses and IBANs).

Values: en_US draws person records (name, e-mail, phone, ...) from the package's
FakeNameGenerator table (names from many countries), minus its location columns so addresses
stay US-shaped. Other locales draw records built from that locale's Faker (e-mails derived from
the person's name, as real ones are). Everything else comes from the locale's Faker
providers, plus the package's IP, organisation, nationality, age and driver-licence providers;
SSNs are always US-format (the English templates say "SSN").

Label mapping (template token -> span `type`; the token is kept in `label`)
---------------------------------------------------------------------------
- PERSON: person, name, name_female, name_male, first_name*, last_name*
- EMAIL_ADDRESS: email; PHONE_NUMBER: phone_number; CREDIT_CARD: credit_card_number;
  IBAN_CODE: iban; US_SSN: ssn
- IP_ADDRESS: ip_address when `ipaddress` calls it global (public); a private, loopback or
  reserved one becomes IP_ADDRESS_NONPUBLIC (the scrubber must keep those).
- STREET_ADDRESS: an *address block*, i.e. a run of address parts (building_number,
  street_name, street_address, secondary_address, postcode, zipcode, city, state, state_abbr,
  country, postcode_city_province, military_*) separated only by spaces, commas, newlines or
  quote marks (`>`), that contains a street-level part (building number, street name, unit,
  military box). The whole block is one span (street line, unit line, postcode + city line,
  country line); its parts are listed in `parts` with offsets. Presidio-evaluator labels each
  part STREET_ADDRESS on its own; merging keeps spans from overlapping and says which city
  belongs to an address.
- Parts outside any block keep the package's label: city/state/country -> GPE, and
  postcode/zipcode -> ZIP_CODE (the package calls a lone postcode STREET_ADDRESS; a postcode
  alone is not a street address).
- Everything else as presidio-evaluator maps it (ORGANIZATION, DATE_TIME, NRP, TITLE, AGE,
  DOMAIN_NAME, US_DRIVER_LICENSE, ...).
"""

from __future__ import annotations

import datetime
import ipaddress
import random
import re
from collections import Counter

from bench.pii_eval import templates as our_templates
from bench.pii_eval.common import DATA_DIR, ascii_fold, dump_jsonl, forbid_network, pin_hash_seed, split_of

SEED = 20240611
SAMPLES_PER_LOCALE = 700
NATIVE_SHARE = 0.5
LOWERCASE_SHARE = 0.05
RARE_TOKENS = ("email", "iban", "ip_address", "credit_card_number", "phone_number")
RARE_WEIGHT = 3
SSN_WEIGHT = 8  # only 2 package templates and 3 of ours carry an SSN
EPOCH, WINDOW_END = datetime.datetime(1950, 1, 1), datetime.datetime(2024, 1, 1)
LOCALES = {"en_US": "en", "de_DE": "de", "fr_FR": "fr", "es_ES": "es", "it_IT": "it", "nl_NL": "nl"}

PERSON_LABELS = {
    "person", "name", "name_female", "name_male", "first_name", "first_name_male",
    "first_name_female", "first_name_nonbinary", "last_name", "last_name_male", "last_name_female",
}
DIRECT = {
    "email": "EMAIL_ADDRESS", "phone_number": "PHONE_NUMBER", "credit_card_number": "CREDIT_CARD",
    "credit_card": "CREDIT_CARD", "iban": "IBAN_CODE", "ssn": "US_SSN",
    "iban_spaced": "IBAN_CODE", "credit_card_spaced": "CREDIT_CARD",
}
ADDRESS_PARTS = {
    "building_number", "street_name", "street_address", "secondary_address", "postcode",
    "zipcode", "city", "state", "state_abbr", "country", "postcode_city_province",
    "military_apo", "military_ship", "military_dpo", "military_state",
}
STREET_LEVEL = {
    "building_number", "street_name", "street_address", "secondary_address",
    "military_apo", "military_ship", "military_dpo",
}
LONE_PART_TYPE = {"postcode": "ZIP_CODE", "zipcode": "ZIP_CODE", "military_state": "GPE"}
BLOCK_GAP = re.compile(r"(?:[\s,;>?]|APO|FPO|DPO)*")

# Units and regions for locales whose Faker lacks them (the package templates use them).
SECONDARY = {
    "de_DE": ("Wohnung #", "Whg. %#", "%. OG", "App. %"),
    "fr_FR": ("Appartement %#", "Bâtiment %", "Étage %"),
    "nl_NL": ("App. %#", "bus %", "%-hoog"),
}
STATE_ABBR = {
    "de_DE": ("BY", "BW", "NW", "HE", "NI", "SN", "BE", "HH", "HB", "SH", "RP", "SL", "TH", "ST"),
    "fr_FR": ("IDF", "ARA", "PACA", "OCC", "NAQ", "BRE", "NOR", "HDF", "GES", "BFC", "PDL"),
    "es_ES": ("M", "B", "V", "SE", "MA", "Z", "BI", "GR", "A", "MU"),
    "nl_NL": ("NH", "ZH", "UT", "NB", "GE", "OV", "LI", "GR", "FR", "DR", "FL", "ZE"),
}


def package_templates() -> list[str]:
    from presidio_evaluator.data_generator import presidio_templates_file_path

    out = []
    for line in presidio_templates_file_path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        line = line.replace("\\n", "\n").replace("\\,", ",").replace("\ufffd", "-")
        line = re.sub(r"(?<!\{)\{(\w+)\}(?!\})", r"{{\1}}", line)  # "{street_name}" typo
        out.append(line)
    return out


def lowercase_tokens(template: str) -> str:
    return re.sub(r"\{\{(.*?)\}\}", lambda m: "{{" + m.group(1).lower() + "}}", template)


def expand_addresses(template: str, faker, rng: random.Random) -> str:
    """Replace {{address}}/{{street_address}} by one of the provider's own formats, so that
    the street, number, unit, postcode and city each get a span."""
    for token in ("address", "street_address"):
        while "{{" + token + "}}" in template:
            formats = getattr(getattr(faker, token).__self__, token + "_formats")
            if isinstance(formats, dict):
                fmt = rng.choices(list(formats), weights=list(formats.values()))[0]
            else:
                fmt = rng.choice(list(formats))
            template = template.replace("{{" + token + "}}", fmt.strip(), 1)
    return template


def email_from_name(first: str, last: str, domain: str, rng: random.Random) -> str:
    f = re.sub(r"[^a-z0-9]", "", ascii_fold(first).lower())
    last_parts = [re.sub(r"[^a-z0-9]", "", p) for p in ascii_fold(last).lower().split()]
    l = "".join(last_parts) or "x"
    local = rng.choice([
        f"{f}.{l}", f"{f}{l}", f"{f[:1]}.{l}", f"{f}_{l}", f"{f}.{l}{rng.randint(1, 99)}",
        f"{l}.{f}", f"{f}{rng.randint(70, 99)}", f"{f[:1]}{l}",
    ])
    return f"{local}@{domain}"


def locale_records(locale: str, n: int, seed: int) -> list[dict]:
    """Person records from the locale's Faker: name, gendered parts, prefix, e-mail, phone."""
    from faker import Faker

    fk = Faker(locale)
    fk.seed_instance(seed)
    rng = random.Random(seed)
    records = []
    for _ in range(n):
        female = rng.random() < 0.5
        first = fk.first_name_female() if female else fk.first_name_male()
        last = fk.last_name()
        prefix = fk.prefix_female() if female else fk.prefix_male()
        if rng.random() < 0.15:
            person = f"{first} {fk.random_uppercase_letter()}. {last}"
        else:
            person = f"{first} {last}"
        records.append({
            "first_name": first, "last_name": last, "person": person, "name": person,
            "prefix": prefix,
            "first_name_female": first if female else "", "first_name_male": "" if female else first,
            "last_name_female": last if female else "", "last_name_male": "" if female else last,
            "prefix_female": prefix if female else "", "prefix_male": "" if female else prefix,
            "email": email_from_name(first, last, fk.free_email_domain(), rng),
            "phone_number": fk.phone_number(),
        })
    return records


def en_us_records() -> list[dict]:
    from presidio_evaluator.data_generator.faker_extensions.datasets import load_fake_person_df

    df = load_fake_person_df()
    drop = ["street_name", "city", "state", "state_abbr", "zipcode", "country", "country_code"]
    return df.drop(columns=[c for c in drop if c in df.columns]).to_dict(orient="records")


def _group4(number: str, sep: str) -> str:
    return sep.join(number[i:i + 4] for i in range(0, len(number), 4))


def build_faker(locale: str, seed: int):
    from faker.providers import BaseProvider
    from faker.providers.ssn.en_US import Provider as UsSsnProvider
    from presidio_evaluator.data_generator import PresidioSentenceFaker
    from presidio_evaluator.data_generator.faker_extensions import (
        AddressProviderNew, AgeProvider, IpAddressProvider, NationalityProvider,
        OrganizationProvider, PhoneNumberProviderNew, ReligionProvider, UsDriverLicenseProvider,
    )
    from presidio_evaluator.data_generator.faker_extensions.sentences import SentenceFaker

    records = en_us_records() if locale == "en_US" else locale_records(locale, 800, seed)
    faker = SentenceFaker(records=records, locale=locale, lower_case_ratio=0.0)
    countries = list(faker.country.__self__.countries)
    providers = [IpAddressProvider, NationalityProvider, OrganizationProvider,
                 UsDriverLicenseProvider, AgeProvider, ReligionProvider]
    if locale == "en_US":
        providers += [AddressProviderNew, PhoneNumberProviderNew]
    else:
        providers += [UsSsnProvider]
    for provider in providers:
        faker.add_provider(provider)

    # Faker's dates end "now": pin the window so the bytes do not change with the calendar.
    fixes = {
        "date_time": lambda self: str(self.generator.date_time_between(EPOCH, WINDOW_END)),
        "date_of_birth": lambda self: self.generator.date_between(EPOCH, WINDOW_END).isoformat(),
        "year": lambda self: str(self.generator.date_between(EPOCH, WINDOW_END).year),
        "country": lambda self: self.random_element(countries),
        "iban_spaced": lambda self: _group4(self.generator.iban(), " "),
        "credit_card_spaced": lambda self: _group4(
            self.generator.credit_card_number(), self.random_element((" ", " ", "-"))),
    }
    if not hasattr(faker, "secondary_address"):
        units = SECONDARY[locale]
        fixes["secondary_address"] = lambda self: self.numerify(self.random_element(units))
    if not hasattr(faker, "state_abbr"):
        abbrs = STATE_ABBR[locale]
        fixes["state_abbr"] = lambda self: self.random_element(abbrs)
    if not hasattr(faker, "state"):
        region = "region" if hasattr(faker, "region") else "province"
        fixes["state"] = lambda self: getattr(self.generator, region)()
    if not hasattr(faker, "zipcode"):
        fixes["zipcode"] = lambda self: self.generator.postcode()
    faker.add_provider(type("LocaleFixes", (BaseProvider,), fixes))

    for provider_name, alias in PresidioSentenceFaker.PROVIDER_ALIASES:
        faker.add_provider_alias(provider_name=provider_name, new_name=alias)
    return faker


def span_type(label: str, value: str) -> str:
    from presidio_evaluator.data_generator import PresidioSentenceFaker

    if label in PERSON_LABELS:
        return "PERSON"
    if label in DIRECT:
        return DIRECT[label]
    if label == "ip_address":
        return "IP_ADDRESS" if ipaddress.ip_address(value).is_global else "IP_ADDRESS_NONPUBLIC"
    if label in LONE_PART_TYPE:
        return LONE_PART_TYPE[label]
    return PresidioSentenceFaker.ENTITY_TYPE_MAPPING.get(label, label.upper())


def to_spans(text: str, raw: list[tuple[str, int, int]]) -> list[dict]:
    """Map labels and merge address blocks. `raw` = (label, start, end), any order."""
    raw = sorted(raw, key=lambda r: r[1])
    spans: list[dict] = []
    i = 0
    while i < len(raw):
        label, start, end = raw[i]
        j = i
        if label in ADDRESS_PARTS:
            while (j + 1 < len(raw) and raw[j + 1][0] in ADDRESS_PARTS
                   and BLOCK_GAP.fullmatch(text[raw[j][2]:raw[j + 1][1]])):
                j += 1
        block = raw[i:j + 1]
        if label in ADDRESS_PARTS and any(b[0] in STREET_LEVEL for b in block):
            start, end = block[0][1], block[-1][2]
            parts = [{"label": b[0], "start": b[1], "end": b[2], "value": text[b[1]:b[2]]}
                     for b in block]
            spans.append({"type": "STREET_ADDRESS", "start": start, "end": end,
                          "value": text[start:end], "label": "address_block", "parts": parts})
        else:
            for b in block:
                value = text[b[1]:b[2]]
                spans.append({"type": span_type(b[0], value), "start": b[1], "end": b[2],
                              "value": value, "label": b[0]})
        i = j + 1
    return spans


def generate() -> list[dict]:
    import numpy as np
    from faker import Faker

    english = [(t, "presidio-evaluator") for t in package_templates()]
    english += [(t, "ours") for t in our_templates.ENGLISH]
    weights = [SSN_WEIGHT if "{{ssn}}" in t
               else RARE_WEIGHT if any("{{" + k + "}}" in t for k in RARE_TOKENS) else 1
               for t, _ in english]
    out = []
    for locale_no, (locale, lang) in enumerate(LOCALES.items()):
        seed = SEED + locale_no
        Faker.seed(seed)  # SentenceFaker's providers use Faker's shared random ...
        random.seed(seed)  # ... the package's IP/age providers and records use `random`
        np.random.seed(seed)
        rng = random.Random(seed)
        faker = build_faker(locale, seed)
        native = our_templates.NATIVE.get(lang, [])
        for n in range(SAMPLES_PER_LOCALE):
            if native and rng.random() < NATIVE_SHARE:
                template, source, text_lang = rng.choice(native), "ours", lang
            else:
                (template, source), = rng.choices(english, weights=weights)
                text_lang = "en"
            template = expand_addresses(lowercase_tokens(template), faker, rng)
            sample = faker.parse(template)
            text = sample.full_text
            raw = []
            for s in sample.spans:
                if text[s.start_position:s.end_position] != str(s.entity_value):
                    raise AssertionError(f"span offsets wrong in {text!r}: {s}")
                if s.end_position > s.start_position:
                    raw.append((s.entity_type, s.start_position, s.end_position))
            if rng.random() < LOWERCASE_SHARE and len(text.lower()) == len(text):
                text = text.lower()
            sample_id = f"pii-{locale}-{n:04d}"
            out.append({"id": sample_id, "locale": locale, "lang": text_lang,
                        "template_source": source, "text": text, "spans": to_spans(text, raw)})
    return out


def main() -> None:
    pin_hash_seed("bench.pii_eval.make_pii_set")
    forbid_network()
    records = generate()
    by_split = {"tune": [], "heldout": []}
    for r in records:
        by_split[split_of(r["id"])].append(r)
    for split, rows in by_split.items():
        dump_jsonl(rows, DATA_DIR / f"pii_{split}.jsonl.gz")
        counts = Counter(s["type"] for r in rows for s in r["spans"])
        print(f"{split}: {len(rows)} samples; " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()

"""The conversation's values: PII found in one message is redacted wherever it recurs.

A model's reply restates what the user gave: the name re-cased ("my friend ellen smith" ->
"Ellen Smith"), the phone number reformatted, the e-mail address upper-cased, a name derived
from the e-mail ("anna.k.berg@..." -> "Anna K. Berg"). So, per conversation:
  - every PERSON value and each part of a multi-word name ("Maria Gonzalez" -> "Maria",
    "Gonzalez"; initials, particles and titles excluded; the given name of a Chinese name) is
    searched in every message: full names case-insensitively, parts capitalized or as the user
    wrote them, accents ignored, also inflected ("Sybillas", "Панфиловой"); whole words, except
    in scripts written without spaces (CJK, Thai), where a name is a substring;
  - the local part of each redacted e-mail address, split on ".", "_", "-" and digits dropped,
    becomes a name when it has two parts or the gazetteer knows its part (not "info", "sales");
  - numbers (phone, card, SSN, IBAN) are searched by their digits with any separators, phone
    numbers also with their country code added or dropped ("+49 30 1234567" ~ "030 1234567"), e-mail
    and IP addresses as written (any case), street addresses line by line with any spacing;
  - a Japanese or Chinese name also by any one part before a Japanese form of address or
    after a Chinese salutation ("木村幹" -> "幹さん", "木村様"; "王丽" -> "亲爱的丽，");
  - a street address also by its street alone ("42 Wallaby Way" -> "Wallaby Way", any case);
  - a name found in a reply (a role outside `ner_roles`) by a cue or the gazetteer is a person
    only if what people typed in the conversation (the `ner_roles` messages) contains it:
    names a model invents or knows (story characters, public figures) stay, names the user
    gave do not.
The same value gets the same placeholder everywhere (a part gets its full name's).
"""
from __future__ import annotations

import unicodedata

import regex

from transforms.pii.findings import Finding
from transforms.pii.names import NOT_PERSON_WORDS, ROLE_WORDS, cjk_given_name, grow_name, name_parts
from transforms.pii.placeholders import PRIORITY, normalize

__all__ = ["spread_values", "email_names", "confirm_reply_names"]

_DIGITS = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"})
_NO_SPACES = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
_JA_NAME = regex.compile(r"[\p{Han}々\p{Hiragana}\p{Katakana}ー]{2,6}")
_JA_SUFFIX = r"(?=さん|様|さま|くん|君|ちゃん|氏|先生|殿)"
_ZH_SALUTATION = r"(?<=亲爱的|親愛的|敬爱的|尊敬的)"
_LOCAL_SPLIT = regex.compile(r"[._\-+]+|\d+")
_CAMEL_PIECE = regex.compile(r"IJ\p{Ll}+|\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})")
# Local parts that name a role or a mailbox, not a person.
_MAILBOX_WORDS = frozenset("""
info support sales admin contact team office hello hi mail email noreply reply service services help billing
news newsletter marketing jobs careers hr press media webmaster postmaster accounts account orders order
shop store booking bookings reservations reception enquiries inquiries feedback abuse security it dev test
""".split())
SPREAD_SCORE = 0.9


def fold_accents(text: str) -> str:
    """The text with accents dropped, one character for one ("Kühnert" -> "Kuhnert"), so
    offsets stay valid: names read off e-mail addresses lose their accents."""
    return "".join(unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch for ch in text)


def email_names(email: str, gazetteer) -> list:
    """Names in an e-mail local part ("anna.k.berg" -> "Anna K Berg" and "Anna Berg",
    "VidePersson" -> "Vide Persson"): two or more parts of letters that are not mailbox words,
    or one the gazetteer knows; run-together capitalized parts when one is a known first name."""
    local = email.rsplit("@", 1)[0]
    parts = [p for p in _LOCAL_SPLIT.split(local) if p and p.isalpha()]
    # "VidePersson" -> "Vide", "Persson" when the gazetteer knows one of the pieces.
    camel = [piece for p in parts for piece in (_CAMEL_PIECE.findall(p) if not p.isupper() else [p])]
    if len(camel) > len(parts) and any(len(c) >= 3 and gazetteer.is_first(c) for c in camel) and not any(
            c.casefold() in NOT_PERSON_WORDS or c.casefold() in ROLE_WORDS for c in camel):
        parts = camel
    long_parts = [p for p in parts if len(p) >= 2]
    if not long_parts or any(p.casefold() in _MAILBOX_WORDS for p in parts):
        return []
    if len(long_parts) < 2 and not any(len(p) >= 3 and gazetteer.is_name(p) for p in parts):
        return []
    names = [" ".join(p.title() for p in parts)]
    if len(long_parts) != len(parts):
        names.append(" ".join(p.title() for p in long_parts))
    return names


def _word_pattern(word: str, in_full_name: bool = False) -> str:
    """A name word, also inflected: "Sybilla" ~ "Sybillas", "Emily's"; Cyrillic names by their
    stem ("Панфилова" ~ "Панфиловой", "Осипову"); short Cyrillic names only inside a full
    name, where the other word vouches for them ("Ия Котова" ~ "Ии Котовой", "Яну Котову")."""
    if _CYRILLIC.search(word) and len(word) >= 4:
        stem = word[:-2] if len(word) >= 5 else word[:-1] if word[-1].lower() in "аяеёоуыийь" else word
        return regex.escape(stem) + r"\p{Cyrillic}{0,3}"
    if _CYRILLIC.search(word) and in_full_name and len(word) >= 2:
        stem = word[:-1] if word[-1].lower() in "аяеёоуыийь" else word
        return regex.escape(stem) + r"\p{Cyrillic}{0,2}"
    # "Jean-Luc" also as "Jean Luc" and "JeanLuc".
    return regex.escape(word).replace(r"\-", r"[\s\-]?") + r"(?:['’]?s)?"


def _name_pattern(name: str) -> str:
    words = [w.rstrip(".") for w in fold_accents(name).split()]
    # "anna k berg" also matches "Anna K. Berg" and "Anna-K.-Berg".
    body = r"\.?[\s\-]+".join(_word_pattern(w, len(words) > 1) if len(w) > 1 else regex.escape(w) for w in words)
    body += r"\.?" if len(words[-1]) == 1 else ""
    if _NO_SPACES.search(name):
        return regex.escape(fold_accents(name))
    return rf"(?<![\w@.]){body}(?![\w@])"


def _digits_pattern(value: str) -> str | None:
    chars = [ch for ch in value if ch.isalnum()]
    if len(chars) < 7:
        return None
    return r"(?<![\w])" + r"[\s.\-()/]{0,3}".join(regex.escape(ch) for ch in chars) + r"(?![\w])"


_SEP = r"[\s.\-()/]{0,3}"
# What may stand before a national number: a country code ("+49 ", "0049", "+44 (0)") or a trunk 0.
_PHONE_PREFIX = rf"(?:(?:\+|00)\d{{1,3}}{_SEP}(?:\(0\){_SEP})?|\(?0\)?{_SEP})?"


def _national_number(value: str) -> str | None:
    """The digits of a phone number without its country code or trunk 0 ("+49 30 1234567" and
    "030 1234567" -> "301234567"), so a reply that adds or drops the code still matches."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.lstrip().startswith(("+", "00")):
        import phonenumbers

        try:
            number = phonenumbers.parse("+" + digits.removeprefix("00") if value.lstrip().startswith("00")
                                        else value, None)
        except phonenumbers.NumberParseException:
            return None
        return str(number.national_number)
    return digits[1:] if digits.startswith("0") else digits


def _phone_pattern(value: str) -> str | None:
    national = _national_number(value)
    if not national or len(national) < 7:
        return None
    return rf"(?<![\w+]){_PHONE_PREFIX}" + _SEP.join(national) + r"(?![\w])"


_STREET_NOISE = regex.compile(r"\d+(?:[号號番]地?|丁目)|\b\d+[\p{L}]?\b|[,;:#№]|\b(?i:apt|apartment|suite|unit|piso|puerta|app|appartamento|"
                              r"wohnung|whg|lgh|кв|д|дом)\b\.?")


def street_name(address: str) -> str | None:
    """The street of an address without its house number and unit ("42 Wallaby Way, Sydney" ->
    "Wallaby Way", "Via Roma 3" -> "Via Roma"): replies name the street alone. None when what
    is left is too short to be distinctive."""
    first = regex.split(r"[,\n]", address.strip(), maxsplit=1)[0]
    words = _STREET_NOISE.sub(" ", first).split()
    if words and _NO_SPACES.search(first):
        return "".join(words) if sum(len(w) for w in words) >= 3 else None
    if not words or sum(len(w) for w in words) < 6 or not any(len(w) >= 4 and w[0].isalpha() for w in words):
        return None
    return " ".join(words)


def _street_word(word: str) -> str:
    word = word.rstrip(".")
    if _CYRILLIC.search(word) and len(word) >= 5:  # "улица Садовая" ~ "улицу Садовую"
        return regex.escape(word[:-2]) + r"\p{Cyrillic}{0,3}"
    return regex.escape(word) + r"\.?"


def _street_pattern(street: str) -> str:
    if _NO_SPACES.search(street):
        street = street.replace(" ", "")
        # "東京都渋谷区神南" also as "神南", "上海市浦东新区世纪大道" as "世纪大道": the part after
        # the last administrative unit, which replies name alone.
        local = regex.split(r"[都道府県市区町村郡]", street)[-1]
        return "|".join(regex.escape(v) for v in sorted({street, local} if len(local) >= 2 else {street}))
    # (a number the street name holds may stand between its words: "пер. 8 Марта" ~ "пер. Марта")
    return r"(?<![\w])" + r"[\s,.\-]+(?:\d{1,3}[\s]+)?".join(_street_word(w) for w in street.split()) + r"(?![\w])"


def _text_pattern(value: str) -> str:
    return r"(?<![\w])" + r"\s+".join(regex.escape(w) for w in value.split()) + r"(?![\w])"


def confirm_reply_names(texts: list, per_message: list, typed: list) -> list:
    """Drop PERSON findings of replies (`typed` False) unless a typed message of the
    conversation contains the same name (case- and spacing-insensitive)."""
    checked = " ".join(" ".join(t.split()) for t, by_people in zip(texts, typed) if by_people).casefold()
    out = []
    for text, found, by_people in zip(texts, per_message, typed):
        if by_people:
            out.append(found)
            continue
        out.append([f for f in found if f.entity_type != "PERSON"
                    or " ".join(text[f.start:f.end].casefold().split()) in checked])
    return out


def spread_values(texts: list, per_message: list, gazetteer) -> tuple[list, dict]:
    """Add a finding wherever a value found in the conversation recurs; return (findings per
    message, aliases {normalized name part: normalized full name})."""
    names: dict = {}  # regex source -> (entity type, length of the value: longer values are tried first)
    aliases: dict = {}
    # pattern of a value restated in another form (a phone with its code added or dropped, a
    # street alone or inflected) -> the value as first given, for one placeholder
    restated: dict = {}
    people = []
    for text, found in zip(texts, per_message):
        for f in found:
            value = text[f.start:f.end]
            if f.entity_type == "PERSON":
                people.append(" ".join(value.split()))
            elif f.entity_type == "EMAIL_ADDRESS":
                names[rf"(?i:{_text_pattern(value)})"] = ("EMAIL_ADDRESS", len(value))
                people += email_names(value, gazetteer)
            elif f.entity_type in _DIGITS:
                pattern = _digits_pattern(value)
                if pattern:
                    names[rf"(?i:{pattern})"] = (f.entity_type, len(value))
                pattern = _phone_pattern(value) if f.entity_type == "PHONE_NUMBER" else None
                if pattern:
                    names[pattern] = (f.entity_type, len(value))
                    restated[pattern] = normalize("PHONE_NUMBER", value)
            elif f.entity_type == "STREET_ADDRESS":
                # the street line, and the lines of its block that hold a number (a town or a
                # country line alone stays in replies, as it does outside a block)
                for i, line in enumerate(value.splitlines()):
                    if len(line.strip()) >= 8 and (i == 0 or any(ch.isdigit() for ch in line)):
                        names[rf"(?i:{_text_pattern(line.strip().rstrip(','))})"] = ("STREET_ADDRESS", len(line))
                street = street_name(value)
                if street:
                    source = rf"(?i:{_street_pattern(street)})"
                    names[source] = ("STREET_ADDRESS", len(street))
                    restated[source] = normalize("STREET_ADDRESS", value)
            elif f.entity_type in ("IP_ADDRESS", "SECRET"):
                names[_text_pattern(value)] = (f.entity_type, len(value))
    for full in people:
        names[rf"(?i:{_name_pattern(full)})"] = ("PERSON", len(full))
        # Japanese replies address by one part of the name and a suffix ("幹さん", "木村様").
        if _JA_NAME.fullmatch(full):
            # (every part: a cue cannot tell "王丽" from "王丽写")
            for part in sorted({full[i:j] for i in range(len(full)) for j in range(i + 1, len(full) + 1)} - {full}):
                names[regex.escape(part) + _JA_SUFFIX] = ("PERSON", len(part))
                # ... and Chinese ones after a salutation ("亲爱的丽，").
                names[_ZH_SALUTATION + regex.escape(part) + r"(?=[，,！!。：:\s])"] = ("PERSON", len(part))
                aliases.setdefault(normalize("PERSON", part), normalize("PERSON", full))
        # A name typed in lower case still has parts ("margaud huet" -> "Margaud", "Huet").
        # (and a two-letter Cyrillic given name the gazetteer knows: "Ян Котов" -> "Ян")
        cased = full if not full.islower() else full.title()
        short = [w for w in cased.split()[:1] if len(cased.split()) > 1 and len(w) == 2 and w[0].isupper()
                 and _CYRILLIC.search(w) and gazetteer.is_first(w)]
        for part in name_parts(cased) + cjk_given_name(full) + short:
            variants = {part, part.title(), part.upper()}
            names["|".join(_name_pattern(v) for v in sorted(variants))] = ("PERSON", len(part))
            aliases.setdefault(normalize("PERSON", part), normalize("PERSON", full))
    if not names:
        return per_message, aliases
    # Longer values first; at equal length the more specific type (an address over a name).
    sources = sorted(names, key=lambda s: (-names[s][1], PRIORITY.get(names[s][0], 9), s))
    pattern = regex.compile("|".join(f"(?P<v{i}>{s})" for i, s in enumerate(sources)))
    types = {f"v{i}": names[s][0] for i, s in enumerate(sources)}
    restated = {f"v{i}": restated[s] for i, s in enumerate(sources) if s in restated}
    out = []
    for text, found in zip(texts, per_message):
        extra = []
        for m in pattern.finditer(fold_accents(text)):
            extra.append(Finding(types[m.lastgroup], m.start(), m.end(), SPREAD_SCORE, "conversation"))
            if m.lastgroup in restated:  # "+49 171 ..." numbered as the "0171 ..." it restates
                aliases.setdefault(normalize(types[m.lastgroup], text[m.start():m.end()]), restated[m.lastgroup])
        # A part found again covers the rest of its name there ("[Mare] van 't Houteveen").
        extra = [Finding(f.entity_type, *grow_name(text, f.start, f.end, gazetteer), f.score, f.source)
                 if f.entity_type == "PERSON" else f for f in extra]
        out.append(found + extra if extra else found)
    return out, aliases

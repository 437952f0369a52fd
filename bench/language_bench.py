"""Language stage vs plain `langdetect.detect()` on the labeled set in bench/lang_eval/.

    python -m bench.language_bench [--split heldout] [--lingua-mode high] [--lingua-when unsure] [--json PATH]

Prints, per language of the split: accuracy of the stage and of plain langdetect (seeded,
whole message, as a new user would call it), side by side; the 12-most-common-languages
line (WildChat's 12 most common) and the average over every language; accuracy per kind;
then messages/s of the stage and of plain langdetect on the split's messages, in this run, and
how many samples lingua was run on.

How the stage is scored: each sample is a user message. A message the stage gives no
language of its own (fewer than `min_letters` letters) takes its conversation's language, so
it is scored inside a two-message conversation whose other user message is a sample of the
same language and kind "prompt" (the language's prompts in turn; "stage"); "alone" scores every message by itself
(then such a message is "Unknown", a miss). Plain langdetect always sees the message alone.
Nothing is asserted; `make bench` calls `run()`.
"""
from __future__ import annotations

import argparse
import json
import time

__all__ = ["run", "TOP12"]

# WildChat's 12 most common languages (by turns).
TOP12 = ("en", "zh", "ru", "fr", "es", "pt", "de", "ar", "it", "tr", "ko", "ja")


def samples(split: str) -> list:
    """[(lang, kind, text)] of a split of bench/lang_eval/."""
    from bench.lang_eval.load import load

    out = []
    for s in load(split):
        get = s.get if isinstance(s, dict) else (lambda k, s=s: getattr(s, k))
        out.append((get("lang"), get("kind"), get("text")))
    return out


def _plain_langdetect():
    import langdetect
    from langdetect.lang_detect_exception import LangDetectException

    from transforms.language.names import from_langdetect

    langdetect.DetectorFactory.seed = 0

    def detect(text):
        try:
            return from_langdetect(langdetect.detect(text))
        except LangDetectException:
            return None
    return detect


def _contexts(data: list) -> list:
    """For each sample, a chat-style prompt of its language to stand before it in a
    conversation: the language's prompts in turn (the i-th sample of a language gets its
    i-th prompt, cyclically), never the sample itself."""
    prompts: dict = {}
    for i, (lang, kind, _) in enumerate(data):
        if kind == "prompt":
            prompts.setdefault(lang, []).append(i)
    seen: dict = {}
    out = []
    for i, (lang, _, _) in enumerate(data):
        pool = [j for j in prompts.get(lang, []) if j != i]
        k = seen[lang] = seen.get(lang, -1) + 1
        out.append(data[pool[k % len(pool)]][2] if pool else None)
    return out


def score(data: list, detector, plain) -> dict:
    """{lang: {"n", "stage", "alone", "plain", "kinds": {kind: [stage hits, n]}}}."""
    from transforms.language import annotate_languages

    table: dict = {}
    for (lang, kind, text), context in zip(data, _contexts(data)):
        alone = detector.detect(text)[0]
        stage = alone
        if alone is None and context is not None:
            conv = {"messages": [{"role": "user", "content": context}, {"role": "user", "content": text}]}
            stage = annotate_languages(conv, detector)[0]["messages"][1]["language_code"]
        row = table.setdefault(lang, {"n": 0, "stage": 0, "alone": 0, "plain": 0, "kinds": {}})
        row["n"] += 1
        row["stage"] += stage == lang
        row["alone"] += alone == lang
        row["plain"] += plain(text) == lang
        kind_row = row["kinds"].setdefault(kind, [0, 0])
        kind_row[0] += stage == lang
        kind_row[1] += 1
    return table


def speed(texts: list, detector_factory, plain, chunk: int = 200) -> dict:
    """Messages/s of a fresh stage detector (empty cache) and of plain langdetect on the same
    texts, timed in alternating chunks so that load on a shared machine hits both alike. Run
    it after `score()` so that both have loaded their models in this process."""
    detector = detector_factory()
    stage_s = plain_s = 0.0
    for i in range(0, len(texts), chunk):
        part = texts[i:i + chunk]
        t0 = time.perf_counter()
        for t in part:
            detector.detect(t)
        t1 = time.perf_counter()
        for t in part:
            plain(t)
        stage_s, plain_s = stage_s + (t1 - t0), plain_s + (time.perf_counter() - t1)
    return {"messages": len(texts), "chars": sum(map(len, texts)), "stage_msgs_per_s": len(texts) / stage_s,
            "plain_langdetect_msgs_per_s": len(texts) / plain_s, "speedup": plain_s / stage_s}


def _mean(values):
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def print_table(table: dict, split: str) -> dict:
    from transforms.language import NAMES

    acc = {lang: {k: row[k] / row["n"] for k in ("stage", "alone", "plain")} for lang, row in table.items()}
    order = [l for l in TOP12 if l in table] + sorted(l for l in table if l not in TOP12)
    import hashlib

    from bench.lang_eval.load import PATH

    stamp = hashlib.sha256(open(PATH, "rb").read()).hexdigest()[:16]
    print(f"\n== language accuracy, bench/lang_eval/ split {split!r} (set sha256 {stamp}...) ==")
    print(f"{'lang':<5} {'name':<12} {'n':>4}  {'stage':>6}  {'alone':>6}  {'plain-langdetect':>16}")
    for lang in order:
        a = acc[lang]
        name = NAMES.get(lang, lang)
        print(f"{lang:<5} {name:<12} {table[lang]['n']:>4}  {a['stage']:>6.3f}  {a['alone']:>6.3f}  {a['plain']:>16.3f}"
              + ("  *" if lang in TOP12 else ""))
    summary = {}
    for label, langs in (("12 most common (*)", [l for l in TOP12 if l in acc]), ("all languages", list(acc))):
        means = {k: _mean(acc[l][k] for l in langs) for k in ("stage", "alone", "plain")}
        worst = min(langs, key=lambda l: acc[l]["stage"])
        print(f"{label:<18} {len(langs):>4}  {means['stage']:>6.3f}  {means['alone']:>6.3f}  {means['plain']:>16.3f}"
              f"   (mean over languages; lowest stage: {worst} {acc[worst]['stage']:.3f})")
        summary[label] = dict(means, languages=len(langs), lowest=[worst, acc[worst]["stage"]])
    kinds: dict = {}
    for row in table.values():
        for kind, (hits, n) in row["kinds"].items():
            k = kinds.setdefault(kind, [0, 0])
            k[0] += hits
            k[1] += n
    print("stage by kind: " + ", ".join(f"{k} {h / n:.3f} (n={n})" for k, (h, n) in sorted(kinds.items())))
    return {"accuracy": acc, "summary": summary, "kinds": kinds, "set_sha256": stamp}


def run(split: str = "heldout", lingua_mode: str = "high", report: dict | None = None,
        lingua_when: str = "unsure") -> dict:
    from transforms.language import LanguageDetector

    data = samples(split)
    plain = _plain_langdetect()
    t0 = time.perf_counter()
    detector = LanguageDetector(seed=0, lingua_mode=lingua_mode, lingua_when=lingua_when)
    table = score(data, detector, plain)
    first_pass = time.perf_counter() - t0
    result = print_table(table, split)
    result["lingua_calls"] = detector.lingua_calls
    print(f"lingua ran on {detector.lingua_calls} samples (lingua_when={lingua_when}; scoring pass, "
          f"{len(data)} messages and their contexts)")
    result["speed"] = s = speed([t for _, _, t in data],
                                lambda: LanguageDetector(seed=0, lingua_mode=lingua_mode, lingua_when=lingua_when),
                                plain)
    s["first_pass_with_model_loading_s"] = first_pass
    print(f"speed on the {s['messages']} messages of the split ({s['chars'] / s['messages']:.0f} chars on average), "
          f"one process: stage {s['stage_msgs_per_s']:,.0f} msgs/s, plain langdetect.detect() "
          f"{s['plain_langdetect_msgs_per_s']:,.0f} msgs/s ({s['speedup']:.2f}x faster); the scoring "
          f"pass, which loads the models, took {first_pass:.1f}s (lingua_mode={lingua_mode})")
    result.update(split=split, lingua_mode=lingua_mode, lingua_when=lingua_when)
    if report is not None:
        report["language_accuracy"] = result
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="heldout", choices=("tune", "heldout"))
    parser.add_argument("--lingua-mode", default="high", choices=("high", "low"))
    parser.add_argument("--lingua-when", default="unsure", choices=("always", "unsure"))
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args(argv)
    result = run(args.split, args.lingua_mode, lingua_when=args.lingua_when)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=2)


if __name__ == "__main__":
    main()

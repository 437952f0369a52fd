"""Held-out measurement of the offline toxicity model, beside the baselines, from one run.

Held-out sets (never used to fit, choose C or thresholds; see tools/toxicity/train.py):
- `bench/tox_xsrc`: public labelled datasets other than the training ones, per language;
- `bench/tox_eval` split `heldout`: hand-written chatbot-style turns (and Multilingual
  HateCheck / ToxiGen picks), built by someone who did not write the tagger.

Per language: precision, recall, F1 of the model at its tuned threshold; the same for
alt-profanity-check as the release uses it (English only: other languages unjudged, so never
flagged) and for the always-toxic baseline. Coverage: the share of texts that get a verdict
when their language comes from the release's own language stage (a one-message conversation
each), which is what the release does.
"""
from __future__ import annotations

import json
import os
import sys

from tools.toxicity.metrics import prf as _metrics
from transforms.toxicity.ngram_model import MODEL_DIR, NgramToxicityModel, model_paths

__all__ = ["heldout_rows", "measure", "write_evaluation", "COMMON_LANGUAGES"]

#: the 12 most common WildChat languages (the issue's coverage target)
COMMON_LANGUAGES = ("en", "zh", "ru", "fr", "es", "de", "pt", "it", "ja", "ko", "ar", "tr")


def heldout_rows() -> list[dict]:
    """{text, label (0/1), lang, set, source} of every held-out row."""
    rows = []
    try:
        from bench.tox_xsrc.load import load as load_xsrc
    except ImportError:  # the cross-source set is not there (a checkout without bench/)
        load_xsrc = None
    if load_xsrc is not None:
        for r in load_xsrc():
            rows.append({"text": r["text"], "label": int(r["label"]), "lang": r["lang"],
                         "set": "tox_xsrc", "source": r["source"]})
    from bench.tox_eval.load import load as load_chat
    for r in load_chat("heldout"):
        rows.append({"text": r["text"], "label": int(r["label"] == "toxic"), "lang": r["lang"],
                     "set": "tox_eval", "source": r["source"].split(":")[0]})
    return rows


def _by(rows, key):
    out = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


def _detected_languages(texts: list[str]) -> list[str]:
    from transforms.language import LanguageDetector, annotate_languages

    detector = LanguageDetector(seed=0)
    out = []
    for text in texts:
        conv, _ = annotate_languages({"messages": [{"role": "user", "content": text}]}, detector)
        out.append(conv["messages"][0]["language_code"])
    return out


def _profanity_flags(rows):
    from profanity_check import profanity_check

    en = [i for i, r in enumerate(rows) if r["lang"] == "en"]
    flags = [False] * len(rows)
    if en:
        probs = profanity_check.model.predict_proba(
            profanity_check.vectorizer.transform([rows[i]["text"] for i in en]))[:, 1]
        for i, p in zip(en, probs):
            flags[i] = bool(p > 0.5)
    return flags


def measure(model: NgramToxicityModel | None, rows: list[dict], detect: bool = True) -> dict:
    """Everything the bench prints and the eval file stores (model None: the baselines only)."""
    thresholds = model.meta["thresholds"] if model is not None else {}
    scores = [model.score(r["text"]) for r in rows] if model is not None else [0.0] * len(rows)
    flags = [r["lang"] in thresholds and s >= thresholds[r["lang"]]["threshold"]
             for r, s in zip(rows, scores)]
    prof = _profanity_flags(rows)
    detected = _detected_languages([r["text"] for r in rows]) if detect else [r["lang"] for r in rows]
    judged = frozenset(thresholds)
    out = {"languages": {}, "baselines": {"profanity_check_v1": {}, "always_toxic": {}},
           "combined_any": {}, "sets": {}, "coverage": {}}
    idx = _by([dict(r, i=i) for i, r in enumerate(rows)], "lang")
    for lang, rs in sorted(idx.items()):
        labels = [r["label"] for r in rs]
        if lang in judged:
            out["languages"][lang] = {**_metrics(labels, [flags[r["i"]] for r in rs]),
                                      "sources": sorted({f"{r['set']}:{r['source']}" for r in rs})}
        out["baselines"]["profanity_check_v1"][lang] = _metrics(labels, [prof[r["i"]] for r in rs])
        if lang in judged:  # backends [ngram_tox_v1, profanity_check_v1], rule any
            out["combined_any"][lang] = _metrics(labels, [flags[r["i"]] or prof[r["i"]] for r in rs])
        out["baselines"]["always_toxic"][lang] = _metrics(labels, [True] * len(rs))
        out["coverage"][lang] = round(sum(detected[r["i"]] in judged for r in rs) / len(rs), 4)
    for name, rs in sorted(_by([dict(r, i=i) for i, r in enumerate(rows)], "set").items()):
        per = {}
        for lang, ls in sorted(_by(rs, "lang").items()):
            if lang in judged:
                per[lang] = _metrics([r["label"] for r in ls], [flags[r["i"]] for r in ls])
        out["sets"][name] = per
    f1s = [v["f1"] for v in out["languages"].values()]
    out["macro_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    cf1s = [v["f1"] for v in out["combined_any"].values()]
    out["macro_f1_combined_any"] = round(sum(cf1s) / len(cf1s), 4) if cf1s else 0.0
    if model is not None:
        from tools.toxicity.clean_chat import clean_chat_flagged
        out["clean_chat_flagged"] = clean_chat_flagged(model, judged)
    common = [r for r in rows if r["lang"] in COMMON_LANGUAGES]
    out["coverage_common"] = round(sum(detected[i] in judged for i, r in enumerate(rows)
                                       if r["lang"] in COMMON_LANGUAGES) / max(len(common), 1), 4)
    return out


def write_evaluation(name: str, model_dir: str = MODEL_DIR) -> dict:
    model = NgramToxicityModel.load(name, model_dir)
    result = measure(model, heldout_rows())
    result = {"model": name, "weights_sha256": model.meta["weights_sha256"],
              "note": "held-out, other sources than training; nothing here was used to fit or tune",
              **result}
    with open(model_paths(name, model_dir)["eval"], "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print_report(result)
    return result


def print_report(result: dict, out=sys.stdout) -> None:
    base = result["baselines"]
    combined = result.get("combined_any", {})
    print(f"{'lang':5} {'n':>5} {'tox':>5} | {'P':>5} {'R':>5} {'F1':>5} cov | "
          f"profanity F1 | always-toxic F1 | +profanity (any) F1", file=out)
    for lang in sorted(base["always_toxic"]):
        m = result["languages"].get(lang)
        a, p = base["always_toxic"][lang], base["profanity_check_v1"][lang]
        mine = f"{m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f}" if m else "  (not judged)   "
        print(f"{lang:5} {a['n']:5d} {a['positives']:5d} | {mine} {result['coverage'][lang]:.2f} | "
              f"{p['f1']:12.2f} | {a['f1']:15.2f} | "
              f"{combined[lang]['f1'] if lang in combined else float('nan'):.2f}", file=out)
    print(f"macro F1 over {len(result['languages'])} judged languages: {result['macro_f1']:.3f}; "
          f"coverage of the 12 common languages: {result['coverage_common']:.3f}; "
          f"with profanity_check_v1 (rule any): {result.get('macro_f1_combined_any', float('nan')):.3f}",
          file=out)
    clean = result.get("clean_chat_flagged")
    if clean:
        print("clean chat flagged (bench/lang_eval heldout, presumed clean; single texts / long "
              "messages of 1,000+ chars): " + ", ".join(
                  f"{lang} {v['flagged']:.0%} (n {v['n']})"
                  + (f" / {v['long_flagged']:.0%} (n {v['long_n']})" if v["long_n"] else "")
                  for lang, v in clean.items()), file=out)


if __name__ == "__main__":
    write_evaluation(sys.argv[1] if len(sys.argv) > 1 else "ngram_tox_v1",
                     os.environ.get("WCHAT_TOX_MODEL_DIR", MODEL_DIR))

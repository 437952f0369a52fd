"""Toxicity bench (`make bench` calls `toxicity`; alone: python -m bench.toxicity_bench).

- The operating point chosen per language on the training sources' tune split (printed, so
  the choice can be checked; nothing is chosen here).
- Held-out quality per language (other sources than training: bench/tox_xsrc, plus the
  hand-written chat turns of bench/tox_eval heldout): precision, recall, F1 and coverage of the
  offline default `ngram_tox_v1`, beside alt-profanity-check as the release used it (English
  only) and the always-toxic baseline, from the same run; the macro F1.
- Speed: messages/s and chars/s through the release's own tagger core, one process, on the
  held-out texts (short) and on the bundled sample's user messages (chat lengths).

Without `ngram_tox_v1`'s artifact (a checkout that removed it), the held-out table has the
baselines only and the speed is the configured first backend's.
"""
from __future__ import annotations

import time

__all__ = ["toxicity"]


def _sample_messages(limit: int = 3000) -> list[str]:
    """Each valid sample turn's new user message, read and parsed as the pipeline does."""
    from bench.corpus import raw_lines, stage_parse

    turns, _ = stage_parse(raw_lines("data/sample"))
    return [t.messages[-1][1] for t in turns if t.messages[-1][1].strip()][:limit]


def _rate(backend, texts: list[str], lang: str = "en") -> tuple[float, float]:
    from transforms.toxicity.rule import ToxicityTagger

    tagger = ToxicityTagger([backend], "any")
    convs = [{"messages": [{"role": "user", "content": t, "language_code": lang}]} for t in texts]
    t0 = time.process_time()
    for i in range(0, len(convs), 64):
        tagger.tag(convs[i:i + 64])
    dt = time.process_time() - t0
    return len(texts) / dt, sum(map(len, texts)) / dt


def toxicity(report: dict) -> None:
    from pipelines.config import ToxicityConfig
    from tools.toxicity.evaluate import heldout_rows, measure, print_report
    from transforms.toxicity.base import BackendUnavailable
    from transforms.toxicity.ngram import NgramToxicityBackend
    from transforms.toxicity.registry import build_backend

    try:
        backend = NgramToxicityBackend.from_config(None)
        model = backend.model
    except BackendUnavailable as e:
        print(f"\n== toxicity: {e}; baselines only ==")
        config = ToxicityConfig()
        backend, model = build_backend(config.backends[0], config), None
    if model is not None:
        where = ("out-of-source scores of the training data" if model.meta.get("select") == "sources"
                 else "the training sources' tune split")
        print(f"\n== toxicity: ngram_tox_v1 operating points on {where} (C={model.meta['C']}) ==")
        for lang, t in sorted(model.meta["thresholds"].items()):
            print(f"  {lang}: threshold {t['threshold']:.3f}  P {t['precision']:.2f} R {t['recall']:.2f} "
                  f"F1 {t['f1']:.2f}  (n {t['n']}, toxic {t['positives']})"
                  + (f", raised from {t['raised_from']:.3f} for clean prompts" if "raised_from" in t else ""))
    rows = heldout_rows()
    result = measure(model, rows)
    print(f"\n== toxicity on held-out sets from other sources ({len(rows):,} texts; "
          "ngram_tox_v1 vs profanity_check_v1 (English only, as released) vs always-toxic) ==")
    print_report(result)
    for name, per in result["sets"].items():
        print(f"  {name}: " + ", ".join(f"{k} F1 {v['f1']:.2f} (n {v['n']})" for k, v in per.items()))
    short = [r["text"] for r in rows]
    chat = _sample_messages()
    speed = {}
    for label, texts in (("held-out texts", short), ("sample user messages", chat)):
        if texts:
            rate, chars = _rate(backend, texts)
            speed[label] = {"messages_per_s": round(rate), "chars_per_s": round(chars),
                            "mean_chars": round(sum(map(len, texts)) / len(texts))}
            print(f"  {backend.name} through the tagger, {label} ({len(texts):,}, "
                  f"mean {speed[label]['mean_chars']:,} chars): "
                  f"{rate:,.0f} messages/s, {chars:,.0f} chars/s per core")
    report["toxicity"] = {"heldout": result, "speed": speed}


if __name__ == "__main__":
    toxicity({})

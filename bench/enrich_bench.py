"""Bench of the enrichment stages (`make bench` calls `enrich`; alone: python -m bench.enrich_bench).

- geo: lookups/s on the bundled GeoLite2-City, with the per-worker cache and without it, on
  a seeded stream of public IPv4 addresses where users repeat their address (as in chat logs).
- toxicity: precision, recall and F1 per language of the offline default (profanity_check_v1)
  on the held-out split of bench/tox_eval, next to two naive baselines from the same run
  (a plain English swear-word lexicon, and "always toxic"), plus messages/s. Thresholds are
  chosen on the `tune` split only; its table is printed first, so the choice can be checked.
  A message the backend does not judge (`toxic: null`) counts as not flagged; the coverage
  column says how many were judged.
"""
from __future__ import annotations

import ipaddress
import random
import re
import time

__all__ = ["enrich", "geo_speed", "toxicity_quality"]

MIN_PRECISION = 0.75

# The naive baseline: common English swear words (not taken from the evaluation set).
LEXICON = re.compile(r"\b(fuck\w*|shit\w*|bitch\w*|asshole\w*|bastard\w*|cunt\w*|dick\w*|"
                     r"idiot\w*|stupid|moron\w*|damn\w*|crap\w*)\b", re.I)


def _public_ips(n: int, seed: int) -> list[str]:
    rng, out = random.Random(seed), []
    while len(out) < n:
        addr = ipaddress.IPv4Address(rng.getrandbits(32))
        if addr.is_global:
            out.append(str(addr))
    return out


def geo_speed(report: dict, lookups: int = 200_000, distinct: int = 20_000) -> None:
    from transforms.geo import GeoLookup

    rng = random.Random(5)
    users = _public_ips(distinct, 4)
    stream = [users[min(int(rng.paretovariate(1.2)) - 1, distinct - 1)] if rng.random() < 0.5
              else rng.choice(users) for _ in range(lookups)]
    rows = {}
    for label, cache_size in (("cached", 100_000), ("uncached", 0)):
        geo = GeoLookup(None, cache_size=cache_size)
        t0 = time.perf_counter()
        placed = sum(1 for ip in stream if geo.lookup(ip)[2] == "found")
        dt = time.perf_counter() - t0
        rows[label] = {"lookups_per_s": lookups / dt, "placed_share": placed / lookups,
                       "cache_hits": geo.cache_hits}
        geo.close()
    print(f"\n== geo (bundled GeoLite2-City 2018-07-03; {lookups:,} lookups of {distinct:,} public IPv4) ==")
    for label, r in rows.items():
        print(f"  {label:>8}: {r['lookups_per_s']:>12,.0f} lookups/s  (placed {r['placed_share']:.1%}, "
              f"cache hits {r['cache_hits']:,})")
    report["geo"] = rows


def prf(gold, pred):
    from bench.tox_eval.reference_baseline import prf as tox_eval_prf
    return tox_eval_prf(gold, pred)


def _tag(records, backend, threshold) -> list:
    """toxic per record through the pipeline's own core (None: the backend cannot judge it)."""
    from transforms.toxicity.rule import ToxicityTagger

    tagger = ToxicityTagger([backend], "any", {backend.name: threshold})
    convs = [{"messages": [{"role": "user", "content": r["text"], "language_code": r["lang"]}]}
             for r in records]
    return [conv["messages"][0]["toxic"] for conv, _ in tagger.tag(convs)]


def _table(title, records, predictions: dict) -> dict:
    langs = sorted({r["lang"] for r in records})
    names = list(predictions)
    print(f"\n{title}")
    print("  lang    n  toxic  judged  " + "  ".join(f"{n + ' P/R/F1':>24}" for n in names))
    table = {}
    for lang in langs + ["all"]:
        idx = [i for i, r in enumerate(records) if lang in ("all", r["lang"])]
        gold = [records[i]["label"] == "toxic" for i in idx]
        judged = sum(predictions[names[0]][i] is not None for i in idx)
        row = {"n": len(idx), "toxic": sum(gold), "judged": judged}
        cells = []
        for name in names:
            pred = [predictions[name][i] is True for i in idx]
            p, r, f = prf(gold, pred)
            row[name] = {"precision": p, "recall": r, "f1": f}
            cells.append(f"{p:>6.2f} /{r:>5.2f} /{f:>5.2f}".rjust(24))
        print(f"  {lang:>4} {len(idx):>4} {sum(gold):>6} {judged:>7}  " + "  ".join(cells))
        table[lang] = row
    return table


def toxicity_quality(report: dict) -> None:
    try:
        from bench.tox_eval.load import load
    except ImportError:
        print("\n== toxicity: bench/tox_eval is not in this checkout; quality not measured ==")
        return
    from transforms.toxicity.profanity import ProfanityCheckBackend

    backend = ProfanityCheckBackend()
    tune, heldout = load("tune"), load("heldout")
    gold = [r["label"] == "toxic" for r in tune]
    print("\n== toxicity threshold on the tune split (profanity_check_v1, English rows) ==")
    en = [i for i, r in enumerate(tune) if r["lang"] == "en"]
    scores = [e["profanity"] for e in backend.score([tune[i]["text"] for i in en])]
    sweep = {}
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        sweep[t] = prf([gold[i] for i in en], [s > t for s in scores])
        print(f"  threshold {t:.1f}: P {sweep[t][0]:.2f} R {sweep[t][1]:.2f} F1 {sweep[t][2]:.2f}")
    # Real chat traffic is mostly clean (WildChat: ~10% toxic user turns, this set: ~50%), so a
    # threshold that maximizes F1 here over-flags there: we take the highest recall that keeps
    # precision >= MIN_PRECISION on tune.
    best = max((t for t in sweep if sweep[t][0] >= MIN_PRECISION), key=lambda t: (sweep[t][1], -t), default=None)
    from pipelines.config import ToxicityConfig
    threshold = ToxicityConfig().thresholds["profanity_check_v1"]
    print(f"  rule: highest recall with precision >= {MIN_PRECISION} -> {best}; configured default {threshold}")
    predictions = {
        f"profanity_check_v1@{threshold}": _tag(heldout, backend, threshold),
        "lexicon": [bool(LEXICON.search(r["text"])) for r in heldout],
        "always-toxic": [True] * len(heldout),
    }
    table = _table(f"== toxicity on bench/tox_eval heldout ({len(heldout)} messages; "
                   "P / R / F1; toxic: null counts as not flagged) ==", heldout, predictions)

    from bench.tox_eval.reference_baseline import report as per_category
    name = next(iter(predictions))
    print(f"\n{name} on heldout per category (flagged / rows):")
    print(per_category(heldout, [p is True for p in predictions[name]]).split("\n\n")[-1])

    texts = [r["text"] for r in heldout + tune] * 20
    t0 = time.perf_counter()
    _tag([{"text": t, "lang": "en"} for t in texts], backend, threshold)
    dt = time.perf_counter() - t0
    rate = len(texts) / dt
    chars = sum(map(len, texts)) / dt
    print(f"  profanity_check_v1 through the tagger: {rate:,.0f} messages/s, {chars:,.0f} chars/s (one core)")
    report["toxicity"] = {"tune_sweep": {str(k): v for k, v in sweep.items()}, "threshold": threshold,
                          "heldout": table, "messages_per_s": rate, "chars_per_s": chars}


def enrich(report: dict) -> None:
    geo_speed(report)
    toxicity_quality(report)


if __name__ == "__main__":
    enrich({})

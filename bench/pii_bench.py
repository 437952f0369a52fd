"""The PII part of `make bench`, also runnable alone:

    python -m bench.pii_bench [--split heldout] [--turns 4000] [--skip-quality] [--skip-speed] [--skip-workers]

Quality on the independent evaluation set in bench/pii_eval/ (presidio-evaluator sentences,
PII-free technical texts, reply-restatement conversations; see its README), for this stage
and for naive Presidio (`AnalyzerEngine` + `AnonymizerEngine`, default recognizers, the same
spaCy model) from the same run: leak rate per type, over the required types, STREET_ADDRESS,
technical texts left byte-identical, values the user gave leaking from replies (default
`ner_roles` and NER on replies too). Speed: chars/s of each in one process on generated chat
messages, and the stage in a Beam pipeline with 2 workers. Rules are tuned on the `tune`
split only; `make bench` reports `heldout`.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
# Naive Presidio logs a warning for every NER label it does not map (CARDINAL, PRODUCT, ...).
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

__all__ = ["stage_pii", "pii_with_workers", "pii_quality", "StageScrub"]

OUT = "bench/out"
REQUIRED = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN")


def _scrubber(ner_roles=None):
    from pipelines.config import PiiConfig
    from transforms.pii.scrubber import PiiScrubber

    cfg = PiiConfig()
    return PiiScrubber(dict(cfg.models), cfg.entities, cfg.score_threshold, cfg.ner_batch_size,
                       cfg.ner_chunk_chars, cfg.ner_max_chars, ner_roles=ner_roles or cfg.ner_roles)


class StageScrub:
    """This stage as the pipeline runs it: each message's language detected first (the
    language stage), then the scrubber; a conversation is scrubbed as one."""

    def __init__(self, ner_roles=None, batch: int = 32):
        from transforms.language import LanguageDetector

        self.scrubber = _scrubber(ner_roles)
        self.detector = LanguageDetector(seed=0)
        self.batch = batch

    def _message(self, role, text):
        return {"role": role, "content": text, "language_code": self.detector.detect(text)[0] or "und"}

    def conversations(self, convs: list) -> list:
        """[[(role, text), ...]] -> [[scrubbed text, ...]]"""
        out = []
        for i in range(0, len(convs), self.batch):
            chunk = [{"messages": [self._message(r, t) for r, t in conv]} for conv in convs[i:i + self.batch]]
            out += [[m["content"] for m in c["messages"]]
                    for c in self.scrubber.scrub_conversations(chunk).conversations]
        return out

    def texts(self, texts: list) -> list:
        """User messages scrubbed one by one (each its own conversation)."""
        return [c[0] for c in self.conversations([[("user", t)] for t in texts])]

    def __call__(self, text: str) -> str:
        return self.texts([text])[0]


def naive_presidio():
    """Naive Presidio from the evaluation package (one definition for every number)."""
    from bench.pii_eval.score import naive_presidio as naive

    return naive()


# -- speed -----------------------------------------------------------------------------------
def _chat_messages(turns, n):
    """n messages of a generated corpus with their detected language: each turn's new user
    message and its reply, as the stage receives them after linking."""
    from transforms.language import LanguageDetector

    detector = LanguageDetector(seed=0)
    texts = []
    for t in turns:
        texts += [t.messages[-1][1], t.response]
    return [(detector.detect(m)[0] or "und", m) for m in texts[:n]]


def _chat_conversations(msgs):
    """Each (user message, reply) pair as a conversation, with roles, so the role policy runs."""
    return [{"messages": [{"role": role, "content": t, "language_code": lang}
                          for role, (lang, t) in zip(("user", "assistant"), msgs[i:i + 2])]}
            for i in range(0, len(msgs), 2)]


def stage_pii(turns, n_naive=600, n_stage=3000):
    """chars/s of this stage (scrubber core, one process) and of naive Presidio on the same messages."""
    msgs = _chat_messages(turns, n_stage)
    naive = naive_presidio()
    sample = msgs[:n_naive]
    t0 = time.perf_counter()
    naive([text for _, text in sample])  # the evaluation's batch function: one text at a time inside
    naive_s = time.perf_counter() - t0
    naive_cps = sum(len(t) for _, t in sample) / naive_s
    scrubber = _scrubber()
    convs = _chat_conversations(msgs)
    t0 = time.perf_counter()
    for i in range(0, len(convs), 32):
        scrubber.scrub_conversations(convs[i:i + 32])
    dt = time.perf_counter() - t0
    chars = sum(len(t) for _, t in msgs)
    return {"stage": "pii", "items": len(msgs), "seconds": dt, "items_per_s": len(msgs) / dt,
            "chars_per_s": chars / dt, "baseline_naive_presidio_chars_per_s": round(naive_cps),
            "baseline_naive_presidio_msgs_per_s": round(len(sample) / naive_s),
            "speedup": round((chars / dt) / naive_cps, 2)}


def _beam_run(msgs, name):
    import orjson

    from bench.rss import PeakRss

    src = os.path.join(OUT, f"{name}.jsonl")
    with open(src, "wb") as fh:
        for i, conv in enumerate(_chat_conversations(msgs)):
            fh.write(orjson.dumps(dict(conv, conversation_id=str(i))) + b"\n")
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "bench.pii_pipeline", src, os.path.join(OUT, f"{name}.out"),
                             "--runner=DirectRunner", "--direct_running_mode=multi_processing",
                             "--direct_num_workers=2", "--default_sdk_harness_log_level=WARNING"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(proc.pid) as rss:
        _, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(err[-3000:])
    return time.time() - t0, rss.peak


def pii_with_workers(turns, report: dict, n=12000, small=600):
    """The stage alone in a Beam pipeline with 2 DirectRunner workers against naive Presidio
    in one process: wall clock including worker start-up and model loading, and the marginal
    rate once a `small`-message run's fixed cost is subtracted."""
    msgs = _chat_messages(turns, n)
    chars = sum(len(t) for _, t in msgs)
    small_chars = sum(len(t) for _, t in msgs[:small])
    dt, peak = _beam_run(msgs, "pii-convs")
    dt_small, _ = _beam_run(msgs[:small], "pii-convs-small")
    marginal = (chars - small_chars) / (dt - dt_small)
    naive_cps = next(s for s in report["stages"] if s["stage"] == "pii")["baseline_naive_presidio_chars_per_s"]
    print(f"\n== PII stage in Beam, 2 workers: {len(msgs)} messages, {chars / 1e6:.1f} M chars in {dt:.1f}s ==")
    print(f"wall incl. start-up: {chars / dt:,.0f} chars/s = {chars / dt / naive_cps:.1f}x naive single-process; "
          f"marginal (minus a {small}-message run, {dt_small:.1f}s): {marginal:,.0f} chars/s = "
          f"{marginal / naive_cps:.1f}x; peak RSS {peak / 2**20:.0f} MiB")
    report["pii_two_workers"] = {"messages": len(msgs), "chars": chars, "seconds": dt,
                                 "chars_per_s": chars / dt, "speedup_vs_naive": chars / dt / naive_cps,
                                 "marginal_chars_per_s": marginal, "marginal_speedup": marginal / naive_cps,
                                 "peak_rss_mb": peak / 2**20}


# -- quality ---------------------------------------------------------------------------------
def _conversation_scrub(stage: StageScrub):
    def scrub_conversation(messages: list) -> list:
        [texts] = stage.conversations([[(m["role"], m["content"]) for m in messages]])
        return [dict(m, content=t) for m, t in zip(messages, texts)]
    return scrub_conversation


def _rate(r) -> str:
    if not r or not r.get("n"):
        return "n=0"
    return f"{r['leak_rate']:.1%} ({r['leaked']}/{r['n']})"


def quality(split: str) -> dict:
    """Every number of the evaluation for this stage (default roles and NER on replies too)
    and for naive Presidio, in one run. An extra split (`tune_extra`) has replies only."""
    from bench.pii_eval import score

    naive = score.naive_presidio()
    stage = StageScrub()
    stage_ner_replies = StageScrub(ner_roles=("user", "system", "assistant"))
    replies_only = split in score.EXTRA_SPLITS
    out = {}
    for name, scrub, conv in (("stage", stage.texts, _conversation_scrub(stage)),
                              ("naive", naive, score.per_message(naive))):
        t0 = time.perf_counter()
        out[name] = {} if replies_only else {"pii": score.evaluate(scrub, split),
                                             "technical": score.evaluate_technical(scrub, split)}
        out[name]["replies"] = score.evaluate_replies(conv, split)
        out[name]["seconds"] = time.perf_counter() - t0
    out["stage_ner_on_replies"] = {"replies": score.evaluate_replies(_conversation_scrub(stage_ner_replies), split)}
    return out


def pii_quality(report: dict, split: str = "heldout"):
    """Leak rates on the evaluation set, this stage beside naive Presidio (same run)."""
    q = quality(split)
    st, nv = q["stage"], q["naive"]
    print(f"\n== PII leaks on bench/pii_eval, split={split} (lower is better; technical: higher) ==")
    print(f"{'':<34}{'stage':>22}{'naive Presidio':>22}")
    if "pii" in st:
        _print_sentences(st, nv)
    rs, rn = st["replies"]["assistant"], nv["replies"]["assistant"]
    rr = q["stage_ner_on_replies"]["replies"]["assistant"]
    print(f"{'reply leaks (values the user gave)':<34}{_rate(rs['all']):>22}{_rate(rn['all']):>22}")
    print(f"{'  same, NER on replies too':<34}{_rate(rr['all']):>22}")
    for t in sorted(set(rs["per_type"]) | set(rn["per_type"])):
        print(f"{'  ' + t:<34}{_rate(rs['per_type'].get(t)):>22}{_rate(rn['per_type'].get(t)):>22}")
    print(f"{'  user messages':<34}{_rate(st['replies']['user']['all']):>22}{_rate(nv['replies']['user']['all']):>22}")
    report["pii_quality"] = q


def _print_sentences(st: dict, nv: dict):
    rows = [(t, st["pii"]["per_type"].get(t), nv["pii"]["per_type"].get(t)) for t in REQUIRED]
    rows += [("required types together", st["pii"]["required"], nv["pii"]["required"]),
             ("STREET_ADDRESS", st["pii"]["street_address"], nv["pii"]["street_address"])]
    for name, a, b in rows:
        print(f"{name:<34}{_rate(a):>22}{_rate(b):>22}")
    for lang in sorted(st["pii"]["required_by_lang"]):
        print(f"{'  required, text in ' + lang:<34}{_rate(st['pii']['required_by_lang'][lang]):>22}"
              f"{_rate(nv['pii']['required_by_lang'].get(lang)):>22}")
    ks, kn = st["pii"]["kept_entities_lost"], nv["pii"]["kept_entities_lost"]
    print(f"{'kept GPE/ORG/DATE values lost':<34}{ks['lost']:>16}/{ks['n']:<5}{kn['lost']:>16}/{kn['n']:<5}")
    ts, tn = st["technical"], nv["technical"]
    print(f"{'technical texts byte-identical':<34}{ts['identical_share']:>15.1%} ({ts['identical']}/{ts['n']})"
          f"{tn['identical_share']:>15.1%} ({tn['identical']}/{tn['n']})")


def _corpus_turns(turns: int):
    from bench.corpus import corpus, raw_lines, stage_parse

    path, _ = corpus(turns, 1.0, f"corpus-{turns}")
    parsed, _ = stage_parse(raw_lines(path))
    return parsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="heldout", choices=("heldout", "tune", "tune_extra"),
                        help="tune_extra: the extra generated reply conversations (replies only)")
    parser.add_argument("--turns", type=int, default=4000, help="generated turns for the speed measurement")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-workers", action="store_true", help="skip the 2-worker Beam run")
    args = parser.parse_args(argv)
    os.makedirs(OUT, exist_ok=True)
    report: dict = {}
    if not args.skip_quality:
        pii_quality(report, args.split)
    if not args.skip_speed:
        turns = _corpus_turns(args.turns)
        stage = stage_pii(turns)
        report["stages"] = [stage]
        print(f"\n== PII speed, one process, {stage['items']} generated chat messages ==")
        print(f"stage {stage['chars_per_s']:,.0f} chars/s, naive Presidio "
              f"{stage['baseline_naive_presidio_chars_per_s']:,} chars/s: {stage['speedup']}x")
        if not args.skip_workers:
            pii_with_workers(turns, report)
    with open(os.path.join(OUT, "pii_report.json"), "w") as fh:
        json.dump(report, fh, indent=2)


if __name__ == "__main__":
    main()

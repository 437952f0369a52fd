"""How much clean chat the offline model flags: the cost of `nontoxic` in kept data.

The held-out sets measure F1 on offensive-language datasets (15-72% toxic). The release judges
chat, which is mostly clean, and every clean message flagged takes its conversation out of
`nontoxic`. This measures that on texts the model and its thresholds never saw:
`bench/lang_eval` split `heldout` (chatbot prompts, everyday prose and short texts written for
the language-identification bench, presumed clean), per language, as single texts and as long
messages (consecutive texts of a language joined until 1,000 characters, an assistant reply's
usual length, each text used once, scored like any long message: the worst of its windows).
Nothing here chooses anything.
"""
from __future__ import annotations

__all__ = ["clean_chat_flagged", "clean_texts", "LONG_CHARS"]

LONG_CHARS = 1000
KINDS = ("prose", "prompt", "short")


def clean_texts(split: str, languages) -> dict[str, list[str]]:
    """`bench/lang_eval` texts of `split` per language, the presumed-clean kinds only."""
    from bench.lang_eval.load import load

    texts: dict[str, list[str]] = {}
    for r in load(split):
        if r["kind"] in KINDS and r["lang"] in languages:
            texts.setdefault(r["lang"], []).append(r["text"])
    return texts


def clean_chat_flagged(model, languages, split: str = "heldout") -> dict:
    """{lang: {n, flagged, long_n, long_flagged}} over the judged `languages`."""
    out = {}
    for lang, ts in sorted(clean_texts(split, languages).items()):
        t = model.threshold(lang)
        longs, cur = [], ""
        for x in ts:
            cur = f"{cur}\n\n{x}" if cur else x
            if len(cur) >= LONG_CHARS:
                longs.append(cur)
                cur = ""
        out[lang] = {"n": len(ts), "flagged": round(sum(model.score(x) >= t for x in ts) / len(ts), 4),
                     "long_n": len(longs),
                     "long_flagged": round(sum(model.score(x) >= t for x in longs) / len(longs), 4)
                     if longs else None}
    return out

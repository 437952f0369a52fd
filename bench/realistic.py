"""A generated corpus whose message lengths, languages and code share follow real chat
(WildChat), for the end-to-end bench. `tools.generate` stays as it is (the sample data is made
with it); this subclasses its `Generator` and changes only the text:

- sentences drawn from a larger pool per language: the phrasebook's 8 plus the `tune` split of
  `bench/lang_eval` (prose, prompts and short texts; never `heldout`), so the text is not 8
  sentences repeated;
- user messages: lognormal, median ~230 chars (4 sentences), long right tail; 2.5% carry a
  pasted document or program of 2k-40k chars (lognormal, median ~6k): mean ~600 chars;
- replies: lognormal, median ~14 sentences (~850 chars), mean ~1,250 chars;
- code: the base generator's planted secrets and short snippets (10% of user messages) put
  code in 28% of conversations; on top, 4% are "coding" conversations whose user messages carry
  a program (60%) and replies a fenced code block (70%), and half the pastes are programs:
  about 30% of conversations hold code (`describe` prints the share);
- languages: `tools.generate.LANG_WEIGHTS` (50% English, then zh, ru, fr, es, de, pt, ...).

    python -m bench.realistic --turns 5000 --out /tmp/real5k   # writes and prints the shape
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics

import orjson

from tools.generate import Generator, _write
from tools.phrasebook import CODE_SNIPPETS, PHRASES

__all__ = ["RealisticGenerator", "generate", "describe"]

_IDENT = ("data", "items", "result", "user", "config", "path", "value", "count", "index", "buffer",
          "request", "response", "model", "row", "total", "name", "key", "node", "queue", "cache")
_CALLS = ("print({a})", "{a}.append({b})", "{a} = {b} + {n}", "return {a}", "{a} = len({b})",
          "if {a} > {n}:", "for {a} in {b}:", "{a} = {{}}", "{a}[{n}] = {b}", "raise ValueError({a})",
          "{a} = open({b}).read()", "{a}.sort(key=lambda x: x[{n}])", "while {a} < {n}:",
          "{a} = {b}.get('{a}', {n})", "import {a}", "{a} = [x * {n} for x in {b}]")
_JS = ("const {a} = {b}.map(x => x * {n});", "function {a}({b}) {{", "  return {a} + {n};", "}}",
       "let {a} = await fetch({b});", "console.log({a});", "{a}.forEach(({b}) => {{", "}});",
       "if ({a} === {n}) {{", "export default {a};")
_SQL = ("SELECT {a}, {b} FROM t_{a} WHERE {b} > {n};", "INSERT INTO t_{a} ({b}) VALUES ({n});",
        "UPDATE t_{a} SET {b} = {n};", "CREATE INDEX ix_{a} ON t_{b} ({a});")
_ERR = ("Traceback (most recent call last):", '  File "main.py", line {n}, in <module>',
        "    {a} = {b}[{n}]", "KeyError: '{a}'", "TypeError: unsupported operand type(s) for +: 'int' and 'str'")


def _pool(lang: str) -> tuple:
    from bench.lang_eval.load import load

    extra = [r["text"] for r in load("tune") if r["lang"] == lang and r["kind"] != "mixed"]
    return tuple(PHRASES[lang]) + tuple(sorted(set(extra)))


class RealisticGenerator(Generator):
    """`tools.generate.Generator` with real-chat message lengths and code (module docstring)."""

    CODING_SHARE = 0.04
    PASTE_SHARE = 0.025

    def __init__(self, seed: int, **kw):
        super().__init__(seed, **kw)
        self.pools = {lang: _pool(lang) for lang in PHRASES}
        self._coding = False

    # -- text -------------------------------------------------------------------------------
    def _sentences(self, lang, mean_sentences):
        # The base calls this with 19 (user text) and 27 (reply); other callers (branches,
        # the long conversation's scale) go through the same two.
        if mean_sentences <= 19:
            n = self.rng.lognormvariate(1.4, 1.05)  # median 4 sentences
        else:
            n = self.rng.lognormvariate(2.65, 0.75)  # median 14 sentences
        n = max(1, int(n * self.scale))
        pool = self.pools[lang]
        return " ".join(self.rng.choice(pool) for _ in range(n))

    def _code(self, lines: int) -> str:
        rng, kind = self.rng, self.rng.random()
        templates = _CALLS if kind < 0.6 else _JS if kind < 0.8 else _SQL if kind < 0.92 else _ERR
        out = []
        for _ in range(max(1, lines)):
            indent = "    " * rng.randrange(3) if templates is _CALLS else ""
            out.append(indent + rng.choice(templates).format(
                a=rng.choice(_IDENT) + (str(rng.randrange(10)) if rng.random() < 0.3 else ""),
                b=rng.choice(_IDENT), n=rng.randrange(1000)))
        if rng.random() < 0.2:
            out.insert(0, rng.choice(CODE_SNIPPETS))
        return "```\n" + "\n".join(out) + "\n```"

    def _paste(self, lang) -> str:
        chars = min(40_000, max(2_000, int(self.rng.lognormvariate(8.7, 0.7))))
        if self.rng.random() < 0.5:
            return self._code(chars // 28)
        parts, size = [], 0
        while size < chars:
            parts.append(self.rng.choice(self.pools[lang]))
            size += len(parts[-1]) + 1
        return " ".join(parts)

    def _user_text(self, lang, turn_id):
        text = super()._user_text(lang, turn_id)
        if self._coding and self.rng.random() < 0.6:
            text += "\n" + self._code(int(self.rng.lognormvariate(2.3, 0.8)))
        if self.rng.random() < self.PASTE_SHARE:
            text += "\n\n" + self._paste(lang)
        return text

    def _reply(self, lang):
        text = super()._reply(lang)
        if self._coding and self.rng.random() < 0.7:
            text += "\n\n" + self._code(int(self.rng.lognormvariate(2.6, 0.7))) + "\n\n" + \
                self._sentences(lang, 19)
        return text

    def conversation(self, user, start, n_turns, hot, orphan, branchy):
        self._coding = self.rng.random() < self.CODING_SHARE
        try:
            return super().conversation(user, start, n_turns, hot, orphan, branchy)
        finally:
            self._coding = False


def generate(turns: int, seed: int, out: str, hot_share: float = 0.2, **kw) -> dict:
    """Like `tools.generate.generate` (no nasty-text cases), with `RealisticGenerator`."""
    gen = RealisticGenerator(seed, **kw)
    gen.run(turns, hot_share)
    _write(gen.records, out, gen.rng)
    truth = {"counts": gen.counts, "conversations": gen.truth, "pii": gen.pii, "nasty": []}
    with open(os.path.join(out, "truth.json.gz"), "wb") as fh:
        fh.write(gzip.compress(orjson.dumps(truth), mtime=0))
    return truth


def describe(truth: dict) -> dict:
    """The corpus's shape from its truth: message lengths per role, languages, code share."""
    users, replies, langs, coded = [], [], {}, 0
    for conv in truth["conversations"]:
        langs[conv["lang"]] = langs.get(conv["lang"], 0) + 1
        coded += any("```" in text or "def " in text for _, text in conv["messages"])
        for role, text in conv["messages"][-2:]:  # the leaf's own turn: each message once-ish
            (users if role == "user" else replies).append(len(text))
    n = max(1, len(truth["conversations"]))

    def shape(xs):
        xs = sorted(xs)
        return {"n": len(xs), "mean": round(statistics.fmean(xs)), "median": xs[len(xs) // 2],
                "p99": xs[int(len(xs) * 0.99)], "max": xs[-1]} if xs else {}
    return {"user_chars": shape(users), "reply_chars": shape(replies),
            "conversations_with_code": round(coded / n, 3),
            "languages": {k: round(v / n, 3) for k, v in sorted(langs.items(), key=lambda kv: -kv[1])}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    truth = generate(args.turns, args.seed, args.out, browsers=400)
    print(json.dumps(describe(truth), indent=1))


if __name__ == "__main__":
    main()

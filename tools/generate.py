"""Generate synthetic raw turn logs with known ground truth.

    python -m tools.generate --turns 700 --seed 7 --out data/sample

Writes turns-00.jsonl, turns-01.jsonl.gz, turns-02.jsonl.zst, turns-03.parquet (lines spread
over the files in random order) and truth.json.gz: the expected conversations (content and turn
ids), the planted PII and the expected manifest counts. The data covers multi-turn
conversations, regenerated answers and edited prompts (branches), client retries, exact
duplicate lines, IP changes, clock skew, shared NAT IPs with the same browser, a hot opening
("hi"), orphans (first turn lost), long conversations, several languages, planted PII and
secrets, toxic lines, non-consenting users, malformed lines and the nasty-text cases of
tests/data/nasty.py (lone surrogates, control and invisible characters around PII,
right-to-left scripts, emoji, code, a 2 MB base64 line, a 5 MB message, 10,000 messages: see
`add_nasty_cases`). For the linking bench: `--churn-share` (IP changes right after "hi",
judged against `--ip-change-window`) and `--scripted-tree N` (one client continuing one
opening N-1 times). IPs come from the documentation ranges (RFC 5737 / RFC 3849), and about
30% of users from a few public networks the bundled geo database places (see PUBLIC_V4).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import string

import orjson

from tests.data import nasty
from tools.phrasebook import CODE_SNIPPETS, PHRASES, TOXIC

HI, HELLO = "hi", "Hello! How can I assist you today?"
BASE_TS = 1_680_998_400  # 2023-04-09T00:00:00Z
MODELS = ("gpt-3.5-turbo-0613", "gpt-4-0314")
UAS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:112.0) Gecko/20100101 Firefox/112.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
)


def ua_pool(size: int) -> tuple:
    """`size` distinct, plausible user-agent strings (browser family x version x platform), in a
    fixed order; the generator draws them Zipf-like (weight 1/rank), so a few are common and
    most are rare, as in real traffic. 400 strings give 6.6 bits of user-agent entropy, below
    what browser-fingerprint studies measure on real visitors (10.0 bits in Panopticlick,
    Eckersley 2010), so same-browser collisions are if anything too common."""
    platforms = ("Windows NT 10.0; Win64; x64", "Macintosh; Intel Mac OS X 10_15_7", "X11; Linux x86_64",
                 "Windows NT 6.1; Win64; x64", "X11; CrOS x86_64 15359.58.0")
    mobiles = ("Linux; Android 13; SM-G991B", "Linux; Android 12; Pixel 6", "Linux; Android 11; M2101K6G",
               "Linux; Android 13; SM-A536B", "Linux; Android 10; K")
    pool = []
    for major in range(100, 120):
        for plat in platforms:
            pool.append(f"Mozilla/5.0 ({plat}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36")
            pool.append(f"Mozilla/5.0 ({plat}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 "
                        f"Safari/537.36 Edg/{major}.0.1774.{major % 7}")
            pool.append(f"Mozilla/5.0 ({plat.replace('Macintosh; Intel Mac OS X 10_15_7', 'Macintosh; Intel Mac OS X 10.15')};"
                        f" rv:{major}.0) Gecko/20100101 Firefox/{major}.0")
        for mob in mobiles:
            pool.append(f"Mozilla/5.0 ({mob}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Mobile Safari/537.36")
    for ios in ("15_6", "15_7", "16_0", "16_1", "16_2", "16_3", "16_4", "16_5"):
        for device in ("iPhone; CPU iPhone OS", "iPad; CPU OS"):
            pool.append(f"Mozilla/5.0 ({device} {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                        f"Version/{ios.replace('_', '.')} Mobile/15E148 Safari/604.1")
        pool.append(f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    f"Version/{ios.replace('_', '.')} Safari/605.1.15")
    if size > len(pool):
        raise ValueError(f"at most {len(pool)} user agents, asked for {size}")
    random.Random(1234).shuffle(pool)
    return tuple(pool[:size])


ACCEPT = {"en": "en-US,en;q=0.9", "zh": "zh-CN,zh;q=0.9", "ru": "ru-RU,ru;q=0.9", "fr": "fr-FR,fr;q=0.9",
          "es": "es-ES,es;q=0.9", "de": "de-DE,de;q=0.9", "pt": "pt-BR,pt;q=0.9", "it": "it-IT,it;q=0.9",
          "ja": "ja-JP,ja;q=0.9", "ko": "ko-KR,ko;q=0.9", "ar": "ar-SA,ar;q=0.9", "tr": "tr-TR,tr;q=0.9"}
LANG_WEIGHTS = {"en": 50, "zh": 12, "ru": 11, "fr": 4, "es": 4, "de": 4, "pt": 3, "it": 3, "ja": 3,
                "ko": 2, "ar": 2, "tr": 2}
FIRST = ("Alice", "Bruno", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ingrid", "Jamal")
LAST = ("Martin", "Kowalski", "Okafor", "Schneider", "Tanaka", "Moreau", "Ivanova", "Haddad", "Silva", "Nguyen")


def _rfc3339(ts):
    import datetime as dt
    if isinstance(ts, str):
        return ts
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Public networks whose place the bundled GeoLite2 database knows, the addresses geo databases
# use in their own tests (a university, RIPE NCC, MaxMind's Swedish test net, CERNET), so the
# sample release has countries and states: US/Minnesota, NL/North Holland, SE/Stockholm, CN/Shanghai.
PUBLIC_V4 = ("128.101.101", "193.0.6", "89.160.20")
PUBLIC_V6 = "2001:da8:8000"


class _Ips:
    """Unique addresses: about 30% of the first 700 users from the public networks above,
    the others from documentation ranges (TEST-NET-1/2/3 and 2001:db8::/32, never placed)."""

    def __init__(self, rng):
        self._rng, self._n = rng, 0

    def next(self):
        self._n += 1
        n = self._n
        # Past 0xffff users, the group index moves to its own field (IPv6 groups hold 4 hex digits).
        low, high = n & 0xFFFF, n >> 16
        public = n < 700 and n % 10 < 3
        if self._rng.random() < 0.1:
            if public:
                return f"{PUBLIC_V6}::{low:x}"
            return f"2001:db8::{low:x}" if not high else f"2001:db8:{high + 1:x}::{low:x}"
        if public:  # unique: n % 3 differs between the n % 10 < 3 of one n // 10
            return f"{PUBLIC_V4[n % 3]}.{(n // 10) % 254 + 1}"
        net = ("192.0.2", "198.51.100", "203.0.113")[n % 3]
        if n < 700:
            return f"{net}.{(n // 3) % 254 + 1}"
        return f"2001:db8:1::{low:x}" if not high else f"2001:db8:{high + 1:x}:1::{low:x}"


def _secret(rng):
    kind = rng.randrange(4)
    if kind == 0:
        return "sk-" + "".join(rng.choices(string.ascii_letters + string.digits, k=48))
    if kind == 1:
        return "AKIA" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=16))
    if kind == 2:
        return "ghp_" + "".join(rng.choices(string.ascii_letters + string.digits, k=36))
    return "AIza" + "".join(rng.choices(string.ascii_letters + string.digits + "-_", k=35))


class Generator:
    def __init__(self, seed: int, words_scale: float = 1.0, churn_share: float = 0.0,
                 ip_change_window: int | None = None, browsers: int = 0):
        self.rng = random.Random(seed)
        # browsers = 0: the four UAS (a stress case: 2 bits of user-agent entropy, so users
        # share a browser fingerprint far more often than real visitors do); else `ua_pool`.
        self.uas = ua_pool(browsers) if browsers else None
        self.ua_weights = list(itertools.accumulate(1 / r for r in range(1, browsers + 1)))
        self.churn_share = churn_share
        # With a window, a hot opening followed by an IP change is ambiguous only when another
        # call from the same browser said "hi" within the window before the next turn (see
        # `_settle_ambiguity`); without one, every such conversation counts as ambiguous.
        self.window = ip_change_window
        self.hi_calls = {}  # (user-agent, accept-language) -> [ts of consenting "hi" calls]
        self.pending = []  # (truth indices, browser, ts of the turn after "hi")
        self.ips = _Ips(self.rng)
        self.scale = words_scale
        self.next_id = 10_000_000
        self.records = []  # (record dict | raw bytes, valid: bool)
        self.truth = []
        self.last_hi = {}
        self.pii = []
        self.nasty = []
        self.counts = dict(input_records=0, deadletter=0, filtered_no_consent=0, duplicate_turns=0,
                           linked_turns=0, released_conversations=0)

    def _user_agent(self) -> str:
        if self.uas is None:
            return self.rng.choice(UAS)
        return self.rng.choices(self.uas, cum_weights=self.ua_weights)[0]

    # -- text -------------------------------------------------------------------------------
    def _sentences(self, lang, mean_sentences):
        # Lognormal lengths with a long tail; at scale 1 the means are about WildChat's
        # (user ~300 tokens, reply ~440 tokens at ~4 chars a token).
        n = max(1, int(self.rng.lognormvariate(-0.32, 0.8) * mean_sentences * self.scale))
        return " ".join(self.rng.choice(PHRASES[lang]) for _ in range(n))

    def _user_text(self, lang, turn_id):
        text = self._sentences(lang, 19)
        r = self.rng.random()
        if r < 0.08:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            text = f"My name is {name}. " + text
            self.pii.append({"turn_id": turn_id, "type": "PERSON", "value": name})
        elif r < 0.14:
            email = f"{self.rng.choice(FIRST).lower()}.{self.rng.randrange(100, 999)}@mailbox{self.rng.randrange(9)}.org"
            text += f" Please reply to {email} when you can."
            self.pii.append({"turn_id": turn_id, "type": "EMAIL_ADDRESS", "value": email})
        elif r < 0.19:
            phone = f"+1 415 555 {self.rng.randrange(1000, 9999)}"
            text += f" You can call me at {phone}."
            self.pii.append({"turn_id": turn_id, "type": "PHONE_NUMBER", "value": phone})
        elif r < 0.23:
            key = _secret(self.rng)
            text += f"\n```python\nclient = Client(api_key=\"{key}\")\n```"
            self.pii.append({"turn_id": turn_id, "type": "SECRET", "value": key})
        elif r < 0.26:
            text += " " + self.rng.choice(TOXIC)
        elif r < 0.32:
            text += "\n" + self.rng.choice(CODE_SNIPPETS)
        return text

    def _reply(self, lang):
        return self._sentences(lang, 27)

    # -- records ----------------------------------------------------------------------------
    def _id(self):
        self.next_id += self.rng.randrange(1, 7)
        return self.next_id

    def _emit(self, user, messages, response, ts, turn_id, ip=None):
        rec = {"turn_id": turn_id, "timestamp": self._fmt_ts(ts), "model": user["model"],
               "messages": [{"role": r, "content": c} for r, c in messages], "response": response,
               "ip": ip or user["ip"], "headers": {"user-agent": user["ua"], "accept-language": user["al"],
                                                   "cookie": "session=" + str(turn_id)},
               "consent": user["consent"]}
        if self.rng.random() < 0.1:
            rec["client"] = {"version": "1.2.3"}  # unknown fields are ignored
        self.records.append(rec)
        self.counts["input_records"] += 1
        if not user["consent"]:
            self.counts["filtered_no_consent"] += 1
        return rec

    def _fmt_ts(self, ts):
        return ts if self.rng.random() < 0.2 else _rfc3339(ts)  # epoch seconds or RFC 3339

    def conversation(self, user, start, n_turns, hot, orphan, branchy):
        """One conversation tree; returns the time its last turn happened."""
        lang = user["lang"]
        if hot:
            # Two identical "hi" calls from one IP and browser within the retry window are one
            # turn by definition (a retry); users behind one NAT must not collide like that.
            last = self.last_hi.get((user["ip"], user["ua"]))
            if last is not None and start - last <= 600:
                hot = False
            else:
                self.last_hi[(user["ip"], user["ua"])] = start
        # Metadata cannot tell such conversations from others: a shared NAT IP and browser,
        # or an opening shared by many users followed by an IP change.
        ambiguous = user["nat"] or (hot and user.get("moves", False))
        if self.window is not None:
            ambiguous = user["nat"] or (hot and orphan)  # a lost "hi" looks like a stranger's
        churn = hot and n_turns > 1 and self.churn_share and self.rng.random() < self.churn_share
        browser = (user["ua"], user["al"])
        history, ts, path = [], start, []
        leaves = []
        ip = user["ip"]
        ip_changed_after_hi, child_ts = False, None
        for k in range(n_turns):
            if (k and user.get("moves") and self.rng.random() < 0.3) or (k == 1 and churn):
                ip = self.ips.next()  # IP change mid-conversation (churn: right after "hi")
                ip_changed_after_hi = ip_changed_after_hi or k == 1
            tid = self._id()
            if k == 0 and hot:
                q, a = HI, HELLO
            else:
                q, a = self._user_text(lang, tid), self._reply(lang)
            messages = history + [("user", q)]
            skew = -self.rng.randrange(1, 30) if (k and self.rng.random() < 0.05) else 0
            rec_ts = ts + skew
            lost = orphan and k == 0
            if k == 1:
                child_ts = rec_ts
            if hot and k == 0 and not lost and user["consent"]:
                self.hi_calls.setdefault(browser, []).append(rec_ts)
            if not lost:
                self._emit(user, messages, a, rec_ts, tid, ip)
                if user["consent"] and self.rng.random() < 0.04:  # client retry
                    self._emit(user, messages, a, rec_ts + self.rng.randrange(2, 60), self._id(), ip)
                    self.counts["duplicate_turns"] += 1
                if user["consent"] and self.rng.random() < 0.02:  # exact duplicate line
                    self.records.append(self.records[-1])
                    self.counts["input_records"] += 1
                    self.counts["duplicate_turns"] += 1
                if user["consent"]:
                    self.counts["linked_turns"] += 1
            path.append(None if lost else tid)
            if branchy and 0 < k < n_turns - 1 and self.rng.random() < 0.5:
                # A sibling: regenerated answer (same request) or edited prompt (new request).
                btid = self._id()
                if self.rng.random() < 0.5:
                    bmsgs, ba = messages, self._reply(lang)
                    while ba == a:  # the same answer again would be a client retry, not a branch
                        ba = self._reply(lang)
                else:
                    bmsgs, ba = history + [("user", self._user_text(lang, btid))], self._reply(lang)
                self._emit(user, bmsgs, ba, ts + 5, btid, ip)
                if user["consent"]:
                    self.counts["linked_turns"] += 1
                    leaves.append((path[:-1] + [btid], bmsgs + [("assistant", ba)]))
            history = messages + [("assistant", a)]
            ts += self.rng.randrange(20, 400)
        if user["consent"]:
            leaves.append((path, history))
            if self.window is not None and hot and ip_changed_after_hi and not ambiguous:
                self.pending.append((range(len(self.truth), len(self.truth) + len(leaves)),
                                     browser, child_ts))
            for turn_ids, transcript in leaves:
                only_hi = all(c == HI for r, c in transcript if r == "user")
                self.truth.append({"turn_ids": turn_ids, "messages": [list(m) for m in transcript],
                                   "orphan": turn_ids[0] is None, "ambiguous": ambiguous,
                                   "lang": "en" if only_hi else lang})
                self.counts["released_conversations"] += 1
        return ts

    def settle_ambiguity(self, skew: int = 60) -> None:
        """A conversation whose IP changed right after its "hi" can be told apart when its own
        "hi" is the only one from its browser within the window before its next turn."""
        import bisect

        for browser in self.hi_calls:
            self.hi_calls[browser].sort()
        for indices, browser, child_ts in self.pending:
            calls = self.hi_calls.get(browser, [])
            near = bisect.bisect_right(calls, child_ts + skew) - bisect.bisect_left(calls, child_ts - self.window)
            if near != 1:
                for i in indices:
                    self.truth[i]["ambiguous"] = True

    def scripted_tree(self, members: int, start: int) -> None:
        """A scripted client: one opening, then `members - 1` calls that all continue it (a
        tenth go one turn deeper), from one machine: one tree of `members` turns."""
        user = {"ip": self.ips.next(), "ua": "python-requests/2.31.0", "al": "", "lang": "en",
                "nat": False, "consent": True, "model": MODELS[0]}
        opening = [("system", "You write one-line product descriptions."), ("user", "Ready?")]
        root_id, answer = self._id(), "Ready."
        self._emit(user, opening, answer, start, root_id)
        self.counts["linked_turns"] += 1
        base = opening + [("assistant", answer)]
        made, i = 1, 0
        while made < members:
            i += 1
            tid, q = self._id(), f"Describe product #{i}."
            a = self.rng.choice(PHRASES["en"])
            messages = base + [("user", q)]
            self._emit(user, messages, a, start + 2 * i, tid)
            made += 1
            path, transcript = [root_id, tid], messages + [("assistant", a)]
            if made < members and i % 10 == 0:
                tid2, a2 = self._id(), self.rng.choice(PHRASES["en"])
                messages = transcript + [("user", "Shorter, please.")]
                self._emit(user, messages, a2, start + 2 * i + 1, tid2)
                made += 1
                path, transcript = path + [tid2], messages + [("assistant", a2)]
            self.truth.append({"turn_ids": path, "messages": [list(m) for m in transcript],
                               "orphan": False, "ambiguous": False, "lang": "en"})
            self.counts["released_conversations"] += 1
        self.counts["linked_turns"] += made - 1

    def malformed(self, kind=None):
        good = {"turn_id": self._id(), "timestamp": BASE_TS, "model": MODELS[0],
                "messages": [{"role": "user", "content": "hello"}], "response": "Hi!",
                "ip": "192.0.2.77", "headers": {}, "consent": True}
        kind = self.rng.randrange(10) if kind is None else kind
        if kind == 0:
            raw = b'{"turn_id": 5, "messages": [oops'
        elif kind == 1:
            raw = b'{"turn_id": 6, "content": "caf\xe9 latte"}'
        elif kind == 2:
            raw = json.dumps(dict(good, ip="999.1.2.3")).encode()
        elif kind == 3:
            raw = json.dumps(dict(good, timestamp="yesterday at noon")).encode()
        elif kind == 4:
            raw = json.dumps(dict(good, messages=[{"role": "wizard", "content": "x"}])).encode()
        elif kind == 5:
            raw = json.dumps(dict(good, consent="yes")).encode()
        elif kind == 6:
            raw = json.dumps(dict(good, messages=[{"role": "user", "content": "a"},
                                                  {"role": "assistant", "content": "b"}])).encode()
        elif kind == 7:
            raw = json.dumps(dict(good, extra=json.loads("[" * 40 + "]" * 40))).encode()
        elif kind == 8:
            raw = json.dumps(dict(good, turn_id="12")).encode()
        else:
            raw = b"[1, 2, 3]"
        self.records.append(raw)
        self.counts["input_records"] += 1
        self.counts["deadletter"] += 1

    def run(self, target_turns: int, hot_share: float = 0.2, scripted_tree: int = 0):
        rng, t = self.rng, BASE_TS
        langs, weights = zip(*LANG_WEIGHTS.items())
        nat_group = None
        long_done = False
        for kind in range(10):
            self.malformed(kind)
        while self.counts["input_records"] < target_turns:
            if scripted_tree and self.counts["input_records"] > target_turns // 2:
                self.scripted_tree(scripted_tree, t)
                scripted_tree = 0
            nat = rng.random() < 0.06
            if nat and nat_group is not None:
                ip, ua = nat_group
            else:
                ip, ua = self.ips.next(), self._user_agent()
                if nat:
                    nat_group = (ip, ua)
            lang = rng.choices(langs, weights)[0]
            user = {"ip": ip, "ua": ua, "al": ACCEPT[lang], "lang": lang, "nat": nat,
                    "consent": rng.random() > 0.05, "model": rng.choice(MODELS),
                    "moves": rng.random() < 0.1}
            start = t
            for _ in range(rng.choice((1, 1, 1, 2))):
                n = min(40, max(1, int(rng.expovariate(1 / 2.5)) + 1))
                scale = self.scale
                if not long_done and self.counts["input_records"] > target_turns // 3:
                    n, long_done = 105, True
                    self.scale = 0.02  # a long conversation of short messages keeps the sample small
                start = self.conversation(user, start, n, hot=rng.random() < hot_share,
                                          orphan=rng.random() < 0.04 and n > 1,
                                          branchy=rng.random() < 0.12) + 1800
                self.scale = scale
            t += rng.randrange(5, 120)
            if rng.random() < 0.05:
                self.malformed()


# The limits of configs/sample.yaml: they decide which nasty cases are dead letters.
SAMPLE_LIMITS = {"max_messages": 512, "max_record_bytes": 8 << 20, "max_message_chars": 4_000_000}
NASTY_FIRST_ID = 9_000_000  # below the generated turn ids
# Lines over this size go to the zstd file (the repetitive 5 MB message compresses to KBs).
NASTY_BIG_LINE = 100_000


def add_nasty_cases(gen: "Generator", limits: dict = SAMPLE_LIMITS) -> list:
    """Every case of tests/data/nasty.py as one logged call of its own user (its own IPv6
    documentation address and browser, so no case links to another), in case order.
    Released cases join the truth's conversations with their expected text (lone surrogates
    repaired; a big case's text as null); each case is listed in `truth["nasty"]` with its turn id and fate. Uses no
    randomness, so the rest of the sample is the same with or without them. Returns
    [(file name, line)]: big lines go to the zstd file, the others to the plain one."""
    placed = []
    for i, case in enumerate(nasty.CASES):
        tid = NASTY_FIRST_ID + i
        line = nasty.line(case, turn_id=tid, timestamp=_rfc3339(BASE_TS + 60 * i),
                          ip=f"2001:db8:ffff::{i + 1:x}", model=MODELS[0],
                          headers={"user-agent": f"Mozilla/5.0 (nasty-text; case {i})",
                                   "accept-language": "en-US,en;q=0.9"})
        reason = nasty.expected_reason(case, **limits)
        gen.counts["input_records"] += 1
        if reason:
            gen.counts["deadletter"] += 1
        else:
            gen.counts["linked_turns"] += 1
            gen.counts["released_conversations"] += 1
            # A big case's text is not copied into the truth (megabytes): `nasty.transcript`
            # rebuilds it (tests/conftest.py's `truth` does).
            messages = None if len(line) > NASTY_BIG_LINE else [list(m) for m in nasty.transcript(case)]
            gen.truth.append({"turn_ids": [tid], "messages": messages, "orphan": False,
                              "ambiguous": False, "lang": case.lang, "nasty": case.name})
        gen.nasty.append({"name": case.name, "turn_id": tid, "reason": reason, "lang": case.lang,
                          "pii": list(case.pii)})
        placed.append(("turns-02.jsonl.zst" if len(line) > NASTY_BIG_LINE else "turns-00.jsonl", line))
    return placed


def _write(records, out: str, rng, placed=()) -> None:
    os.makedirs(out, exist_ok=True)
    rng.shuffle(records)
    names = ["turns-00.jsonl", "turns-01.jsonl.gz", "turns-02.jsonl.zst", "turns-03.parquet"]
    buckets = {n: [] for n in names}
    for rec in records:
        name = rng.choice(names)
        if name.endswith(".parquet") and isinstance(rec, bytes):
            name = names[0]  # malformed lines cannot be typed Parquet rows
        buckets[name].append(rec)
    for name, line in placed:  # after the random ones: they do not move them
        buckets[name].append(line)
    for name, recs in buckets.items():
        path = os.path.join(out, name)
        if name.endswith(".parquet"):
            import pyarrow as pa
            import pyarrow.parquet as pq
            rows = [dict(r, timestamp=_rfc3339(r["timestamp"]), headers=dict(r["headers"])) for r in recs]
            for row in rows:
                row.pop("client", None)
            pq.write_table(pa.Table.from_pylist(rows), path, compression="zstd")
            continue
        data = b"".join((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n" for r in recs)
        if name.endswith(".gz"):
            data = gzip.compress(data, mtime=0)
        elif name.endswith(".zst"):
            import zstandard
            data = zstandard.ZstdCompressor(level=19).compress(data)
        with open(path, "wb") as fh:
            fh.write(data)


def generate(turns: int, seed: int, out: str, words_scale: float = 1.0, hot_share: float = 0.2,
             churn_share: float = 0.0, scripted_tree: int = 0, ip_change_window: int | None = None,
             nasty_cases: bool = True, browsers: int = 0) -> dict:
    gen = Generator(seed, words_scale, churn_share, ip_change_window, browsers)
    gen.run(turns, hot_share, scripted_tree)
    if ip_change_window is not None:
        gen.settle_ambiguity()
    placed = add_nasty_cases(gen) if nasty_cases else ()
    _write(gen.records, out, gen.rng, placed)
    truth = {"counts": gen.counts, "conversations": gen.truth, "pii": gen.pii, "nasty": gen.nasty}
    with open(os.path.join(out, "truth.json.gz"), "wb") as fh:
        fh.write(gzip.compress(orjson.dumps(truth), mtime=0))
    return truth


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="data/sample")
    parser.add_argument("--words-scale", type=float, default=1.0, help="message length multiplier")
    parser.add_argument("--hot-share", type=float, default=0.2, help="share of conversations opening with 'hi'")
    parser.add_argument("--churn-share", type=float, default=0.0,
                        help="share of 'hi' conversations whose IP changes right after the opening")
    parser.add_argument("--scripted-tree", type=int, default=0,
                        help="turns in one scripted client's tree (one opening continued by all)")
    parser.add_argument("--ip-change-window", type=int, default=None,
                        help="judge ambiguity against linking with this IP-change window (seconds)")
    parser.add_argument("--browsers", type=int, default=0,
                        help="distinct user agents, drawn Zipf-like (0: four, a stress case for linking)")
    parser.add_argument("--no-nasty", action="store_true",
                        help="leave out the nasty-text cases (5 MB message, 2 MB base64 line, ...)")
    args = parser.parse_args(argv)
    truth = generate(args.turns, args.seed, args.out, args.words_scale, args.hot_share,
                     args.churn_share, args.scripted_tree, args.ip_change_window,
                     nasty_cases=not args.no_nasty, browsers=args.browsers)
    print(json.dumps(truth["counts"]))


if __name__ == "__main__":
    main()

"""Nasty text that passes (or nearly passes) validation: issue #14 item 3, as data.

Real logs hold emoji cut in half by a client that truncates by UTF-16 units, terminal escape
codes, invisible characters inside an e-mail address, right-to-left text, emoji-only prompts,
pasted code, pasted base64 blobs and multi-megabyte pastes. Each `Case` is one logged call;
`line(case, ...)` gives its input line, and the case says what must happen to it:

- `reason` is None: released. `expected_messages(case)` is what parsing must give back (lone
  surrogate escapes become U+FFFD, nothing else changes) and `pii` lists values, in the
  form a reader sees them, that must not survive scrubbing (`visible` drops the invisible
  characters before looking for them);
- `lang`, when set, is the released conversation's language code ("und": Unknown);
- `reason` names the dead-letter reason otherwise;
- a case over `validation.max_messages` / `max_record_bytes` / `max_message_chars` is
  dead-lettered as `too_many_messages` / `record_too_large` / `message_too_long`
  (`expected_reason` takes the limits).

Used by the parser's tests and by the sample generator (tools/generate.py), so every case
is deterministic.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re

__all__ = ["Case", "CASES", "line", "expected_messages", "expected_reason", "transcript", "visible",
           "by_name"]


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    user: str  # the last user message (may hold lone surrogates)
    response: str = "Sure, here you go."
    history: tuple = ()  # earlier (role, content) messages
    pii: tuple = ()  # values that must not survive scrubbing, as a reader sees them
    reason: str | None = None  # the dead-letter reason; None = released
    lang: str | None = None  # the released conversation's language code, when it is certain
    # For byte-level damage: (the record's JSON bytes) -> the line actually logged.
    damage: object = None


def _deterministic_bytes(n: int, seed: str) -> bytes:
    out, block = bytearray(), seed.encode()
    while len(out) < n:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:n])


_CODE = '''```python
import asyncio
from dataclasses import dataclass, field


@dataclass
class Queue:
    items: list = field(default_factory=list)

    async def drain(self, limit: int = 10) -> list:
        out = []
        while self.items and len(out) < limit:
            out.append(self.items.pop(0))
            await asyncio.sleep(0)
        return out


if __name__ == "__main__":
    q = Queue(list(range(25)))
    print(asyncio.run(q.drain(5)))
```'''

_LOG_LINE = "2023-04-09 00:02:53,118 INFO worker-17 batch 4411 processed 512 rows in 0.82s\n"

_TEN_THOUSAND = (("system", "You are terse."),) + tuple(
    ("user" if i % 2 == 0 else "assistant", f"step {i}") for i in range(9_998))

CASES = (
    # Lone halves of UTF-16 pairs: repaired to U+FFFD, released.
    Case("lone_high_surrogate", "the emoji was cut here: \ud83d"),
    Case("lone_low_surrogate", "\ude00 starts with the second half"),
    Case("reversed_surrogate_pair", "backwards \ude00\ud83d pair"),
    Case("lone_high_before_a_pair", "one lost half \ud83d then a whole one \U0001F600"),
    Case("surrogate_in_the_reply", "tell me a joke", response="Here \ud83d is one."),
    # A backslash followed by the text "ud800" is not an escape and stays as it is.
    Case("escaped_backslash_u", "the JSON escape \\ud800 in a string literal"),
    # Control characters, escaped as JSON requires: kept verbatim.
    Case("nul_and_control_characters",
         "a\x00b\x01c \x1b[31mred\x1b[0m\x07\x7f \x85next\u2028line\u2029para\x0b\x0c end"),
    # Invisible characters inside and around PII.
    # (Not example.com: addresses at reserved domains are kept on purpose, README "PII".)
    Case("zero_width_inside_email", "write to jo\u200bhn.do\u200de@exam\ufeffple-mail.net today",
         pii=("john.doe@example-mail.net",)),
    Case("bidi_isolates_around_phone",
         "my number is \u2066+1 415 555 0134\u2069 call me \u200f",
         pii=("+1 415 555 0134",)),
    Case("bidi_override_around_card", "card \u202e4111 1111 1111 1111\u202c thanks",
         pii=("4111 1111 1111 1111",)),
    # Right-to-left scripts.
    Case("arabic_with_email",
         "مرحبا، أحتاج مساعدة في كتابة رسالة إلى مديري. بريدي الإلكتروني هو ahmed.karim@mailbox-ar.org",
         response="بالتأكيد، سأساعدك في كتابة الرسالة.", pii=("ahmed.karim@mailbox-ar.org",), lang="ar"),
    Case("hebrew", "שלום, אני צריך עזרה עם מתכון לעוגת שוקולד בלי ביצים",
         response="בטח! הנה מתכון פשוט לעוגת שוקולד טבעונית.", lang="he"),
    Case("emoji_only", "😀😀🙏🏽👨‍👩‍👧‍👦🇫🇷❤️‍🔥", response="🙂", lang="und"),
    Case("all_code", _CODE, response=_CODE.replace("limit: int = 10", "limit: int = 20")),
    Case("base64_2mb_line",
         base64.b64encode(_deterministic_bytes(1_572_864, "base64_2mb_line")).decode("ascii"),
         response="That looks like base64-encoded binary data."),
    Case("huge_5mb_message", _LOG_LINE * (5_000_000 // len(_LOG_LINE)),
         response="The log shows one worker processing batches."),
    Case("ten_thousand_messages", "and the last step?", history=_TEN_THOUSAND),
    # Byte-level damage that validation must refuse with the right reason.
    Case("raw_nul_inside_a_string", "x", reason="invalid_json",
         damage=lambda raw: raw.replace(b'"x"', b'"a\x00b"', 1)),
    Case("raw_control_character_inside_a_string", "x", reason="invalid_json",
         damage=lambda raw: raw.replace(b'"x"', b'"a\x1bb"', 1)),
    Case("utf8_encoded_surrogate", "x", reason="undecodable_bytes",
         damage=lambda raw: raw.replace(b'"x"', b'"\xed\xa0\xbd"', 1)),
    Case("line_starting_with_nul", "x", reason="invalid_json", damage=lambda raw: b"\x00" + raw),
)


def by_name(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


def _messages(case: Case) -> list:
    return [{"role": r, "content": c} for r, c in case.history] + [{"role": "user", "content": case.user}]


def line(case: Case, turn_id: int = 1, timestamp: str = "2023-04-09T00:02:53Z",
         ip: str = "203.0.113.7", model: str = "gpt-3.5-turbo-0613", consent: bool = True,
         headers: dict | None = None) -> bytes:
    """The input line of `case`. JSON escapes every non-ASCII character (`ensure_ascii`),
    which is the only way to write a lone surrogate."""
    record = {"turn_id": turn_id, "timestamp": timestamp, "model": model,
              "messages": _messages(case), "response": case.response, "ip": ip,
              "headers": headers or {"user-agent": "Mozilla/5.0", "accept-language": "en"},
              "consent": consent}
    raw = json.dumps(record).encode("ascii")
    return case.damage(raw) if case.damage else raw


def _repaired(text: str) -> str:
    """Pairs joined, lone surrogates replaced by U+FFFD (an oracle independent of the parser)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def expected_messages(case: Case) -> tuple:
    """The request's (role, content) pairs as parsing must give them back."""
    return tuple((m["role"], _repaired(m["content"])) for m in _messages(case))


def transcript(case: Case) -> tuple:
    """The released conversation's (role, content) pairs before scrubbing: the request and
    the reply, as parsing gives them back."""
    return expected_messages(case) + (("assistant", _repaired(case.response)),)


def expected_reason(case: Case, max_messages: int = 4096, max_record_bytes: int = 8 << 20,
                    max_message_chars: int | None = None) -> str | None:
    """The dead-letter reason under these limits, or None when the case is released."""
    if case.reason:
        return case.reason
    if len(line(case)) > max_record_bytes:
        return "record_too_large"
    if len(case.history) + 1 > max_messages:
        return "too_many_messages"
    if max_message_chars is not None and max(len(c) for _, c in transcript(case)) > max_message_chars:
        return "message_too_long"
    return None


_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(text: str) -> str:
    """`text` without zero-width and bidi control characters (what a reader sees)."""
    return _INVISIBLE.sub("", text)

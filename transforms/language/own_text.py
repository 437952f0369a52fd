"""The mixed-message rule: a message's language is the language of what the person wrote, not
of code, a text they quote, or a payload they paste for the model to work on.

On a cleaned message (fenced and inline code, URLs and e-mail addresses already gone), in order:
  1. code lines: lines that read as code (many of `=(){}[];<>` ..., or a statement keyword such
     as `for`, `SELECT`, `import` with code punctuation) are dropped;
  2. quoted lines ("> ...", as in e-mail and Markdown) are dropped;
  3. text between paired quotation marks (“…”, «…», „…“, "…", 「…」, 『…』) is dropped;
  4. a tool's message pasted inline ("git sagt fatal: refusing to merge unrelated histories,
     ist das sicher?", "me sale TypeError: x is undefined, por qué") is dropped up to the end of
     its clause (a comma or a line break);
  5. a lead-in that ends with a colon and is followed by a payload on the next lines
     ("总结这篇文章：\\n<article>"), or on the same line when the lead-in has at least
     `lead_in_letters` letters or is written in another script than Latin ("Translate this
     into Spanish: I love my dog", "翻译：I love you"; a short Latin one, as in "Note: the
     shop opens at nine", is more often part of the sentence), keeps only the lead-in;
  6. code-like words are dropped: --flags, formulas and paths (`=VLOOKUP(A2)`, `a/b`),
     identifiers (CamelCase, snake_case, dotted.names), words mixing letters and digits, and
     acronyms in capitals (SQL, NATO), which carry no language;
  7. mixed scripts: when a non-Latin script holds at least MIXED_SCRIPT_SHARE of the letters
     (combining vowel signs included; a CJK character counts CJK_SCRIPT_WEIGHT, and CJK needs
     CJK_SHARE) next to Latin ones (a Russian question around an English error message,
     Japanese or Korean around a product name or an npm error), only the non-Latin words are
     kept: the Latin ones are the payload.
     Chinese, Japanese and Korean text has Latin runs glued to it ("git提示"), so there the
     Latin runs themselves are cut out.
Each step applies only when what remains still has `min_letters` letters (a CJK character
counts CJK_WEIGHT, about a word), so the rule never empties a message, and a plain short
lead-in ("Note: ...") keeps the whole text.

Speed: the rule reads every character of a message (up to the language stage's MAX_CHARS),
so what it asks of one character (its script, its letter weight) and of one word (code-like
or not) is computed once per process and looked up after (`functools.lru_cache`; pure
functions of their argument, so the results are those of computing them each time). On
real-shaped chat this is most of the language stage's CPU (README "Benchmark").
"""
from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["own_text", "weighted_letters", "MIXED_SCRIPT_SHARE"]

CJK_WEIGHT = 3
MIXED_SCRIPT_SHARE = 0.25
# In the mixed-script rule a CJK character weighs CJK_SCRIPT_WEIGHT letters (as in
# text.script_language) and CJK needs CJK_SHARE: one Japanese word in a Spanish question
# ("¿cómo se dice gracias en japonés, es ありがとう?") stays a payload.
CJK_SCRIPT_WEIGHT = 2
CJK_SHARE = 0.3

_BLANKS = re.compile(r"[ \t]{2,}")
_QUOTE_LINE = re.compile(r"^[ \t]*>.*(?:\n|$)", re.M)
_QUOTED = re.compile(r"“[^”\n]*”|«[^»\n]*»|„[^“”\n]*[“”]|\"[^\"\n]*\"|「[^」]*」|『[^』]*』")
# A lead-in: at most 300 characters, no sentence end inside, then a colon and a payload that
# starts on the same line or on the next ones.
_LEAD_IN = re.compile(r"^([^\n:：.!?。！？]{1,300})[:：][ \t]*(?:\n+|(?=\S))(?=\S)", re.S)
# A tool's message pasted inline: "fatal: ...", "error: ...", "TypeError: ..." up to the end of
# its clause (a comma or a line break; tools rarely put commas in one-line messages).
_ERROR_MESSAGE = re.compile(r"\b(?:fatal|error|warning|exception|\w+Error|\w+Exception)[ \t]*:[^,\n]*", re.I)
_CODE_CHARS = frozenset("=(){}[];<>$|&*\\+")
_CODE_START = re.compile(
    r"^\s*(?:for|while|if|elif|else|def|class|import|from|return|print|echo|const|let|var|function|"
    r"public|private|static|void|int|#include|using|package|select|insert|update|delete|create|alter)\b",
    re.I)
_CODE_IN_WORD = re.compile(r"[=_(){}\[\]<>/\\#@$|;!:]|\w\.\w")
_LATIN_RUN = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:[-'’.][A-Za-z\u00C0-\u024F]+)*")
_EDGE_PUNCT = ".,;:!?¿¡…\"'()[]«»“”„’‘、。，：；！？"


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF


@functools.lru_cache(maxsize=None)
def _letter_weight(ch: str) -> int:
    if ch.isalpha():
        return CJK_WEIGHT if _is_cjk(ch) else 1
    return 1 if unicodedata.category(ch) in ("Mn", "Mc") else 0


def weighted_letters(text: str) -> int:
    """Letters and combining marks (Indic vowel signs), a CJK character counting CJK_WEIGHT."""
    return sum(map(_letter_weight, text))


def own_text(text: str, min_letters: int, lead_in_letters: int = 20) -> str:
    """The part of a cleaned message the person wrote (see the module docstring)."""
    for step in (_drop_code_lines, _drop_quote_lines, _drop_quoted, _drop_error_messages, _keep_lead_in,
                 _drop_code_words, _keep_non_latin):
        reduced = step(text, lead_in_letters) if step is _keep_lead_in else step(text)
        if reduced != text and weighted_letters(reduced) >= min_letters:
            text = reduced
    return text


def _is_code_line(line: str) -> bool:
    chars = [ch for ch in line if not ch.isspace()]
    if not chars:
        return False
    symbols = sum(ch in _CODE_CHARS for ch in chars)
    density = symbols / len(chars)
    return (symbols >= 2 and density >= 0.15) or (symbols >= 1 and density >= 0.05 and bool(_CODE_START.match(line)))


def _drop_code_lines(text: str) -> str:
    if "\n" not in text and not any(ch in _CODE_CHARS for ch in text):
        return text
    return "\n".join(line for line in text.split("\n") if not _is_code_line(line)).strip()


def _drop_quote_lines(text: str) -> str:
    return _QUOTE_LINE.sub("", text).strip()


def _drop_quoted(text: str) -> str:
    return _BLANKS.sub(" ", _QUOTED.sub(" ", text)).strip()


def _drop_error_messages(text: str) -> str:
    if ":" not in text:
        return text
    return "\n".join(_BLANKS.sub(" ", line).strip() for line in _ERROR_MESSAGE.sub(" ", text).split("\n")).strip()


def _keep_lead_in(text: str, lead_in_letters: int) -> str:
    m = _LEAD_IN.match(text)
    if not m or len(text) - m.end() < 2:
        return text
    lead_in = m.group(1).strip()
    on_new_line = "\n" in text[m.end(1):m.end()]
    no_latin = not any(ch.isalpha() and _script(ch) == "LATIN" for ch in lead_in)
    return lead_in if on_new_line or no_latin or weighted_letters(lead_in) >= lead_in_letters else text


@functools.lru_cache(maxsize=1 << 16)
def _is_code_word(word: str) -> bool:
    core = word.strip(_EDGE_PUNCT)
    if not core:
        return False
    if core[0] == "-" and len(core) > 1 and core.lstrip("-")[:1].isalpha():
        return True  # --flag, -v
    if _CODE_IN_WORD.search(core):
        return True
    letters = [ch for ch in core if ch.isalpha()]
    if not letters or not all(_script(ch) == "LATIN" for ch in letters):
        return False  # no letters, or a word in another script (Japanese runs have no spaces)
    if any(ch.isdigit() for ch in core):
        return True
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return True  # SQL, NATO
    return any(a.islower() and b.isupper() for a, b in zip(core, core[1:]))  # IndexError, iPhone


def _drop_code_words(text: str) -> str:
    if not any(ch.isupper() or ch.isdigit() or ch in "-_=/\\.#@$" for ch in text):
        return text
    lines = [" ".join(w for w in line.split(" ") if not _is_code_word(w)) for line in text.split("\n")]
    return _BLANKS.sub(" ", "\n".join(lines)).strip()


@functools.lru_cache(maxsize=None)
def _script(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0]


@functools.lru_cache(maxsize=None)
def _script_weight(ch: str) -> tuple | None:
    """(script, weight) of a letter or combining mark in the mixed-script rule, else None."""
    if ch.isalpha() or unicodedata.category(ch) in ("Mn", "Mc"):
        cjk = _is_cjk(ch)
        return ("CJK", CJK_SCRIPT_WEIGHT) if cjk else (_script(ch), 1)
    return None


def _keep_non_latin(text: str) -> str:
    if text.isascii():
        return text
    weights: dict = {}
    for sw in map(_script_weight, text):
        if sw is not None:
            weights[sw[0]] = weights.get(sw[0], 0) + sw[1]
    latin = weights.pop("LATIN", 0)
    if not latin or not weights:
        return text
    script, n = max(weights.items(), key=lambda kv: kv[1])
    if n < (CJK_SHARE if script == "CJK" else MIXED_SCRIPT_SHARE) * (n + latin):
        return text
    if script == "CJK":  # no spaces between words: cut the Latin runs out ("git提示" -> "提示")
        return _BLANKS.sub(" ", _LATIN_RUN.sub(" ", text)).strip()

    def keep(word):
        letters = [ch for ch in word if ch.isalpha()]
        return not letters or sum(_script(ch) == "LATIN" for ch in letters) * 2 < len(letters)
    lines = [" ".join(w for w in line.split(" ") if keep(w)) for line in text.split("\n")]
    return _BLANKS.sub(" ", "\n".join(lines)).strip()

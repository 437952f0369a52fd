"""SECRET: provider keys, tokens, private keys and the values of password/key/token assignments.

Secrets are searched everywhere, code included: a key pasted into code is a real leak. Only
the secret itself is matched (`api_key=` or `Bearer ` stays, so the text keeps its shape).

An assignment (`password = ...`, `api_key: ...`, `token=...`) is a secret only when its value
is a literal that looks like one: a quoted string of 6+ characters with two character classes
(or 16+ characters), no spaces, no template or path; or an unquoted value with letters and
digits (or 16+ characters of high entropy). A variable, attribute, call, expression,
environment lookup or placeholder (`token = :sessionToken`, `secret = row.slice(0`,
`os.environ[...]`, `${VAR}`, `"your-api-key"`) is code, not a secret.
"""
from __future__ import annotations

import math
from collections import Counter

import regex

from transforms.pii.recognizers.base import Recognizer

__all__ = ["SecretRecognizer", "looks_like_secret"]

# (name, pattern, score): keys whose shape alone identifies them.
KEY_PATTERNS = (
    ("openai_key", r"\bsk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}", 0.95),
    ("stripe_key", r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}", 0.95),
    ("aws_access_key_id", r"\b(?:AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b", 0.95),
    ("github_token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b", 0.95),
    ("gitlab_token", r"\bglpat-[A-Za-z0-9_-]{20,}", 0.95),
    ("huggingface_token", r"\bhf_[A-Za-z0-9]{30,}\b", 0.95),
    ("google_api_key", r"\bAIza[0-9A-Za-z_-]{35}", 0.95),
    ("slack_token", r"\bxox[abposr]-[0-9A-Za-z-]{10,}", 0.95),
    ("jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", 0.9),
    ("bearer_token", r"(?i)(?<=\bbearer\s+)[A-Za-z0-9._~+/-]{16,}=*", 0.9),
    ("pem_private_key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----", 1.0),
)
# A substring every match of the pattern contains (checked first: most texts hold no key).
_MARKERS = {"openai_key": "sk-", "stripe_key": "_", "aws_access_key_id": "A", "github_token": "_",
            "gitlab_token": "glpat-", "huggingface_token": "hf_", "google_api_key": "AIza", "slack_token": "xox",
            "jwt": "eyJ", "pem_private_key": "PRIVATE KEY"}
_KEYS = tuple((name, regex.compile(p), score) for name, p, score in KEY_PATTERNS)
# The name of an assigned secret (as a whole word or after "_"/"-": db_password, API-KEY).
_ASSIGN = regex.compile(
    r"(?<![A-Za-z0-9])(?:password|passwd|pwd|pass|passphrase|api[_-]?key|apikey|secret(?:[_-]?key)?|"
    r"token|client[_-]?secret|private[_-]?key)[\"']?\s*(?::=|=>|[:=])[ \t]*", regex.I)
_ASSIGN_WORDS = ("pass", "pwd", "key", "token", "secret")
_QUOTED = regex.compile(r"([\"'`])([^\"'`\n]{1,300})\1")
_UNQUOTED = regex.compile(r"[^\s\"'`<>,;(){}\[\]]{1,300}")
_URL_PASSWORD = regex.compile(r"(?<=\b[a-z][a-z0-9+.-]*://[^\s:/@]{1,64}:)[^\s@/]{3,128}(?=@)", regex.I)
_PLACEHOLDER = regex.compile(
    r"^(?:.*(?:your|xxx|\*\*\*|\.\.\.|placeholder|changeme|change_me|replace|example|dummy|redacted|"
    r"secret|password|passwd|token|<|>|\{\{|\$\{|%\(|%s).*|none|null|nil|true|false|undefined|test\w*)$", regex.I)
# A key written as a placeholder: "sk_test_xxxxxxxxxxxx", "AKIA****************", "ghp_0000000...".
_FILLER = regex.compile(r"(?i)(.)\1{7,}|your|example|placeholder|redacted")
_ATTRIBUTE = regex.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$")
_IDENTIFIER = regex.compile(r"^[A-Za-z_][A-Za-z_]*$")


def _entropy(value: str) -> float:
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _classes(value: str) -> int:
    return sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))


def looks_like_secret(value: str, quoted: bool) -> bool:
    if len(value) < 6 or len(set(value)) < 4 or _PLACEHOLDER.match(value) or "://" in value:
        return False
    if quoted:
        return not value.startswith("/") and (_classes(value) >= 2 or len(value) >= 16)
    if value[0] in ":$@&*%!#" or _ATTRIBUTE.match(value) or _IDENTIFIER.match(value):
        return False
    has_alpha, has_digit = any(c.isalpha() for c in value), any(c.isdigit() for c in value)
    return (has_alpha and has_digit) or (len(value) >= 16 and _entropy(value) >= 3.5)


class SecretRecognizer(Recognizer):
    entity, name = "SECRET", "secret"

    def find(self, view):
        text, out = view.text, []
        lower = view.lower
        for name, pattern, score in _KEYS:
            marker = _MARKERS.get(name)
            if (marker in text) if marker else ("bearer" in lower):
                out += [self.finding(m.start(), m.end(), score, name) for m in pattern.finditer(text)
                        if not _FILLER.search(m.group())]
        if not any(w in lower for w in _ASSIGN_WORDS):
            return out
        for m in _ASSIGN.finditer(text):
            quoted = _QUOTED.match(text, m.end())
            if quoted:
                value, start = quoted.group(2), quoted.start(2)
            else:
                bare = _UNQUOTED.match(text, m.end())
                if not bare:
                    continue
                value, start = bare.group().rstrip(".!?:"), bare.start()
            if looks_like_secret(value, bool(quoted)) and not any(f.start <= start < f.end for f in out):
                out.append(self.finding(start, start + len(value), 0.8, "assigned"))
        if "://" in text:
            out += [self.finding(m.start(), m.end(), 0.8, "url_password") for m in _URL_PASSWORD.finditer(text)
                    if not _PLACEHOLDER.match(m.group())]
        return out

"""Secret detection as Presidio pattern recognizers (entity type SECRET).

Provider keys (OpenAI, AWS, GitHub, Google, Slack), bearer tokens, PEM private keys and the
values of password/api_key/token/secret assignments. Secrets are searched everywhere,
including inside code: a key pasted into code is a real leak. Only the secret part is
matched (the `api_key=` or `Bearer ` prefix stays, so the text keeps its shape).
"""
from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = ["secret_recognizers", "SECRET_PATTERNS"]

_VALUE_NOT_A_SECRET = (
    r"(?!(?:os\.|process\.env|getenv|env\[|environ|\$\{|\{\{|<|None\b|null\b|nil\b|true\b|"
    r"false\b|undefined\b|your[_-]|xxx|\*\*\*|\.\.\.|placeholder|changeme\b|self\.|config\.|settings\.))"
)
_ASSIGNED = (r"(?<=\b(?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd|pass|api[_-]?key|apikey|secret(?:[_-]?key)?|"
             r"(?:access|auth|refresh|bearer)?[_-]?token|client[_-]?secret)[\"']?\s*[:=]\s*[\"']?)")

# (name, regex, score). Scores reflect how specific each pattern is.
SECRET_PATTERNS = (
    ("openai_key", r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", 0.95),
    ("aws_access_key_id", r"\b(?:AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b", 0.95),
    ("github_token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b", 0.95),
    ("google_api_key", r"\bAIza[0-9A-Za-z_-]{35}", 0.95),
    ("slack_token", r"\bxox[abposr]-[0-9A-Za-z-]{10,}", 0.95),
    ("bearer_token", r"(?<=\bbearer\s+)[A-Za-z0-9._~+/-]{16,}=*", 0.9),
    ("pem_private_key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----", 1.0),
    ("assigned_secret", _ASSIGNED + _VALUE_NOT_A_SECRET + r"[^\s\"'<>,;)]{6,}", 0.8),
)


def secret_recognizers(language: str) -> list[PatternRecognizer]:
    return [
        PatternRecognizer(
            supported_entity="SECRET", supported_language=language, name=f"secret_{name}",
            patterns=[Pattern(name=name, regex=regex, score=score)])
        for name, regex, score in SECRET_PATTERNS
    ]

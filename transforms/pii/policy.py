"""What is kept although a recognizer found it (utility), decided per finding.

- IP addresses: only public ones are PII (the recognizer already checks; kept here as the one
  place that says so);
- e-mail addresses at reserved domains (`example.com`, `*.test`, `*.example`, `*.invalid`,
  `localhost`; RFC 2606/6761 say they name no one) and service accounts that name no person
  (`git@github.com`, `noreply@...`);
- PERSON values with no letter;
- anything below its entity's minimum score.
Technical-text rules for names live with the name recognizers (tool words, code), because
they need the evidence around the span.
"""
from __future__ import annotations

import regex

from transforms.pii.findings import Finding

__all__ = ["KeepPolicy"]

_RESERVED_EMAIL = regex.compile(
    r"@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid|localhost)$", regex.I)
_SERVICE_LOCAL = regex.compile(
    r"^(?:git|noreply|no-reply|no_reply|donotreply|do-not-reply|mailer-daemon|postmaster|root|"
    r"user|username|you|yourname|your\.name|your_email|youremail|email|name|someone|somebody|"
    r"foo|bar|foobar|test|demo|sample|admin|webmaster|hostmaster|abuse|notifications?)@", regex.I)
MIN_SCORE = {"PHONE_NUMBER": 0.4}


class KeepPolicy:
    def __init__(self, score_threshold: float = 0.5):
        self.threshold = score_threshold

    def redact(self, text: str, f: Finding) -> bool:
        """Whether finding `f` in `text` is redacted."""
        if f.score < MIN_SCORE.get(f.entity_type, self.threshold):
            return False
        value = text[f.start:f.end]
        if f.entity_type == "EMAIL_ADDRESS":
            return not (_RESERVED_EMAIL.search(value) or _SERVICE_LOCAL.match(value))
        if f.entity_type == "PERSON":
            return any(ch.isalpha() for ch in value)
        return True

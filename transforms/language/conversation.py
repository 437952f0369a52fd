"""The conversation rule: a conversation's language, and the language of messages too short
to have their own.

A conversation's language is the language with the most letters over its user messages that
have one (ties: the earliest); when no user message has one, any message may decide; else
"Unknown" / "und". A message without a language of its own (rule "short": fewer than
`min_letters` letters, code only, a bare URL) takes the conversation's language (rule
"conversation"), or "Unknown" (rule "unknown").
"""
from __future__ import annotations

from transforms.language.names import named

__all__ = ["annotate_languages", "conversation_language"]


def conversation_language(results: list) -> str | None:
    """Most letters over [(code or None, letters)]; ties go to the earliest."""
    weights, first = {}, {}
    for i, (code, letters) in enumerate(results):
        if code is None:
            continue
        weights[code] = weights.get(code, 0) + max(letters, 1)
        first.setdefault(code, i)
    if not weights:
        return None
    return max(weights, key=lambda c: (weights[c], -first[c]))


def annotate_languages(conv: dict, detector) -> tuple[dict, dict]:
    """Return (conversation with language fields set, {rule: message count}); `detector`
    has `detect(text) -> (code or None, rule, letters)`."""
    results = [detector.detect(m["content"]) for m in conv["messages"]]
    conv_code = conversation_language([(code, letters) for (code, _, letters), m
                                       in zip(results, conv["messages"]) if m["role"] == "user"])
    if conv_code is None:  # no user message decided: any message may
        conv_code = conversation_language([(code, letters) for code, _, letters in results])
    rules, messages = {}, []
    for m, (code, rule, _) in zip(conv["messages"], results):
        if code is None:
            code, rule = conv_code, ("conversation" if conv_code else "unknown")
        name, iso = named(code)
        messages.append(dict(m, language=name, language_code=iso))
        rules[rule] = rules.get(rule, 0) + 1
    name, iso = named(conv_code)
    return dict(conv, messages=messages, language=name, language_code=iso), rules

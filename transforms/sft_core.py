"""The `sft` export, the pure part: a release row in the form chat trainers read, the filters
that keep it out (each with a reason), and the chat-template check every exported row passes.

`sft_row(row, cfg)` -> (reason, None) or (None, sft row). Filters, in order (the first that
applies is the row's reason, so the counts add up to the rows left out):

  language               `sft.languages` is not empty and neither the row's `language` nor its
                         `language_code` is in it
  min_turns, max_turns   the row's `turn` is below `sft.min_turns` / above `sft.max_turns`
  redacted               `sft.redacted: drop` and the scrubber replaced something in it
  exact_duplicate        `sft.drop_exact_duplicates` and `duplicate_exact` (transforms/dedup.py)
  near_duplicate         `sft.drop_near_duplicates` and `duplicate_near`
  roles_not_alternating  `sft.non_alternating: drop` and user/assistant do not alternate
                         (`merge` joins consecutive messages of one role with a blank line)
  empty_reply            `sft.drop_incomplete_reply` and the final reply is empty (whitespace)
  cut_off_reply          `sft.drop_incomplete_reply` and the final reply looks cut off: an
                         unclosed ``` code fence, or its last character is one no finished text
                         ends with (`,` `;` `:` `(` `[` `{` or a dash)
  chat_template          anything left that `chat_template_problem` refuses (a system message
                         after the first, a conversation not ending with the assistant, a
                         message that is not text): never exported, whatever the settings

`chat_template_problem(messages)`: None when the messages are an optional system message,
then user and assistant alternating (user first), ending with the assistant; otherwise what is
wrong. Every exported row passes it (tested on the sample's export).
"""
from __future__ import annotations

__all__ = ["REASONS", "sft_row", "chat_template_problem", "merge_same_roles", "cut_off"]

REASONS = ("language", "min_turns", "max_turns", "redacted", "exact_duplicate", "near_duplicate",
           "roles_not_alternating", "empty_reply", "cut_off_reply", "chat_template")
_UNFINISHED = frozenset(",;:([{-\u2013\u2014")


def chat_template_problem(messages: list) -> str | None:
    if not messages:
        return "no messages"
    body = messages[1:] if messages[0].get("role") == "system" else messages
    if not body:
        return "only a system message"
    for i, m in enumerate(body):
        want = "user" if i % 2 == 0 else "assistant"
        if m.get("role") != want:
            return f"message {i + len(messages) - len(body)} is {m.get('role')!r}, expected {want!r}"
        if not isinstance(m.get("content"), str):
            return f"message {i + len(messages) - len(body)} has no text"
    if body[-1].get("role") != "assistant":
        return "does not end with the assistant"
    return None


def _alternates(messages: list) -> bool:
    roles = [m.get("role") for m in messages]
    if roles and roles[0] == "system":
        roles = roles[1:]
    return all(a != b for a, b in zip(roles, roles[1:]))


def merge_same_roles(messages: list) -> list:
    """Consecutive messages of one role become one, their texts joined by a blank line."""
    out: list = []
    for m in messages:
        if out and out[-1]["role"] == m["role"]:
            out[-1] = {"role": m["role"], "content": out[-1]["content"] + "\n\n" + m["content"]}
        else:
            out.append(dict(m))
    return out


def cut_off(text: str) -> bool:
    """A reply that looks cut off (see the module docstring); conservative: a reply cut after
    a whole word ("The capital of France is") is not caught."""
    stripped = text.rstrip()
    if not stripped:
        return False
    fences = sum(1 for line in stripped.splitlines() if line.lstrip().startswith("```"))
    return fences % 2 == 1 or stripped[-1] in _UNFINISHED


def _messages(row: dict) -> list:
    return [{"role": m.get("role"),
             "content": m.get("content") if isinstance(m.get("content"), str) else ""}
            for m in row.get("conversation") or []]


def _wanted_language(row: dict, languages) -> bool:
    return not languages or row.get("language") in languages or row.get("language_code") in languages


def sft_row(row: dict, cfg) -> tuple:
    """(reason, None) when a filter keeps the release row out, else (None, the sft row).
    `cfg` is a `pipelines.config.SftConfig`."""
    turn = row.get("turn") or 0
    if not _wanted_language(row, cfg.languages):
        return "language", None
    if turn < cfg.min_turns:
        return "min_turns", None
    if cfg.max_turns is not None and turn > cfg.max_turns:
        return "max_turns", None
    if cfg.redacted == "drop" and row.get("redacted"):
        return "redacted", None
    if cfg.drop_exact_duplicates and row.get("duplicate_exact"):
        return "exact_duplicate", None
    if cfg.drop_near_duplicates and row.get("duplicate_near"):
        return "near_duplicate", None
    messages = _messages(row)
    if not _alternates(messages):
        if cfg.non_alternating == "drop":
            return "roles_not_alternating", None
        messages = merge_same_roles(messages)
    last = messages[-1] if messages else {}
    if cfg.drop_incomplete_reply and last.get("role") == "assistant":
        text = last.get("content") if isinstance(last.get("content"), str) else ""
        if not text.strip():
            return "empty_reply", None
        if cut_off(text):
            return "cut_off_reply", None
    if chat_template_problem(messages) is not None:
        return "chat_template", None
    flags = (row.get("duplicate_exact"), row.get("duplicate_near"))
    return None, {
        "conversation_id": row["conversation_id"],
        "conversation_hash": row.get("conversation_hash"),
        "model": row.get("model"),
        "language": row.get("language"),
        "language_code": row.get("language_code"),
        "turn": sum(m["role"] == "user" for m in messages),
        "duplicate": None if flags == (None, None) else any(flags),
        "messages": messages,
    }

"""Inline span markup for hand-written texts: `[[TYPE|text]]`, nestable for address parts.

    >>> text, spans = parse("Hi, I'm [[PERSON|Orla Quennell]].")
    >>> text, spans[0]["value"], spans[0]["start"]
    ("Hi, I'm Orla Quennell.", 'Orla Quennell', 8)

Inside a STREET_ADDRESS, lower-case labels name the parts (`[[street|Harlow Lane]]`); the
parts come out in the span's `parts` with offsets in the whole text. A CJK PERSON may mark
its surname and given name as `[[last|王]]` and `[[first|建军]]`.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\[\[([A-Za-z_]+)\||\]\]")


def m(label: str, text: str) -> str:
    """Mark `text` as a span of `label` (what `parse` reads back)."""
    return f"[[{label}|{text}]]"


def parse(marked: str) -> tuple[str, list[dict]]:
    """(plain text, spans) from marked-up text; raises ValueError on unbalanced markup."""
    out: list[str] = []
    pos = 0  # length of the plain text so far
    stack: list[tuple[str, int, list[dict]]] = []
    spans: list[dict] = []
    i = 0
    for m in _TOKEN.finditer(marked):
        chunk = marked[i:m.start()]
        out.append(chunk)
        pos += len(chunk)
        i = m.end()
        if m.group(1):
            stack.append((m.group(1), pos, []))
            continue
        if not stack:
            raise ValueError(f"unbalanced ']]' at {m.start()} in {marked!r}")
        label, start, parts = stack.pop()
        value = "".join(out)[start:pos]
        item = {"start": start, "end": pos, "value": value}
        if label.islower():
            if not stack:
                raise ValueError(f"part {label!r} outside a span in {marked!r}")
            stack[-1][2].append({"label": label, **item})
        else:
            span = {"type": label, **item}
            if parts:
                span["parts"] = parts
            spans.append(span)
    if stack:
        raise ValueError(f"unclosed '[[{stack[-1][0]}|' in {marked!r}")
    out.append(marked[i:])
    spans.sort(key=lambda s: (s["start"], s["end"]))
    return "".join(out), spans

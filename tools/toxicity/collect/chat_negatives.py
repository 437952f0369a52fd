"""Clean chatbot-domain texts (user prompts and assistant replies) as label-0 training rows.

    python -m tools.toxicity.collect.chat_negatives

The toxicity model was trained on tweets and comments and flags many polite requests and long
formal assistant answers. These rows are ASSUMED-CLEAN negatives: instruction-tuning records
(prompt = instruction + input, reply = output) are not human-labelled for toxicity; a record
whose prompt or reply touches violence, sex, drugs, weapons or slurs (a short keyword list per
language, below) is skipped whole, so the negatives stay unambiguous.

Raw pages: `tools/toxicity/collect/raw/chat.<source>.<lang>.page<N>.json`, each a verbatim
stretch of the stored source file starting at the character offset listed in PAGES (and in
sources/chat.md); a record cut at either edge of the stretch is dropped.
Output: `tools/toxicity/data/train/<lang>.chat_<source>.tsv.gz`, label 0 for every row.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
RAW = Path("tools/toxicity/collect/raw")
OUT = Path("tools/toxicity/data/train")
MAX_CHARS = 1500

# (source, lang) -> {page number: character offset of the page in the stored file}
PAGES: dict[tuple[str, str], dict[int, int]] = {
    ("alpaca_demo", "zh"): {0: 100000},
    ("alpaca_demo", "en"): {0: 0},
}

# A pretty-printed alpaca record: "  {" ... "  }" at two-space indent (LLaMA-Factory demo files).
_RECORD = re.compile(r"^  \{\n(.*?)\n  \}", re.S | re.M)
_PAGE = re.compile(r"\.page(\d+)\.")

_TOPIC = {
    "en": re.compile(
        r"\b(kill\w*|murder\w*|violen\w*|weapon\w*|gun\w*|bomb\w*|terror\w*|attack\w*|sex\w*|"
        r"porn\w*|drug\w*|suicid\w*|rape\w*|slur\w*|racis\w*|abuse\w*|war|wars|blood\w*|"
        r"death|dead|die[sd]?|hate\w*|nazi\w*)\b",
        re.I,
    ),
    "zh": re.compile(r"暴力|杀|谋杀|武器|枪|炸|恐怖|袭击|性别歧视|色情|性交|毒品|自杀|强奸|种族|仇恨|战争|死亡|血"),
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def cut(text: str, limit: int = MAX_CHARS) -> str:
    """The text whole if it fits, else cut at the last whitespace before `limit` (hard cut if none)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = max(head.rfind(" "), head.rfind("\n"))
    return (head[:space] if space > limit // 2 else head).rstrip()


def in_language(text: str, lang: str) -> bool:
    """A zh text is at least 30% CJK characters; an en text has letters and no CJK."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    if lang == "zh":
        return len(_CJK.findall(text)) / len(letters) >= 0.3
    if lang == "en":
        return not _CJK.search(text) and len(_LATIN.findall(text)) / len(letters) >= 0.9
    return True


def records(path: Path) -> Iterator[tuple[int, dict]]:
    """(index in page, record) for every record whole inside the page stretch."""
    text = path.read_text(encoding="utf-8")
    for i, match in enumerate(_RECORD.finditer(text), start=1):
        try:
            record = json.loads("{" + match.group(1) + "}")
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and "instruction" in record and "output" in record:
            yield i, record


def alpaca_rows(path: Path, lang: str) -> Iterator[Row]:
    """Prompt (instruction, plus input on its own line) and reply (output) of each clean record."""
    n = int(_PAGE.search(path.name).group(1))
    topic = _TOPIC[lang]
    for i, record in records(path):
        prompt = record["instruction"].strip()
        if str(record.get("input", "")).strip():
            prompt += "\n" + record["input"].strip()
        reply = str(record["output"]).strip()
        if topic.search(prompt) or topic.search(reply):
            continue
        for role, text in (("user", prompt), ("assistant", reply)):
            if in_language(text, lang):
                yield cut(text), 0, f"p{n}.{i}.{role}"


def main() -> None:
    for (source, lang), pages in PAGES.items():
        rows: list[Row] = []
        for n in sorted(pages):
            rows.extend(alpaca_rows(RAW / f"chat.{source}.{lang}.page{n}.json", lang))
        out = OUT / f"{lang}.chat_{source}.tsv.gz"
        print(out, write(out, rows))


if __name__ == "__main__":
    main()

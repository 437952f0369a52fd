"""One-off extraction of chat lines from the `chatterbot-corpus` wheel (BSD-3-Clause).

    pip download --no-deps chatterbot-corpus==1.3.3 -d /tmp/cc && unzip /tmp/cc/*.whl -d /tmp/cc
    python -m bench.lang_eval.tools.extract_chatterbot /tmp/cc/chatterbot_corpus/data
    # writes src/collected/chatterbot.tsv

The corpus holds small human-written dialogues (YAML) per language folder. The first line of
each dialogue is what a person says to the bot, so it becomes a `prompt` (or `short` when it
has 3-8 words); longer later lines (the bot's side) become `prose`. The label is the folder
the dialogue ships in. Lines that are not in that folder's language (several folders mix in
English lines, or lines in another script) were found by reading the extracted list and are
listed in SKIP; no language detector was used. At most PER_LANG lines are kept per language,
chosen by a hash of the text, so the big English folder does not dominate.

The corpus package is not a project dependency: the output is committed.
"""
from __future__ import annotations

import glob
import hashlib
import os
import sys

import yaml

from bench.lang_eval.tools.extract_spacy import kind_of

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "collected", "chatterbot.tsv")
VERSION = "1.3.3"
PER_LANG = {"prompt_or_short": 16, "prose": 6}

FOLDERS = {  # corpus folder -> (ISO 639-1, script or "")
    "bengali": ("bn", ""), "chinese": ("zh", "Hans"), "traditionalchinese": ("zh", "Hant"),
    "dutch": ("nl", ""), "english": ("en", ""), "french": ("fr", ""), "german": ("de", ""),
    "hebrew": ("he", ""), "hindi": ("hi", ""), "indonesian": ("id", ""), "italian": ("it", ""),
    "japanese": ("ja", ""), "korean": ("ko", ""), "marathi": ("mr", ""), "persian": ("fa", ""),
    "portuguese": ("pt", ""), "russian": ("ru", ""), "spanish": ("es", ""),
    "swedish": ("sv", ""), "tamil": ("ta", ""), "telugu": ("te", ""), "thai": ("th", ""),
    "turkish": ("tr", ""), "ukrainian": ("uk", ""), "urdu": ("ur", ""), "yoruba": ("yo", ""),
}
# Not extracted: "hinglish" (romanised Hindi-English code-switching, no single label) and
# "oriya" (Odia is in neither detector's language list).

_NON_LATIN = {"bn", "zh", "he", "hi", "ja", "ko", "mr", "fa", "ru", "ta", "te", "th", "uk", "ur"}

# Lines read and rejected: not in the folder's language, or not a real sentence.
SKIP: set[str] = set()
SKIP_FILE = os.path.join(os.path.dirname(__file__), "chatterbot_skip.txt")
if os.path.exists(SKIP_FILE):
    with open(SKIP_FILE, encoding="utf-8") as f:
        SKIP = {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}


def _h(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def candidates(data_dir: str, folder: str):
    lang = FOLDERS[folder][0]
    firsts, later = [], []
    for path in sorted(glob.glob(os.path.join(data_dir, folder, "*.yml"))):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for conv in doc.get("conversations") or []:
            for i, line in enumerate(conv or []):
                text = " ".join(str(line).split())
                if lang in _NON_LATIN and text.isascii():
                    continue  # an all-ASCII line in a non-Latin-script folder is not that language
                (firsts if i == 0 else later).append((text, os.path.basename(path)))
    return firsts, later


def rows(data_dir: str):
    seen = set()
    for folder, (lang, script) in sorted(FOLDERS.items()):
        firsts, later = candidates(data_dir, folder)
        picked = {"prompt_or_short": 0, "prose": 0}
        for group, items in (("prompt_or_short", firsts), ("prose", later)):
            for text, fname in sorted(items, key=lambda t: _h(t[0])):
                if picked[group] >= PER_LANG[group] or text in SKIP or text in seen:
                    continue
                kind = kind_of(text)
                if kind is None or (group == "prose" and kind != "prose"):
                    continue
                if group == "prompt_or_short" and kind == "prose":
                    kind = "prompt"
                seen.add(text)
                picked[group] += 1
                src = (f"collected: chatterbot-corpus {VERSION} "
                       f"chatterbot_corpus/data/{folder}/{fname} (BSD-3-Clause)")
                yield lang, script, kind, text, src


def main() -> None:
    data_dir = sys.argv[1]
    n = 0
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("lang\tscript\tkind\ttext\tsource\n")
        for row in rows(data_dir):
            out.write("\t".join(row) + "\n")
            n += 1
    print(f"wrote {n} rows to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()

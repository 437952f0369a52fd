"""One-off extraction of real sentences shipped inside the spaCy wheel (MIT licence).

    python -m bench.lang_eval.tools.extract_spacy   # writes src/collected/spacy.tsv

Sources: `spacy/lang/<code>/examples.py` (example sentences contributed per language) and a
few hand-picked passages from `spacy/tests/lang/<code>/test_text.py` (news, literature, UDHR
and ECHR excerpts). Nothing here looks at what any language detector says: the label is the
spaCy language folder the text ships in, and each kept text was read over by hand (the skip
list below drops texts that are English, mixed-script, or not real sentences).

The output is committed, so the evaluation set does not depend on the installed spaCy version.
"""
from __future__ import annotations

import ast
import importlib
import os
import pathlib
import re

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "collected", "spacy.tsv")

# spaCy folder -> (ISO 639-1 code, script or "")
LANGS = {
    code: (code, "")
    for code in (
        "ar az bg bn ca cs da de el en es eu fa fi fr gu he hi hr hu hy id it ja kn ko la lg "
        "lt ml ms nb ne nl nn pl pt ro ru sk sl sq sv ta te tn tr uk ur vi yo zh"
    ).split()
}
LANGS["sr"] = ("sr", "Cyrl")
LANGS["zh"] = ("zh", "Hans")

# Texts dropped after reading them: mixed script, too short to be a sentence, or joined
# headlines that are two sentences glued without a space.
SKIP = {
    "Moj ћале је инжењер!",  # Latin/Cyrillic mixed in one word
    "Donaudampfschifffahrtsgesellschaftskapitänsanwärterposten",
    "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
    "Not yet implemented, fails when capitalized.",  # English inside the Tagalog tests
}

# (spaCy folder, test file): long passages worth keeping from the test suite.
TEST_PASSAGES = [
    ("af", "test_text.py"), ("af", "test_tokenizer.py"),
    ("ca", "test_text.py"), ("da", "test_text.py"), ("de", "test_text.py"),
    ("el", "test_text.py"), ("es", "test_text.py"), ("et", "test_text.py"),
    ("et", "test_tokenizer.py"), ("fr", "test_text.py"), ("gu", "test_text.py"),
    ("hr", "test_text.py"), ("hr", "test_tokenizer.py"), ("is", "test_text.py"),
    ("is", "test_tokenizer.py"), ("lt", "test_text.py"), ("lv", "test_text.py"),
    ("lv", "test_tokenizer.py"), ("mk", "test_text.py"), ("ne", "test_text.py"),
    ("nl", "test_text.py"), ("tl", "test_text.py"), ("hy", "test_tokenizer.py"),
    ("el", "test_exception.py"), ("bn", "test_tokenizer.py"),
]
for extra in ("af", "et", "is", "lv", "mk", "tl"):
    LANGS[extra] = (extra, "")
LANGS["mk"] = ("mk", "")

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _trim(text: str, limit: int = 420) -> str:
    """Keep whole sentences up to about `limit` characters (passages can be a page long)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("; ", 0, limit))
    return text[: cut + 1] if cut > 80 else text[:limit].rsplit(" ", 1)[0]


def kind_of(text: str) -> str | None:
    """short = 3-8 words (or up to 20 CJK/Thai characters), prose = longer, None = too short."""
    if _CJK.search(text):
        n = len(text)
        return None if n < 6 else ("short" if n <= 20 else "prose")
    n = len(text.split())
    return None if n < 3 else ("short" if n <= 8 else "prose")


def _test_strings(folder: str, filename: str):
    import spacy

    path = pathlib.Path(spacy.__file__).parent / "tests" / "lang" / folder / filename
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = " ".join(node.value.split())
            if len(text.split()) >= 6 and not text.isascii() or folder == "tl":
                if len(text.split()) >= 6 and "test" not in text.lower():
                    yield text


def rows():
    import spacy

    seen = set()
    version = spacy.__version__
    for folder, (lang, script) in sorted(LANGS.items()):
        try:
            mod = importlib.import_module(f"spacy.lang.{folder}.examples")
            sentences = [(s, f"spacy/lang/{folder}/examples.py") for s in mod.sentences]
        except ModuleNotFoundError:
            sentences = []
        for f_folder, fname in TEST_PASSAGES:
            if f_folder == folder:
                sentences += [(s, f"spacy/tests/lang/{folder}/{fname}")
                              for s in _test_strings(folder, fname)]
        for text, where in sentences:
            text = _trim(text)
            kind = kind_of(text)
            if kind is None or text in SKIP or text in seen:
                continue
            seen.add(text)
            yield lang, script, kind, text, f"collected: spaCy {version} {where} (MIT)"


def main() -> None:
    n = 0
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("lang\tscript\tkind\ttext\tsource\n")
        for row in rows():
            out.write("\t".join(row) + "\n")
            n += 1
    print(f"wrote {n} rows to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()

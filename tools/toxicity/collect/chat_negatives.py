"""Clean chatbot-domain texts (user prompts and assistant replies) as label-0 training rows.

    python -m tools.toxicity.collect.chat_negatives

The toxicity model was trained on tweets and comments and flags many polite requests and long
formal assistant answers. These rows are ASSUMED-CLEAN negatives: instruction-tuning records
(prompt = instruction + input, reply = output) are not human-labelled for toxicity; a record
whose prompt or reply touches violence, sex, drugs, weapons or slurs (a short keyword list per
language, below) is skipped whole, so the negatives stay unambiguous.

Two source shapes:
  alpaca   pretty-printed JSON records (instruction, input, output): both roles, user and assistant;
  massive  one voice-assistant request per line (MASSIVE utterances): the user role only;
  turns    MT-Bench question.jsonl, one JSON object a line with the user `turns`: user role only;
  conll    xSID CoNLL blocks (`# id:`, `# text:` ...): the `# text:` request, user role only;
  rasa     Rasa `nlu.md` training files of chatbots: `- text` lines under `## intent:` headers,
           user role only (entity markup `[text](entity)` keeps the text);
  rasa_domain  Rasa `domain.yml` response templates (`- text: |` blocks): the bot's own replies,
           assistant role;
  answers  ROBO.AI-style `domain.yml` custom answers: the `text:` line of each answer (the `ssml:`
           duplicate is ignored, HTML tags removed), assistant role;
  jaicp    Just AI (JAICP) `main.sc` bot scripts: each `a:` reply line (templates `{{...}}` skipped),
           assistant role;
  model_answer  MT-Bench model_answer/*.jsonl: `choices[0].turns` are the model's replies, assistant role;
  rasa_text  Rasa `domain.yml` one-line responses (`- text: "..."`, continuation lines of a folded
           plain scalar joined; a double-quoted value with backslash escapes is decoded by PyYAML),
           assistant role;
  conversation  jsonl chat threads, one JSON object a line with a `conversation` list of
           {role, content} turns (Vigogne's OASST1 extracts): USER/UTILISATEUR turns are the user
           role, the others assistant; a thread touching a topic is skipped whole;
  translations  Mintaka questions: one page feeds every language of its `translations` objects
           (raw name `chat.mintaka.multi.page<N>.json`), user role only.
Raw pages: `tools/toxicity/collect/raw/chat.<source>.<lang>.page<N>.<ext>`, each a verbatim
16,000-character stretch of the stored source file starting at the character offset listed in
PAGES (and in sources/chat.md; a small file is read whole, and a file's last page may be shorter);
a record or line cut at either edge of the stretch is dropped.
Output: `tools/toxicity/data/train/<lang>.chat_<source>.tsv.gz`, label 0 for every row; a language
keeps at most MAX_ROWS rows over all its files (its largest file is thinned, evenly spaced in page
order, to fit).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

import yaml

from tools.toxicity.collect.tsvgz import write

Row = tuple[str, int, str]
RAW = Path("tools/toxicity/collect/raw")
OUT = Path("tools/toxicity/data/train")
MAX_CHARS = 1500
MAX_ROWS = 300

# (source, lang) -> {page number: character offset of the page in the stored file}
PAGES: dict[tuple[str, str], dict[int, int]] = {
    ("alpaca_demo", "zh"): {0: 100000, 1: 200000},
    ("alpaca_demo", "en"): {0: 0, 1: 16000, 25: 400000},
    ("koalpaca", "ko"): {0: 0},
    ("massive", "ru"): {0: 0},
    ("massive", "de"): {0: 0},
    ("massive", "zh"): {0: 0},
    ("mtbench_ja", "ja"): {0: 0, 1: 16000},
    ("xsid", "it"): {0: 0},
    ("xsid", "tr"): {0: 0},
    ("xsid", "ar"): {0: 0},
    ("xsid", "en"): {0: 0},
    ("xsidtest", "it"): {6: 96000, 8: 128000, 9: 144000},
    ("xsidtest", "tr"): {6: 96000, 8: 128000, 9: 144000},
    ("xsidtest", "ar"): {6: 96000, 8: 128000, 9: 144000},
    ("rasa_aix", "pt"): {0: 0},
    ("rasa_pleoticus", "es"): {0: 0},
    ("rasa_munay", "es"): {0: 0},
    ("rasa_chatwork", "fr"): {0: 0},
    ("rasa_searchbot", "fr"): {0: 0},
    ("rasa_edumiam", "fr"): {0: 0},
    ("rasa_aix_domain", "pt"): {0: 0},
    ("roboai_domain", "de"): {3: 48000},
    ("jaicp_bot7", "ru"): {0: 0},
    ("jaicp_senat", "ru"): {0: 0},
    ("jaicp_miczav", "ru"): {0: 0},
    ("jaicp_golubeva", "ru"): {0: 0},
    ("jaicp_justtour", "ru"): {0: 0},
    ("mtbench_ja_gpt4", "ja"): {1: 16000, 2: 32000, 3: 48000, 4: 64000},
    ("rasa_pleoticus_domain", "es"): {0: 0},
    ("rasa_munay_domain", "es"): {0: 0},
    ("rasa_edumiam_domain", "fr"): {0: 0},
    ("rasa_chatwork_domain", "fr"): {0: 0},
    ("mtbench_en", "en"): {0: 0, 1: 16000, 2: 32000},
    ("rasa_boilerplate", "pt"): {0: 0},
    ("rasa_boilerplate_domain", "pt"): {0: 0},
    ("rasa_lawbotia", "es"): {0: 0},
    ("rasa_lawbotia_faq", "es"): {0: 0},
    ("rasa_lawbotia_domain", "es"): {0: 0},
    ("rasa_ristorante", "it"): {0: 0},
    ("rasa_ristorante_domain", "it"): {0: 0},
    ("rasa_helpdesk", "ar"): {0: 0},
    ("rasa_helpdesk_domain", "ar"): {0: 0},
    ("rasa_psau", "ar"): {0: 0},
    ("rasa_psau_domain", "ar"): {0: 0},
    ("rasa_sikayet", "tr"): {0: 0},
    ("rasa_sikayet_domain", "tr"): {0: 0},
    ("oasst_vigogne", "fr"): {0: 0, 1: 16000, 2: 32000, 3: 48000},
}
# Multilingual pages: source -> {page number: offset}; each language gets <lang>.chat_<source>.
MULTI_PAGES: dict[str, dict[int, int]] = {"mintaka": {0: 0, 100: 1600000}}
MULTI_LANGS = ("ar", "de", "es", "fr", "it", "ja", "pt")
SHAPE = {"alpaca_demo": "alpaca", "koalpaca": "alpaca", "massive": "massive", "mtbench_ja": "turns", "xsid": "conll", "xsidtest": "conll",
         "rasa_aix": "rasa", "rasa_pleoticus": "rasa", "rasa_munay": "rasa", "rasa_chatwork": "rasa",
         "rasa_searchbot": "rasa", "rasa_edumiam": "rasa", "rasa_aix_domain": "rasa_domain",
         "roboai_domain": "answers", "jaicp_bot7": "jaicp", "jaicp_senat": "jaicp",
         "jaicp_miczav": "jaicp", "jaicp_golubeva": "jaicp", "jaicp_justtour": "jaicp",
         "mtbench_ja_gpt4": "model_answer", "rasa_pleoticus_domain": "rasa_text",
         "rasa_munay_domain": "rasa_text", "rasa_edumiam_domain": "rasa_text",
         "rasa_chatwork_domain": "rasa_text", "mtbench_en": "turns",
         "rasa_boilerplate": "rasa", "rasa_boilerplate_domain": "rasa_domain",
         "rasa_lawbotia": "rasa", "rasa_lawbotia_faq": "rasa", "rasa_lawbotia_domain": "rasa_text",
         "rasa_ristorante": "rasa", "rasa_ristorante_domain": "rasa_text",
         "rasa_helpdesk": "rasa", "rasa_helpdesk_domain": "rasa_text",
         "rasa_psau": "rasa", "rasa_psau_domain": "rasa_text",
         "rasa_sikayet": "rasa", "rasa_sikayet_domain": "rasa_text",
         "oasst_vigogne": "conversation"}
EXT = {"alpaca": "json", "massive": "txt", "turns": "jsonl", "conll": "conll", "rasa": "md", "rasa_domain": "yml", "answers": "yml", "jaicp": "sc", "model_answer": "jsonl", "rasa_text": "yml",
       "conversation": "jsonl"}

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
    "ja": re.compile(r"殺|暴力|武器|銃|爆弾|テロ|戦争|戦後|戦国|性的|セックス|麻薬|自殺|強姦|差別|憎|死|いじめ|DV"),
    "ko": re.compile(r"살해|살인|폭력|무기|총기|폭탄|테러|전쟁|성관계|섹스|야동|마약|자살|강간|혐오|인종|죽"),
    "ru": re.compile(
        r"убий|убит|убива|насил|оруж|бомб|террор|войн|секс|порн|наркот|самоуб|смерт|кров|"
        r"нацис|ненавис|изнасил|шлюх",
        re.I,
    ),
    "de": re.compile(
        r"\b(tod\w*|töt\w*|mord\w*|waffe\w*|bombe\w*|terror\w*|\w*krieg\w*|sex\w*|porn\w*|"
        r"drogen\w*|selbstmord\w*|vergewalt\w*|nazi\w*|hass\w*|blut\w*)\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(mat\w*r|asesin\w*|violen\w*|arma\w*|bomba\w*|terror\w*|guerra\w*|sex\w*|porno\w*|"
        r"droga\w*|suicid\w*|viola\w*|nazi\w*|odio|sangre|muert\w*)\b",
        re.I,
    ),
    "fr": re.compile(
        r"\b(tu\w*r|meurtr\w*|violen\w*|arme\w*|bombe\w*|terror\w*|guerre\w*|sex\w*|porno\w*|"
        r"drogue\w*|suicid\w*|viol\w*|nazi\w*|haine|sang|mort\w*|érot\w*|harcel\w*|toxico\w*|"
        r"défonc\w*|flics?|fout\w*)\b",
        re.I,
    ),
    "pt": re.compile(
        r"\b(mat\w*r|assassin\w*|violên\w*|arma\w*|bomba\w*|terror\w*|guerra\w*|sex\w*|porn\w*|"
        r"droga\w*|suicid\w*|estupr\w*|nazi\w*|ódio|sangue|mort\w*)\b",
        re.I,
    ),
    "ar": re.compile(r"قتل|عنف|سلاح|أسلحة|قنبل|إرهاب|حرب|جنس|إباحي|مخدر|انتحار|اغتصاب|كراهية|موت|(?<![\u0600-\u06ff])دم(?![\u0600-\u06ff])"),
    "it": re.compile(
        r"\b(uccid\w*|ammazz\w*|violen\w*|armi|arma|bomb\w*|terror\w*|guerr\w*|sess\w*|porno\w*|"
        r"drog\w*|suicid\w*|stupr\w*|nazi\w*|odi\w*|sangue|mort\w*)\b",
        re.I,
    ),
    "tr": re.compile(
        r"öldür|şiddet|silah|bomba|terör|savaş|seks|porno|uyuşturucu|intihar|tecavüz|nefret|ölüm|\bkan\b",
        re.I,
    ),
}
# Other languages embed English titles and names; they get the English list without the words that
# are ordinary words elsewhere (German "die", "war"; "dies").
_EN_SHARED = re.compile(
    r"\b(kill\w*|murder\w*|violen\w*|weapon\w*|gun|guns|bomb\w*|terror\w*|sex\w*|porn\w*|"
    r"drug\w*|suicid\w*|rape\w*|slur\w*|racis\w*|nazi\w*|death|dead)\b",
    re.I,
)
# Latin-script languages also get the English list (song titles and names are often English).
_LATIN_LANGS = {"de", "it", "tr", "es", "fr", "pt"}
_CJK = re.compile(r"[\u3400-\u9fff]")
_KANA_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


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
    if lang == "ja":
        return len(_KANA_CJK.findall(text)) / len(letters) >= 0.2
    if lang == "ko":
        return len(_HANGUL.findall(text)) / len(letters) >= 0.3
    if lang == "ar":
        return len(_ARABIC.findall(text)) / len(letters) >= 0.3
    if lang == "ru":
        return len(_CYRILLIC.findall(text)) / len(letters) >= 0.5
    return len(_LATIN.findall(text)) / len(letters) >= 0.9


def touches_topic(text: str, lang: str) -> bool:
    """A violence / sex / drugs / slur keyword of the language (and English for Latin scripts)."""
    if _TOPIC[lang].search(text):
        return True
    # Latin-script languages, and Arabic (whose requests embed English titles), add the English list.
    return (lang in _LATIN_LANGS or lang == "ar") and bool(_EN_SHARED.search(text))


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
    for i, record in records(path):
        prompt = record["instruction"].strip()
        if str(record.get("input", "")).strip():
            prompt += "\n" + record["input"].strip()
        reply = str(record["output"]).strip()
        if touches_topic(prompt, lang) or touches_topic(reply, lang):
            continue
        for role, text in (("user", prompt), ("assistant", reply)):
            if in_language(text, lang):
                yield cut(text), 0, f"p{n}.{i}.{role}"


def whole_lines(path: Path, offset: int) -> list[str]:
    """The page's lines without the line cut at its end and, past offset 0, the one cut at its start."""
    text = path.read_text(encoding="utf-8")
    if offset > 0:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text[: text.rfind("\n") + 1].splitlines()


def massive_rows(path: Path, lang: str, offset: int) -> Iterator[Row]:
    """Each whole line is one user request to a voice assistant; source_id = line number in page."""
    n = int(_PAGE.search(path.name).group(1))
    for i, line in enumerate(whole_lines(path, offset), start=1):
        if line.strip() and not touches_topic(line, lang) and in_language(line, lang):
            yield cut(line), 0, f"p{n}.{i}.user"


def turns_rows(path: Path, lang: str, offset: int) -> Iterator[Row]:
    """Each whole line is a question with user `turns`; a question touching a topic is skipped whole."""
    n = int(_PAGE.search(path.name).group(1))
    for line in whole_lines(path, offset):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        turns = [str(t) for t in record.get("turns", [])]
        if any(touches_topic(t, lang) for t in turns):
            continue
        for k, text in enumerate(turns, start=1):
            if in_language(text, lang):
                yield cut(text), 0, f"p{n}.q{record.get('question_id')}.user{k}"


_TRANSLATIONS = re.compile(r'"translations":\s*(\{[^{}]*\})')
_MINTAKA_ID = re.compile(r'"id":\s*"([0-9a-f]+)"')


def translation_rows(path: Path, lang: str) -> Iterator[Row]:
    """The `lang` entry of every whole `translations` object; source_id = the question id before it."""
    n = int(_PAGE.search(path.name).group(1))
    text = path.read_text(encoding="utf-8")
    for match in _TRANSLATIONS.finditer(text):
        try:
            question = json.loads(match.group(1)).get(lang, "")
        except json.JSONDecodeError:
            continue
        ids = _MINTAKA_ID.findall(text, 0, match.start())
        sid = ids[-1] if ids else str(match.start())
        if question and not touches_topic(question, lang) and in_language(question, lang):
            yield cut(question), 0, f"p{n}.{sid}.user"


_RASA_HEADER = re.compile(r"^##\s*(\w+)\s*:\s*(.*)$")
_RASA_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
# Intents that collect insults or curses are never negatives.
_RASA_SKIP = re.compile(r"insult|curse|offen|xingar|ofensa", re.I)
# Per-source intents that are skipped too: the Lappis boilerplate's `out_of_scope` lists insults
# ("imbecil", "babaca") and its `genero` intent asks about the bot's sex and genitals; Lawbotia's
# `pregunta_otro_idioma` examples are English sentences in the Spanish file; the PSAU bot's
# `bot_challenge_Ar` ends with two insults ("animal", "stupid"), its name/e-mail/phone intents are
# made-up personal data and `notUnderstand` is keyboard mash.
_RASA_SKIP_SOURCE = {"rasa_boilerplate": {"out_of_scope", "genero"},
                     "rasa_lawbotia": {"chitchat/pregunta_otro_idioma"},
                     "rasa_psau": {"bot_challenge_Ar", "name", "name_Ar", "your_email", "your_email_Ar",
                                   "your_phone", "your_phone_Ar", "notUnderstand", "notUnderstand_Ar:"}}
# Rasa starter files keep English example lines next to the translated ones: a line made only of
# these English words is not in the file's language and is skipped.
_ENGLISH_ONLY = set(
    "hi hello hey bye goodbye good morning evening afternoon see you around later yes no never indeed "
    "of course that sounds i i'm am are a an the is it not really don't think so way perfect great "
    "amazing very extremely sad bad awful terrible unhappy feeling wonderful fine to talking human bot "
    "help cool ok okay thanks thx yo nope cya bon voyage sayonara arrivederci baby hasta la vista "
    "integer float double char bool true false while for loop curiosity perfect".split()
)


def rasa_rows(path: Path, lang: str) -> Iterator[Row]:
    """Every `- text` line under an `## intent:` header (not lookup/regex/synonym sections)."""
    n = int(_PAGE.search(path.name).group(1))
    skip = _RASA_SKIP_SOURCE.get(path.name.split(".")[1], set())
    intent = None
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        header = _RASA_HEADER.match(line)
        if header:
            intent = header.group(2).strip() if header.group(1) == "intent" else None
            continue
        if intent is None or _RASA_SKIP.search(intent) or intent in skip or not line.startswith("- "):
            continue
        text = _RASA_ENTITY.sub(r"\1", line[2:]).strip()
        words = re.findall(r"[\w']+", text.lower())
        if not words or all(w in _ENGLISH_ONLY for w in words):
            continue
        if not touches_topic(text, lang) and in_language(text, lang):
            yield cut(text), 0, f"p{n}.l{i}.user"


_TEXT_BLOCK = re.compile(r"^(\s*)- text\s*:\s*\|\s*$")


def rasa_domain_rows(path: Path, lang: str) -> Iterator[Row]:
    """Each `- text: |` literal block (lines indented deeper than its `- text` line) is one reply.

    A page that does not end with a newline was cut mid-line: the block running to its end is dropped.
    """
    n = int(_PAGE.search(path.name).group(1))
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines()
    i = 0
    while i < len(lines):
        match = _TEXT_BLOCK.match(lines[i])
        i += 1
        if not match:
            continue
        start, depth, body = i, len(match.group(1)), []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > depth):
            body.append(lines[i].strip())
            i += 1
        if i >= len(lines) and not raw.endswith("\n"):
            break
        text = "\n".join(body).strip()
        if text and not touches_topic(text, lang) and in_language(text, lang):
            yield cut(text), 0, f"p{n}.l{start}.assistant"


_ANSWER_TEXT = re.compile(r"^\s+text:\s*(.+?)\s*$")
_HTML_TAG = re.compile(r"<[^>]+>")


def answer_rows(path: Path, lang: str, offset: int) -> Iterator[Row]:
    """The `text:` line of each answer; the line cut at either page edge is dropped."""
    n = int(_PAGE.search(path.name).group(1))
    for i, line in enumerate(whole_lines(path, offset), start=1):
        match = _ANSWER_TEXT.match(line)
        if not match:
            continue
        text = _HTML_TAG.sub(" ", match.group(1)).strip().strip('"')
        if text and not touches_topic(text, lang) and in_language(text, lang):
            yield cut(text), 0, f"p{n}.l{i}.assistant"


_JAICP_REPLY = re.compile(r"^\s*a:\s*-?\s*(.+?)\s*$")


def jaicp_rows(path: Path, lang: str) -> Iterator[Row]:
    """Each `a:` line of a JAICP script is one bot reply; lines with `{{...}}` templates are skipped."""
    n = int(_PAGE.search(path.name).group(1))
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _JAICP_REPLY.match(line)
        if not match or "{{" in match.group(1):
            continue
        text = match.group(1)
        if not touches_topic(text, lang) and in_language(text, lang):
            yield cut(text), 0, f"p{n}.l{i}.assistant"


_TEXT_KEY = re.compile(r"^(\s*(?:-\s+)?)text\s*:\s*(.*?)\s*$")
_YAML_KEY = re.compile(r"^\s*(?:-\s+)?[\w-]+\s*:(\s|$)")


def _double_quoted(value: str, rest: list[str]) -> str | None:
    """A YAML double-quoted scalar with backslash escapes (`\\n`, a `\\` line continuation, `\\ `),
    read through its closing quote and decoded by PyYAML; None for any other value (which keeps
    the plain handling below) or when the closing quote is not on the page."""
    if not value.startswith('"'):
        return None
    chunk = [value]
    for nxt in [None] + rest:
        if nxt is not None:
            chunk.append(nxt)
        body = "\n".join(chunk)
        if re.search(r'(?<!\\)(?:\\\\)*"\s*$', body[1:]):
            if "\\" not in body:
                return None
            try:
                out = yaml.safe_load(body)
            except yaml.YAMLError:
                return None
            return out if isinstance(out, str) else None
    return None


def rasa_text_rows(path: Path, lang: str, offset: int) -> Iterator[Row]:
    """`text:` values of a domain.yml (quotes removed, folded continuation lines joined, HTML removed)."""
    n = int(_PAGE.search(path.name).group(1))
    lines = whole_lines(path, offset)
    for i, line in enumerate(lines):
        match = _TEXT_KEY.match(line)
        if not match or match.group(2) in ("|", ">"):
            continue
        depth, parts = len(match.group(1)), [match.group(2)]
        quoted = _double_quoted(match.group(2), lines[i + 1:])
        if quoted is not None:
            text = _HTML_TAG.sub(" ", quoted).strip()
            if text and not touches_topic(text, lang) and in_language(text, lang):
                yield cut(text), 0, f"p{n}.l{i + 1}.assistant"
            continue
        for nxt in lines[i + 1:]:
            indent = len(nxt) - len(nxt.lstrip())
            if not nxt.strip() or indent <= depth or _YAML_KEY.match(nxt):
                break
            parts.append(nxt.strip())
        text = " ".join(parts).strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]
        text = _HTML_TAG.sub(" ", text.replace("\\\n", "")).strip()
        if text and not touches_topic(text, lang) and in_language(text, lang):
            yield cut(text), 0, f"p{n}.l{i + 1}.assistant"


_CONLL_ID = re.compile(r"^# id: *(\S+)", re.M)
_CONLL_TEXT = re.compile(r"^# text: *(.+)$", re.M)


def conll_rows(path: Path, lang: str, offset: int) -> Iterator[Row]:
    """The `# text:` line of every whole block (blocks end at a blank line; edge blocks dropped)."""
    n = int(_PAGE.search(path.name).group(1))
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    blocks = blocks[:-1]  # the block cut at the page end (or an empty tail)
    if offset > 0:
        blocks = blocks[1:]
    for k, block in enumerate(blocks, start=1):
        sid, text = _CONLL_ID.search(block), _CONLL_TEXT.search(block)
        # the English xSID files have no `# id:` lines: the block's number in the page stands in
        ident = f"id{sid.group(1)}" if sid else f"b{k}"
        if text and not touches_topic(text.group(1), lang) and in_language(text.group(1), lang):
            yield cut(text.group(1)), 0, f"p{n}.{ident}.user"


def model_answer_rows(path: Path, lang: str, offset: int) -> Iterator[Row]:
    """Each whole line's `choices[0].turns`; an answer whose turns touch a topic is skipped whole."""
    n = int(_PAGE.search(path.name).group(1))
    for line in whole_lines(path, offset):
        try:
            record = json.loads(line)
            turns = [str(t) for t in record["choices"][0]["turns"]]
        except (json.JSONDecodeError, KeyError, IndexError, TypeError):
            continue
        if any(touches_topic(t, lang) for t in turns):
            continue
        for k, text in enumerate(turns, start=1):
            if in_language(text, lang):
                yield cut(text), 0, f"p{n}.q{record.get('question_id')}.assistant{k}"


_USER_ROLES = {"user", "utilisateur", "human", "prompter"}


def conversation_rows(path: Path, lang: str, offset: int) -> Iterator[Row]:
    """Each whole line's `conversation` turns; a thread whose turns touch a topic is skipped whole."""
    n = int(_PAGE.search(path.name).group(1))
    for line in whole_lines(path, offset):
        try:
            record = json.loads(line)
            turns = [(str(t["role"]), str(t["content"])) for t in record["conversation"]]
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
        if any(touches_topic(text, lang) for _, text in turns):
            continue
        sid = str(record.get("id", "")).rsplit("-", 1)[-1]
        for k, (role, text) in enumerate(turns, start=1):
            who = "user" if role.lower() in _USER_ROLES else "assistant"
            if in_language(text, lang):
                yield cut(text), 0, f"p{n}.c{sid}.{who}{k}"


def spread(rows: list[Row], limit: int = MAX_ROWS) -> list[Row]:
    """At most `limit` rows, evenly spaced (deterministic) over the distinct texts in order."""
    seen: set[str] = set()
    unique = [r for r in rows if not (r[0] in seen or seen.add(r[0]))]
    if len(unique) <= limit:
        return unique
    return [unique[k * len(unique) // limit] for k in range(limit)]


def collect() -> dict[tuple[str, str], list[Row]]:
    """(source, lang) -> distinct rows of every page of that source, in page order."""
    out: dict[tuple[str, str], list[Row]] = {}
    for (source, lang), pages in PAGES.items():
        shape = SHAPE[source]
        rows: list[Row] = []
        for n in sorted(pages):
            path = RAW / f"chat.{source}.{lang}.page{n}.{EXT[shape]}"
            if shape == "alpaca":
                rows.extend(alpaca_rows(path, lang))
            elif shape == "turns":
                rows.extend(turns_rows(path, lang, pages[n]))
            elif shape == "conll":
                rows.extend(conll_rows(path, lang, pages[n]))
            elif shape == "rasa":
                rows.extend(rasa_rows(path, lang))
            elif shape == "rasa_domain":
                rows.extend(rasa_domain_rows(path, lang))
            elif shape == "rasa_text":
                rows.extend(rasa_text_rows(path, lang, pages[n]))
            elif shape == "model_answer":
                rows.extend(model_answer_rows(path, lang, pages[n]))
            elif shape == "jaicp":
                rows.extend(jaicp_rows(path, lang))
            elif shape == "answers":
                rows.extend(answer_rows(path, lang, pages[n]))
            elif shape == "conversation":
                rows.extend(conversation_rows(path, lang, pages[n]))
            else:
                rows.extend(massive_rows(path, lang, pages[n]))
        out[(source, lang)] = spread(rows, limit=len(rows))
    for source, pages in MULTI_PAGES.items():
        for lang in MULTI_LANGS:
            rows = []
            for n in sorted(pages):
                rows.extend(translation_rows(RAW / f"chat.{source}.multi.page{n}.json", lang))
            out[(source, lang)] = spread(rows, limit=len(rows))
    return out


def cap_languages(files: dict[tuple[str, str], list[Row]], limit: int = MAX_ROWS) -> None:
    """A language keeps at most `limit` rows: its largest file is thinned (evenly) to fit; when the
    other files alone exceed `limit` (the `with_gpl` set for pt), the next largest is thinned too."""
    for lang in sorted({lang for _, lang in files}):
        keys = [key for key in files if key[1] == lang]
        while (total := sum(len(files[key]) for key in keys)) > limit:
            biggest = max(keys, key=lambda key: (len(files[key]), key))
            room = limit - (total - len(files[biggest]))
            files[biggest] = spread(files[biggest], limit=max(room, 0))


def dedupe_languages(files: dict[tuple[str, str], list[Row]]) -> None:
    """A text (case-folded, whitespace-collapsed) is kept once per language: first file in sorted order wins."""
    seen: dict[str, set[str]] = {}
    for key in sorted(files):
        kept = []
        for row in files[key]:
            norm = " ".join(row[0].casefold().split())
            if norm not in seen.setdefault(key[1], set()):
                seen[key[1]].add(norm)
                kept.append(row)
        files[key] = kept


#: collected, but not in the shipped model's training data: the Aix bot's repository is GPLv3,
#: which would not sit with the project's Apache-2.0 licence (as ETHOS, sources/en.md)
NOT_SHIPPED = {("rasa_aix", "pt"), ("rasa_aix_domain", "pt")}


def main(with_gpl: bool = False) -> None:
    files = collect()
    if not with_gpl:
        files = {k: v for k, v in files.items() if k not in NOT_SHIPPED}
    dedupe_languages(files)
    cap_languages(files)
    for (source, lang), rows in files.items():
        out = OUT / f"{lang}.chat_{source}.tsv.gz"
        print(out, write(out, rows))


if __name__ == "__main__":
    main()

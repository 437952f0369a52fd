"""PERSON from the NER label combined with other evidence.

The small NER models tag many persons as ORG/GPE/LOC/NORP or nothing, and many tools as
persons. A span is a person when the evidence adds up:
  - NER says PERSON and it holds two or more name words; or one word (in technical text only
    a known first name that does not start a sentence: "Grace periods apply" is nobody);
  - whatever NER says (ORG, GPE, nothing): an honorific or title before it ("Dr. Baxter",
    "Frau Meier"), or a known first name followed by a capitalized word that is a known
    surname, surname-shaped ("-dóttir", "-ová", "-ovich") or after an initial
    ("Lena K. Nordmann"); in text without a model, any capitalized word after a known first
    name that is not a tool or a common word;
  - a line that holds nothing but a name (the header of a CV, a letter, an address block);
  - a list or pair of names ("Holt, Daniel, Marta, Bianca", "Joanna and Joerg") where one item
    is already a person or all items are known first names;
  - a known first name and a surname (or an uncommon word) typed in lower case right before an
    e-mail address or a phone number in a record ("julia berenguer, jb@…"), or any word and a
    surname-shaped one there ("анисим нестеров, …");
  - a title before one word ("Sig.ra Farnese"), two capitalized words around "van"/"von"/"ter",
    a known first name addressed at a sentence's start or end ("Émile, ...", "..., Claas.");
  - a lone common first name not after an article ("Why is Mariya ..."), except in text typed
    all in lower case, where every word reads capitalized ("next line para" holds no "Line").
Edges are trimmed first: tool words, calendar and role words, and a sentence-initial word
the gazetteer does not know ("Install Homebrew" is nobody). Text typed all in lower case is
read capitalized (`TextView.cased`). Code is never searched.

In scripts without letter case (Han, kana, Hangul) none of the word shapes above exist, so a
span NER labels PERSON there (GiNZA, jieba, Kiwi: `ner_backends.py`) is the evidence, outside
technical text: its run of 2-8 such letters, with forms of address cut off ("山本さん",
"김민준 씨", "王先生"); 2-6 letters in Han alone, 2-4 in Chinese.
"""
from __future__ import annotations

from functools import cached_property

import regex

from transforms.pii.gazetteer import stop_words
from transforms.pii.names import ADDRESSING_WORDS, HONORIFIC, HONORIFIC_BEFORE, NAME_WORD, STRONG_HONORIFIC, NOT_NAMES, NOT_PERSON_WORDS, PARTICLES, \
    ROLE_WORDS, has_name_shape, is_initial
from transforms.pii.recognizers.base import Recognizer
from transforms.pii.technical import is_technical, is_tool_word, lowercase_words

__all__ = ["PersonEvidenceRecognizer", "PERSON_LABELS", "OTHER_LABELS"]

PERSON_LABELS = frozenset({"PERSON", "PER"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "OTHER"})
OTHER_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "MISC", "LAW",
                          "LANGUAGE"})
_WORDS = regex.compile(rf"\p{{Lu}}\.|{NAME_WORD}|[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}'’.-]*")
_PARTICLE = "|".join(sorted(PARTICLES))
_INITIAL = r"\p{Lu}\.?(?=[ \t])"
_RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_@./-])(?:{NAME_WORD})(?:[ \t]+(?:\p{{Lu}}\.|{_INITIAL}|{NAME_WORD}|"
    rf"(?:{_PARTICLE})(?=[ \t]+\p{{Lu}})))+"
    rf"|(?<=(?:^|[^\p{{L}}])(?:\p{{Lu}}\p{{Ll}}{{0,4}})\.[ \t]+){NAME_WORD}")
_NAME = regex.compile(NAME_WORD)
_LIST = regex.compile(
    rf"(?<![\p{{L}}])(?:{NAME_WORD})(?:[ \t]*,[ \t]*(?:{NAME_WORD}))*"
    rf"(?:[ \t]*,?[ \t]+(?:and|&|und|et|y|e|og|och|i|и|ve|en)[ \t]+(?:{NAME_WORD}))?")
_SURNAME_PARTICLES = frozenset(("van", "von", "vom", "ter", "ten", "zu", "zur"))
_LIST_JOINERS = frozenset(("and", "und", "et", "og", "och", "ve", "en"))
# A line holding only a name: 2-4 words, one of them initials or particles at most.
_NAME_LINE = regex.compile(rf"^[ \t>*-]*(?P<run>{NAME_WORD}(?:[ \t]+(?:\p{{Lu}}\.?|(?:{_PARTICLE})|{NAME_WORD})){{1,4}})"
                           rf"[ \t]*,?[ \t]*$", regex.M)
_HONORIFIC = regex.compile(HONORIFIC)
# What follows a name in a contact or address block: an e-mail address, a phone number, a
# street line ("033 Hayashida Hollow", "Incrocio Fuseli, 28").
_CONTACT_DATA = regex.compile(r"@|\d[\d \t().-]{5,}\d|^[ \t>*-]*\d{1,5}[a-zA-Z]?,?[ \t]+\p{Lu}|"
                              r"^[ \t>*-]*\p{Lu}[\p{L}'’-]+(?:[ \t]+[\p{L}'’-]+)*,?[ \t]+\d{1,5}[a-zA-Z]?[ \t]*$", regex.M)
# A sentence starts after ".", "!", "?" (not after an initial "K." or a title "Dr."), a colon, a line break...
_SENTENCE_START = regex.compile(r"(?:^|(?<!\b\p{Lu}\p{Ll}{0,3})[.!?]|[:;\n\"“(*#>-])[ \t]*$")
_AFTER_POSTCODE = regex.compile(r"\d{4,5}[ \t]*$")
# Where a place, not a person, follows: "lives in", "from", "vit à", "wohnt in".
_LIVES_IN = regex.compile(r"(?i:\b(?:in|from|near|at|into|en|nach|aus|naar|uit|dans|vit à|habite à|vive en|"
                          r"vive a|abita a|wohnt in|woont in|lives in|moved to|moving to|travel(?:l?ing)? to)[ \t]+)$")
# Before a noun, not a name: articles and possessives ("den Wald", "the Grace period", "mein Auto").
_AFTER_DETERMINER = regex.compile(
    r"(?i:\b(?:the|an|this|that|these|those|der|die|das|den|dem|ein|eine|einen|einem|einer|eines|kein|keine|"
    r"mein|meine|meinen|dein|deine|sein|seine|ihr|ihre|unser|unsere|im|am|zum|zur|vom|beim|ins|ans|le|la|les|"
    r"une|au|aux|el|los|las|una|il|lo|gli|uno|nel|nella|het|een|um|uma|my|your|his|her|its|our|their)[ \t]+)$")
# One or two capitalized words after a title ("Sig.ra Farnese", "ms. Guadalupe", "Dr. Baxter").
_AFTER_TITLE = regex.compile(rf"(?<=[ \t])(?:{NAME_WORD})(?:[ \t]+{NAME_WORD})?")
# Lower-case words right before an e-mail address or a phone number, after a separator.
_LOWER_CONTACT = regex.compile(
    r"(?:^|[:;,|(\n][ \t]*)(?P<run>\p{Ll}[\p{Ll}'’-]+(?:[ \t]+\p{Ll}[\p{Ll}'’-]+){1,2})"
    r"(?=[ \t]*(?:[,;|/(<]|[ \t]*\n)[ \t]*(?:[\w.+-]+@[\w-]+\.|\+?\d[\d \t().-]{5,}\d))", regex.M)
_DIGIT = regex.compile(r"\d{6}|\d[ .-]\d{3}")
# A name addressed: "Émile, ..." at a sentence start; "..., Claas." at a sentence end.
_VOCATIVE_AFTER = regex.compile(r"[ \t]*,[ \t]")
_VOCATIVE_BEFORE = regex.compile(r",[ \t]+$")
_VOCATIVE_END = regex.compile(r"[ \t]*(?:[.!?…]|$)")
_CAPITALIZED_BEFORE = regex.compile(r"(?<![.!?:\n])(?:^|[ \t])\p{Lu}[\p{L}'’-]*[ \t]+$")
_CAPITALIZED_AFTER = regex.compile(r"(?:'s|’s)?[ \t]+\p{Lu}[\p{Ll}]")
_AFTER_PLACE_WORD = regex.compile(r"(?i:\b(?:from|in|to|into|at|near|à|en|au|aux|de|in|nach|aus|bei|a|da|di|naar|uit|"
                                  r"city|town|village|ville|stadt|ciudad|città)[ \t]+)$")


class PersonEvidenceRecognizer(Recognizer):
    entity, name = "PERSON", "person"

    def __init__(self, gazetteer):
        self.gaz = gazetteer

    def find(self, view):
        text = view.cased
        context = _Context(view)
        out, taken = [], []

        def accept(words, score, rule):
            start, end = words[0][0], words[-1][1]
            out.append(self.finding(start, end, score, rule))
            taken.append((start, end))

        others = []  # spans NER labeled as something else (ORG, GPE, ...) that stay so
        for label, start, end in _by_line(text, view.ner):
            if label in PERSON_LABELS and _CASELESS.search(text, start, end):
                span = None if context.technical else _caseless_name(text, start, end, view.lang)
                if span:
                    out.append(self.finding(*span, 0.8, "ner_caseless"))
                    taken.append(span)
                continue
            if label in PERSON_LABELS or label in OTHER_LABELS:
                words = self._core(text, start, end, context, ner_person=label in PERSON_LABELS)
                trimmed = bool(words) and (words[0][0] > start or len(_WORDS.findall(text[start:end])) > len(words))
                verdict = self._decide(text, words, label, context, trimmed)
                if verdict:
                    accept(words, *verdict)
                elif label in OTHER_LABELS:
                    others.append((start, end))
        for m in _RUN.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            labeled = any(s < m.end() and m.start() < e for s, e in others)
            words = self._core(text, m.start(), m.end(), context)
            verdict = self._decide(text, words, "OTHER" if labeled else None, context)
            if verdict:
                accept(words, *verdict)
        # Text typed all in lower case is read capitalized, so every line looks like a name there.
        for m in _NAME_LINE.finditer(text) if view.cased is view.masked else ():
            if not any(s < m.end("run") and m.start("run") < e for s, e in taken):
                words = self._core(text, m.start("run"), m.end("run"), context, whole_line=True)
                if self._name_line(text, words, context):
                    accept(words, 0.7, "name_line")
        for m in _AFTER_TITLE.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken) \
                    and STRONG_HONORIFIC.search(text, max(0, m.start() - 20), m.start()):
                words = self._core(text, m.start(), m.end(), context)
                if words and self._decide(text, words, None, context):
                    accept(words, 0.8, "title")
        out += self._lists(text, taken, context,
                           [(s, e) for label, s, e in view.ner if label in PLACE_LABELS or label == "NORP"])
        if "@" in view.masked or _DIGIT.search(view.masked):
            out += self._lower_contacts(view.masked, taken, context)
        if not context.technical:
            blocked = taken + others + [(f.start, f.end) for f in out]
            # In text typed all in lower case every word reads capitalized, so a lone common
            # first name there has no evidence at all ("next line para": "Line" is a name too).
            if view.cased is view.masked:
                out += self._first_names(view, text, blocked)
            blocked += [(f.start, f.end) for f in out]
            out += self._vocatives(view, text, blocked)
        return self.unique(out)

    def _lower_contacts(self, text, taken, context) -> list:
        """A name typed in lower case right before an e-mail address or a phone number in a
        record ("contact card: julia berenguer, jb@…, 612 …"): a known first name and a known
        surname."""
        if context.technical:
            return []
        out = []
        for m in _LOWER_CONTACT.finditer(text):
            words = m.group("run").split()
            first, last = words[0], words[-1]
            # a known first name and a surname (known, or any word that is not a common one:
            # "mechthilde süßebier"), or any word before a surname-shaped one ("анисим нестеров")
            if (self.gaz.is_first(first) and (self.gaz.is_last(last) or len(last) >= 3 and last not in NOT_NAMES
                                              and last not in ROLE_WORDS and last not in NOT_PERSON_WORDS)
                    or first not in NOT_NAMES and has_name_shape(last.capitalize())) and not any(
                    s < m.end("run") and m.start("run") < e for s, e in taken):
                out.append(self.finding(m.start("run"), m.end("run"), 0.65, "lower_contact"))
        return out

    def _vocatives(self, view, text, blocked) -> list:
        """A known first name addressed at the start or the end of a sentence: "Émile, can I ...",
        "... call me back, Claas." (not a company or a place: those are rarely addressed)."""
        out = []
        for start, end, word in view.tokens:
            if not text[start].isupper() or len(word) < 3 or text[start:end].isupper() \
                    or not self.gaz.is_first(word) or any(s < end and start < e for s, e in blocked) \
                    or word in NOT_NAMES or word in ROLE_WORDS or word in NOT_PERSON_WORDS or is_tool_word(text[start:end]):
                continue
            if _VOCATIVE_AFTER.match(text, end) and self._sentence_start(text, start) \
                    or _VOCATIVE_BEFORE.search(text, max(0, start - 3), start) and _VOCATIVE_END.match(text, end):
                out.append(self.finding(start, end, 0.6, "vocative"))
        return out

    def _first_names(self, view, text, blocked) -> list:
        """One capitalized word that is a common first name, on its own ("Tomáš shouted at ...",
        "Why is Mariya so impulsive?"), not after an article or a possessive ("den Wald": a noun), unless it touches another capitalized word (part of a longer
        name, a company or a place), follows a postcode, or NER called it something else."""
        out = []
        for start, end, word in view.tokens:
            if not self.gaz.is_common_first(word) or not text[start].isupper() or len(word) < 3 \
                    or text[start:end].isupper() \
                    or text[end:end + 1] in ("'", "’") and text[end + 1:end + 2].isalpha() and text[end + 1] != "s":
                continue  # "Don't"
            if any(s < end and start < e for s, e in blocked) or word in NOT_NAMES or word in ROLE_WORDS \
                    or word in NOT_PERSON_WORDS or is_tool_word(text[start:end]):
                continue
            before, after = text[max(0, start - 30):start], text[end:end + 30]
            if _CAPITALIZED_BEFORE.search(before) or _CAPITALIZED_AFTER.match(after) or _AFTER_POSTCODE.search(before) \
                    or _AFTER_DETERMINER.search(before):
                continue
            out.append(self.finding(start, end, 0.6, "common_first_name"))
        return out

    def _core(self, text, start, end, context, whole_line: bool = False, ner_person: bool = False) -> list:
        """(start, end, word) of the span's words with non-name edges trimmed. A sentence-initial
        word the gazetteer does not know is trimmed ("Install Homebrew"), unless an initial
        follows it ("Kotoya S. Negishi"), the words are a line of their own (`whole_line`), or
        NER calls the span a person and a known or surname-shaped surname follows the word
        ("Olivie Samson." as an answer; not a verb or a word the text writes in lower case)."""
        words = [(start + m.start(), start + m.start() + len(w), w)
                 for m in _WORDS.finditer(text[start:end]) for w in [m.group().removesuffix("'s").removesuffix("’s")]]
        # "Wendelin Gehringer von Plum Acquisition Corp": the company starts after the last particle.
        company = next((i for i, (_, _, w) in enumerate(words) if w.casefold() in NOT_PERSON_WORDS), None)
        if company is not None:
            cut = max((i for i in range(company) if words[i][2].casefold() in PARTICLES), default=0)
            words = words[:cut]

        def edge_noise(i):
            s, _, w = words[i]
            bare = w.rstrip(".").casefold()
            if i == 0 and _HONORIFIC.fullmatch(w):
                return True
            if bare in NOT_NAMES and i and i == len(words) - 1 and self.gaz.is_first(words[i - 1][2]) \
                    and self.gaz.is_last(w):
                return False  # "Cristian Domingo": a surname that is also a weekday
            if bare in NOT_NAMES or bare in ROLE_WORDS or bare in PARTICLES or not w[0].isupper():
                return True
            if is_tool_word(w.rstrip("."), context.lowered) and (context.technical or not self.gaz.is_first(w)):
                return True
            if ner_person and i == 0 and len(words) == 2 and not context.technical and len(w) >= 2 \
                    and (self.gaz.is_last(words[1][2]) or has_name_shape(words[1][2])) \
                    and bare not in stop_words(("en",)) and bare not in ADDRESSING_WORDS and bare not in context.lowered:
                return False
            return (not whole_line and self._sentence_start(text, s) and not self.gaz.is_name(w)
                    and not is_initial(w) and i + 1 < len(words) and not is_initial(words[i + 1][2]))

        while words and edge_noise(0):
            words.pop(0)
        while words and (edge_noise(len(words) - 1) or is_initial(words[-1][2])):
            words.pop()
        return words

    @staticmethod
    def _sentence_start(text, pos) -> bool:
        return _SENTENCE_START.search(text, max(0, pos - 12), pos) is not None

    def _is_tool(self, word, context) -> bool:
        return is_tool_word(word) and (context.technical or not self.gaz.is_first(word))

    def _decide(self, text, words, label, context, trimmed: bool = False):
        """(score, rule) when `words` are a person's name, else None. `label`: the NER label
        of the span (None when NER gave none or did not run)."""
        if not words:
            return None
        names = [w for _, _, w in words if not is_initial(w) and w.casefold() not in PARTICLES]
        if not names or any(self._is_tool(w, context) for w in names) or \
                any(w.casefold() in NOT_PERSON_WORDS for w in names) or all(w.isupper() for w in names):
            return None  # tools, companies, acronyms ("IBAN", "USA")
        honorific = HONORIFIC_BEFORE.search(text, max(0, words[0][0] - 20), words[0][0]) is not None
        if label in PERSON_LABELS:
            if len(names) >= 2 or honorific:
                return 0.85, "ner"
            if _AFTER_POSTCODE.search(text, max(0, words[0][0] - 8), words[0][0]) or (
                    _AFTER_PLACE_WORD.search(text, max(0, words[0][0] - 20), words[0][0])
                    and not self.gaz.is_first(names[0])):
                return None  # "10115 Berlin", "moving to Ourense": a place
            # One word left of a longer span ("Meine Adresse"): only a known name. In technical
            # text, only a known first name that does not start a sentence ("Grace periods ...").
            if context.technical:
                known = self.gaz.is_first(names[0]) and not self._sentence_start(text, words[0][0])
            else:  # NER takes many capitalized sentence openers for names ("Rédige une lettre")
                known = not (trimmed or self._sentence_start(text, words[0][0])) or self.gaz.is_name(names[0])
            return (0.8, "ner_single") if known else None
        if honorific:
            return 0.8, "honorific"
        # NER often calls a lone first name a place or an organisation ("Why is Mariya so ...").
        if (label in OTHER_LABELS and len(words) == 1 and self.gaz.is_common_first(names[0])
                and not context.technical and not _LIVES_IN.search(text, max(0, words[0][0] - 25), words[0][0])):
            return 0.7, "relabeled_first_name"
        # Name particles of Dutch and German surnames between two capitalized words ("Cato
        # van Eck", "Melle van der Vliet"); places and companies rarely hold them.
        if len(names) == 2 and label not in PLACE_LABELS and not context.technical and names[0][0].isupper() \
                and any(w in _SURNAME_PARTICLES for _, _, w in words[1:-1]):
            return 0.7, "particle_name"
        if len(names) >= 2 and self.gaz.is_first(names[0]):
            tail = names[-1]
            if self.gaz.is_last(tail) or has_name_shape(tail) or len(names) < len(words):
                return 0.75, "first_last"
            # A known first name and a capitalized word outside technical text ("Janett Mohaupt"),
            # unless NER called the span a place.
            if label not in PLACE_LABELS and len(names) <= 3 and not context.technical and not any(w.casefold() in ROLE_WORDS or w.casefold() in NOT_NAMES
                                                 for w in names):
                return 0.7, "first_capitalized"
        return None

    def _name_line(self, text, words, context) -> bool:
        """A line of 2-4 words that is a name: a known first name and a known or name-shaped
        word, or, in a contact block (an e-mail address or a number follows), any known name."""
        names = [w for _, _, w in words if not is_initial(w) and w.casefold() not in PARTICLES]
        if len(names) < 2 or context.technical or any(
                self._is_tool(w, context) or w.casefold() in NOT_PERSON_WORDS or w.casefold() in ROLE_WORDS
                or w.casefold() in NOT_NAMES for w in names):
            return False
        if any(self.gaz.is_first(w) for w in names[:-1]) and any(
                self.gaz.is_name(w) or has_name_shape(w) for w in names[1:]):
            return True
        return any(self.gaz.is_name(w) or has_name_shape(w) for w in names) and bool(
            _CONTACT_DATA.search(text, words[-1][1], words[-1][1] + 300))

    def _lists(self, text, taken, context, places=()) -> list:
        """Items of a name list where one item is already a person and the others are known
        names, or where every item is a known first name ("Joanna und Joerg"). Outside
        technical text, a capitalized word of the same shape that the gazetteer does not know
        joins such a list ("Otýlie and Milena": one common first name is enough), unless it
        opens a sentence or spaCy calls it a place."""
        out = []
        for m in _LIST.finditer(text):
            items = [(m.start() + t.start(), m.start() + t.end(), t.group()) for t in _NAME.finditer(m.group())]
            items = [it for it in items if it[2].casefold() not in _LIST_JOINERS]
            if len(items) < 2 or "," not in m.group() and len(items) > 2:
                continue
            anchored = [any(a2 <= a and b <= e2 for a2, e2 in taken) for a, b, _ in items]
            usable = [self.gaz.is_name(w) and not self._is_tool(w, context) and w.casefold() not in NOT_NAMES
                      and w.casefold() not in ROLE_WORDS for _, _, w in items]
            alike = [ok or not context.technical and self._alike(text, a, w, context, places)
                     for (a, _, w), ok in zip(items, usable)]
            all_first = not context.technical and all(self.gaz.is_first(w) and ok for (_, _, w), ok in zip(items, usable))
            coordinated = not context.technical and all(alike) and any(
                self.gaz.is_common_first(w) and ok and not self._sentence_start(text, a)
                for (a, _, w), ok in zip(items, usable))
            if not (any(anchored) or all_first or coordinated):
                continue
            for (a, b, _), done, ok, like in zip(items, anchored, usable, alike):
                if not done and (ok or like and (coordinated or any(anchored))):
                    out.append(self.finding(a, b, 0.65, "list"))
        return out

    def _alike(self, text, start, word, context, places) -> bool:
        """A capitalized word that may stand in a list of names: no common, role, calendar,
        company or tool word, not all capitals, not a sentence's first word, not a place."""
        folded = word.casefold()
        return len(word) >= 3 and not word.isupper() and folded not in stop_words(("en",)) \
            and folded not in NOT_NAMES and folded not in ROLE_WORDS and folded not in NOT_PERSON_WORDS \
            and not self._is_tool(word, context) and folded not in context.lowered \
            and not self._sentence_start(text, start) and not any(s <= start < e for s, e in places)


_CASELESS = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
_CASELESS_RUN = regex.compile(r"[\p{Han}々\p{Hiragana}\p{Katakana}ー\p{Hangul}]+")
# Forms of address written onto a name (Japanese, Korean, Chinese), cut off the NER span.
_ADDRESS_FORM = regex.compile(r"(?:さん|様|さま|くん|君|ちゃん|氏|殿|先生|先輩|선생님|씨|님|女士|小姐|老师|老師|同学|同學)$")


def _caseless_name(text, start, end, lang=""):
    """(start, end) of the name in a PERSON span of a caseless script, or None: the longest run
    of Han/kana/Hangul letters in it, less a form of address; 2-8 letters (Han alone: 2-6, in
    Chinese 2-4: a surname of one or two characters and a given name of one or two)."""
    runs = [m for m in _CASELESS_RUN.finditer(text, start, end)]
    if not runs:
        return None
    m = max(runs, key=lambda r: (len(r.group()), -r.start()))
    a, b = m.span()
    cut = _ADDRESS_FORM.search(text, a, b)
    if cut and cut.start() - a >= 2:
        b = cut.start()
    word = text[a:b]
    han = all("\u4e00" <= ch <= "\u9fff" or ch == "々" for ch in word)
    return (a, b) if 2 <= len(word) <= ((4 if lang == "zh" else 6) if han else 8) else None


def _by_line(text, entities):
    """NER entities cut at line breaks: the small models run a name into the next line
    ("Phileine Groenendaal\nGeographical information ...")."""
    for label, start, end in entities:
        piece = start
        for line in text[start:end].split("\n"):
            if line.strip():
                yield label, piece, piece + len(line)
            piece += len(line) + 1


class _Context:
    """Facts about the whole text, computed only when a decision needs them."""

    def __init__(self, view):
        self._view = view

    @cached_property
    def technical(self) -> bool:
        return is_technical(self._view)

    @cached_property
    def lowered(self) -> frozenset:
        # In text typed all in lower case every word is lower case: the signal says nothing there.
        view = self._view
        return frozenset() if view.cased is not view.masked else lowercase_words(view)

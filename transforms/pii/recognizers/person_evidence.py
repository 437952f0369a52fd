"""PERSON from the NER label combined with other evidence.

The small NER models tag many persons as ORG/GPE/LOC/NORP or nothing, and many tools as
persons. A span is a person when the evidence adds up:
  - NER says PERSON and it holds two or more name words; or one word that is not a tool
    (in technical text the word must also be a known name or follow an honorific);
  - whatever NER says (ORG, GPE, nothing): an honorific or title before it ("Dr. Baxter",
    "Frau Meier"), or a known first name followed by a known surname, a surname-shaped word
    ("-dóttir", "-ová", "-ovich") or an initial ("Lena K. Nordmann");
  - a list or pair of names ("Holt, Daniel, Marta, Bianca", "Baxter and Reid") where one item
    is already a person and the others are known names.
Edges are trimmed first: tool words, calendar words, role words and a sentence-initial word
the gazetteer does not know ("Install Homebrew" is nobody). Code is never searched.
"""
from __future__ import annotations

from functools import cached_property

import regex

from transforms.pii.names import HONORIFIC, HONORIFIC_BEFORE, NAME_WORD, NOT_NAMES, PARTICLES, ROLE_WORDS, \
    has_name_shape, is_initial
from transforms.pii.recognizers.base import Recognizer
from transforms.pii.technical import is_technical, is_tool_word, lowercase_words

__all__ = ["PersonEvidenceRecognizer", "PERSON_LABELS", "OTHER_LABELS"]

PERSON_LABELS = frozenset({"PERSON", "PER"})
OTHER_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "MISC", "LAW",
                          "LANGUAGE"})
_WORDS = regex.compile(rf"\p{{Lu}}\.|{NAME_WORD}|[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}'’.-]*")
_PARTICLE = "|".join(sorted(PARTICLES))
_RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_@./-])(?:{NAME_WORD})(?:[ \t]+(?:\p{{Lu}}\.|{NAME_WORD}|(?:{_PARTICLE})(?=[ \t]+\p{{Lu}})))+"
    rf"|(?<=(?:^|[^\p{{L}}])(?:\p{{Lu}}\p{{Ll}}{{0,4}})\.[ \t]+){NAME_WORD}")
_ITEM = rf"{NAME_WORD}"
_NAME = regex.compile(NAME_WORD)
_LIST = regex.compile(
    rf"(?<![\p{{L}}])(?:{_ITEM})(?:[ \t]*,[ \t]*(?:{_ITEM}))*"
    rf"(?:[ \t]*,?[ \t]+(?:and|&|und|et|y|e|og|och|i|и|ve)[ \t]+(?:{_ITEM}))?")
_HONORIFIC = regex.compile(HONORIFIC)
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\n\"“(*#>-])[ \t]*$")


class PersonEvidenceRecognizer(Recognizer):
    entity, name = "PERSON", "person"

    def __init__(self, gazetteer):
        self.gaz = gazetteer

    def find(self, view):
        text = view.masked
        context = _Context(view)
        out, taken = [], []

        def accept(words, score, rule):
            start, end = words[0][0], words[-1][1]
            out.append(self.finding(start, end, score, rule))
            taken.append((start, end))

        for label, start, end in view.ner:
            if label in PERSON_LABELS or label in OTHER_LABELS:
                words = self._core(text, start, end, context)
                trimmed = bool(words) and (words[0][0] > start or len(_WORDS.findall(text[start:end])) > len(words))
                verdict = self._decide(text, words, label in PERSON_LABELS, context, trimmed)
                if verdict:
                    accept(words, *verdict)
        for m in _RUN.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            words = self._core(text, m.start(), m.end(), context)
            verdict = self._decide(text, words, False, context)
            if verdict:
                accept(words, *verdict)
        if taken:
            out += self._lists(text, taken, context)
        return out

    def _core(self, text, start, end, context) -> list:
        """(start, end, word) of the span's words with non-name edges trimmed."""
        words = [(start + m.start(), start + m.start() + len(w), w)
                 for m in _WORDS.finditer(text[start:end]) for w in [m.group().removesuffix("'s").removesuffix("’s")]]

        def edge_noise(i):
            s, _, w = words[i]
            bare = w.rstrip(".").casefold()
            if i == 0 and _HONORIFIC.fullmatch(w):
                return True
            if bare in NOT_NAMES or bare in ROLE_WORDS or bare in PARTICLES or not w[0].isupper():
                return True
            if is_tool_word(w.rstrip("."), context.lowered):
                return True
            return (self._sentence_start(text, s) and not self.gaz.is_name(w) and not is_initial(w)
                    and i + 1 < len(words))

        while words and edge_noise(0):
            words.pop(0)
        while words and (edge_noise(-1) or is_initial(words[-1][2])):
            words.pop()
        return words

    @staticmethod
    def _sentence_start(text, pos) -> bool:
        return _SENTENCE_START.search(text, max(0, pos - 12), pos) is not None

    def _decide(self, text, words, ner_person: bool, context, trimmed: bool = False):
        """(score, rule) when `words` are a person's name, else None."""
        if not words:
            return None
        names = [w for _, _, w in words if not is_initial(w) and w.casefold() not in PARTICLES]
        if not names or any(is_tool_word(w) for w in names):
            return None
        honorific = HONORIFIC_BEFORE.search(text, max(0, words[0][0] - 20), words[0][0]) is not None
        if ner_person:
            if len(names) >= 2 or honorific:
                return 0.85, "ner"
            # One word left of a longer span ("Meine Adresse"): only a known name. In technical
            # text, only a known first name that does not start a sentence ("Grace periods ...").
            if context.technical:
                known = self.gaz.is_first(names[0]) and not self._sentence_start(text, words[0][0])
            else:
                known = not trimmed or self.gaz.is_name(names[0])
            return (0.8, "ner_single") if known else None
        if honorific:
            return 0.8, "honorific"
        if len(names) >= 2 and self.gaz.is_first(names[0]):
            tail = names[-1]
            if self.gaz.is_last(tail) or has_name_shape(tail) or len(names) < len(words):
                return 0.75, "first_last"
        return None

    def _lists(self, text, taken, context) -> list:
        """Items of a name list where one item is already a person and the others are known names."""
        out, seen = [], set()
        for s, e in taken:
            for m in _LIST.finditer(text, max(0, s - 200), min(len(text), e + 200)):
                if m.span() in seen:
                    continue
                seen.add(m.span())
                items = [(m.start() + t.start(), m.start() + t.end(), t.group()) for t in _NAME.finditer(m.group())]
                items = [it for it in items if it[2].casefold() not in ("and", "und", "et", "og", "och", "ve")]
                if len(items) < 2:
                    continue
                anchored = [any(a2 <= a and b <= e2 for a2, e2 in taken) for a, b, _ in items]
                if not any(anchored):
                    continue
                for (a, b, w), done in zip(items, anchored):
                    if not done and self.gaz.is_name(w) and not is_tool_word(w, context.lowered) \
                            and w.casefold() not in NOT_NAMES and w.casefold() not in ROLE_WORDS:
                        out.append(self.finding(a, b, 0.65, "list"))
        return out


class _Context:
    """Facts about the whole text, computed only when a decision needs them."""

    def __init__(self, view):
        self._view = view

    @cached_property
    def technical(self) -> bool:
        return is_technical(self._view)

    @cached_property
    def lowered(self) -> frozenset:
        return lowercase_words(self._view)

"""PERSON as the one capitalized word a people-only noun attaches to ("the Okafor family", "Tavi's birthday").

- "the X family / household / wedding / funeral": X a known name or surname-shaped ("a card for
  the Brandt family"; not "the Apple family of products"); "the X report / study / paper / novel
  / memoir / biography" too ("Unlike the Aldana novel") unless spaCy calls X an organisation
  ("the Gartner report"). Eponyms of methods and laws ("the Kalman filter", "the Gauss method") are not in the
  noun list: they name a tool, not someone the text is about.
- "X's birthday / party / wedding / mom / wife / dog / house ...": a possessive before a noun of
  family, events and homes ("at Marisol's party"); X any capitalized word that is no common
  word (a sentence-initial one only when the gazetteer knows it: "Today's party" stays).
X is never a word spaCy calls a place or a nationality ("the London study", "Britain's
mothers"), a stop, calendar, role, company or tool word. Never in technical text.
"""
from __future__ import annotations

import regex

from transforms.pii.gazetteer import stop_words
from transforms.pii.names import NOT_NAMES, NOT_PERSON_WORDS, RELATION_WORDS, ROLE_WORDS, has_name_shape
from transforms.pii.recognizers.base import EnglishNameRecognizer
from transforms.pii.technical import is_technical, is_tool_word

__all__ = ["PersonNounRecognizer"]

_SURNAME_NOUNS = ("family", "families", "household", "wedding", "funeral", "estate", "twins", "siblings", "kids",
                  "children")
# Works that companies also put their name on ("the Gartner report"): only where spaCy does not
# call the word an organisation.
_WORK_NOUNS = ("report", "study", "paper", "novel", "memoir", "biography", "autobiography", "thesis", "essay")
_OWNED_NOUNS = ("birthday", "party", "wedding", "funeral", "graduation", "retirement", "baby shower", "bachelorette",
                "mom", "mum", "mother", "dad", "father", "parents", "wife", "husband", "boyfriend", "girlfriend",
                "fiancé", "fiancée", "partner", "sister", "brother", "son", "daughter", "kids", "children", "baby",
                "family", "grandma", "grandpa", "grandmother", "grandfather", "aunt", "uncle", "cousin", "niece",
                "nephew", "dog", "cat", "house", "apartment", "friend", "friends", "boss", "teacher")
_X = r"(?P<x>\p{Lu}[\p{Ll}\p{Lm}]+(?:['’-]\p{Lu}?[\p{Ll}\p{Lm}]+)*)"
_THE_X_NOUN = regex.compile(
    rf"(?<![\p{{L}}])(?i:the)[ \t]+{_X}[ \t]+(?P<noun>(?i:{'|'.join(_SURNAME_NOUNS + _WORK_NOUNS)}))(?![\p{{L}}])"
    r"(?![ \t]+of\b)")  # "the Apple family of products"
_X_S_NOUN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_@./-]){_X}['’]s[ \t]+(?:(?i:new|old|late|little|big|younger|older|elder|first|second|"
    rf"surprise|birthday|engagement|wedding)[ \t]+)?(?i:{'|'.join(sorted(_OWNED_NOUNS, key=len, reverse=True))})"
    rf"(?![\p{{L}}])")
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\n\"“(][ \t]*)$")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP"})
_ORG_LABELS = frozenset({"ORG", "PRODUCT"})


class PersonNounRecognizer(EnglishNameRecognizer):
    entity, name = "PERSON", "person_noun"

    def find(self, view):
        text = view.masked
        if "'" not in text and "’" not in text and not regex.search(r"(?i)\bthe\b", text):
            return []
        if is_technical(view):
            return []
        places = [(s, e) for label, s, e in view.ner if label in _PLACE_LABELS]
        orgs = [(s, e) for label, s, e in view.ner if label in _ORG_LABELS]
        out = []
        for m in _THE_X_NOUN.finditer(text):
            x = m.group("x")
            work = m.group("noun").casefold() in _WORK_NOUNS
            if self._plain(x, m.start("x"), places + orgs if work else places) \
                    and (self.gaz.is_name(x) or has_name_shape(x)):
                out.append(self.finding(m.start("x"), m.end("x"), 0.65, "surname_noun"))
        for m in _X_S_NOUN.finditer(text):
            x, start = m.group("x"), m.start("x")
            starts = _SENTENCE_START.search(text, max(0, start - 4), start) is not None
            if self._plain(x, start, places) and (not starts or self.gaz.is_name(x)):
                out.append(self.finding(start, m.end("x"), 0.65, "possessive"))
        return self.unique(out)

    def _plain(self, word: str, start: int, places: list) -> bool:
        folded = word.casefold()
        return len(word) >= 2 and not word.isupper() and folded not in stop_words(("en",)) \
            and folded not in NOT_NAMES and folded not in ROLE_WORDS and folded not in NOT_PERSON_WORDS \
            and folded not in RELATION_WORDS and not is_tool_word(word) \
            and not any(s <= start < e for s, e in places)

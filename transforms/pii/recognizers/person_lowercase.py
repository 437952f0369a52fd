"""PERSON typed in lower case in running text ("an apology to sonia bolaños", "me and tavi goes").

Capitalization is the other rules' main signal, so a name typed in lower case needs the
gazetteer and a context that only people take:
  - a full name: a common first name, then (optional known first names or particles: "francisco
    javier montero", "jesse van eck") a known surname or a surname-shaped word, not after an
    article or a demonstrative ("the rose gold case") and not a verb the surname lists also
    hold ("oskar went");
  - a common first name alone, coordinated with the speaker or another common first name ("me
    and lotte", "lotte and i", "stacy and jason both"), or right after "to"/"with" before a
    colon or a comma, as a recipient ("send this to maria: ...").
Stop words (of any language the gazetteer filters), calendar, role and tool words never count;
only in English text (NER language "en"), never in technical text.
"""
from __future__ import annotations

import regex

from transforms.pii.gazetteer import stop_words
from transforms.pii.names import NOT_NAMES, NOT_PERSON_WORDS, PARTICLES, RELATION_WORDS, ROLE_WORDS, has_name_shape
from transforms.pii.recognizers.base import EnglishNameRecognizer
from transforms.pii.technical import TOOLS, is_technical

__all__ = ["PersonLowercaseRecognizer"]

_WORD = regex.compile(r"(?<![\p{L}\p{N}_@./'’-])\p{Ll}[\p{Ll}\p{Lm}]+(?:['’-]\p{Ll}+)*(?![\p{L}\p{N}_@-])")
_GAP = regex.compile(r"[ \t]+")
# Before a noun phrase, not a name: "the rose gold case", "this grace period".
_DETERMINERS = frozenset("the a an this that these those some any no every each its their our your".split())
_SPEAKER = frozenset("me i myself".split())
_AND_BEFORE = regex.compile(r"(?<![\p{L}'’])(?P<other>\p{Ll}+)[ \t]+(?:and|&)[ \t]+$")
_AND_AFTER = regex.compile(r"[ \t]+(?:and|&)[ \t]+(?P<other>\p{Ll}+)(?![\p{L}'’])")
_RECIPIENT_BEFORE = regex.compile(r"(?<![\p{L}])(?:to|with)[ \t]+$")
_RECIPIENT_AFTER = regex.compile(r"[ \t]*[:,]")
# Verbs that follow a subject and that the surname lists also hold ("oskar went", "anna told").
_VERBS = frozenset("""
went came said told left got made took gave felt knew thought saw ran met sent wrote bought brought found kept
lost paid sat stood won wore ate drank drove flew fell hit hurt let put read set spent spoke taught threw woke
says wants needs likes loves hates thinks knows goes gets makes takes gives tells asks calls texts lives works
plays comes leaves keeps seems looks feels wins pays sends writes reads runs sings
""".split())


class PersonLowercaseRecognizer(EnglishNameRecognizer):
    entity, name = "PERSON", "person_lowercase"

    def find(self, view):
        if view.lang != "en":  # the contexts are English ones; "basit bir" is no name
            return []
        text = view.masked
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        if len(words) < 2 or is_technical(view):
            return []
        out, i = [], 0
        while i < len(words):
            found = self._full_name(text, words, i)
            if found:
                out.append(self.finding(words[i][0], words[found][1], 0.65, "lower_full"))
                i = found + 1
                continue
            if self._alone(text, words, i):
                out.append(self.finding(words[i][0], words[i][1], 0.6, "lower_first"))
            i += 1
        return self.unique(out)

    def _plain(self, word: str) -> bool:
        return len(word) >= 3 and word not in stop_words() and word not in NOT_NAMES \
            and word not in ROLE_WORDS and word not in NOT_PERSON_WORDS and word not in TOOLS \
            and word not in RELATION_WORDS

    def _next_to(self, text, words, i) -> bool:
        """Whether word i+1 follows word i after blanks only."""
        return i + 1 < len(words) and bool(_GAP.fullmatch(text, words[i][1], words[i + 1][0]))

    def _after_determiner(self, text, words, i) -> bool:
        return i > 0 and words[i - 1][2] in _DETERMINERS and bool(_GAP.fullmatch(text, words[i - 1][1], words[i][0]))

    def _full_name(self, text, words, i):
        """Index of the last word of a full name starting at word i, or None."""
        first = words[i][2]
        if not (self.gaz.is_common_first(first) and self._plain(first)) or self._after_determiner(text, words, i):
            return None
        j, last = i, None
        while self._next_to(text, words, j) and j - i < 3:
            j += 1
            w = words[j][2]
            if w in PARTICLES:
                continue
            if not self._plain(w) or w in _VERBS or w.endswith(("ed", "ing")):
                break
            if self.gaz.is_last(w) or has_name_shape(w.capitalize()):
                last = j
            elif not self.gaz.is_first(w):
                break
        if last is not None and words[last][2] in PARTICLES:
            return None
        return last

    def _alone(self, text, words, i) -> bool:
        start, end, word = words[i]
        if not (self.gaz.is_common_first(word) and self._plain(word)):
            return False
        before = _AND_BEFORE.search(text, max(0, start - 30), start)
        after = _AND_AFTER.match(text, end)
        for m in (before, after):
            # "me and lotte", "lotte and i", "stacy and jason"
            if m and (m.group("other") in _SPEAKER or self.gaz.is_common_first(m.group("other"))
                      and self._plain(m.group("other"))):
                return True
        # "send this to maria: ...", "dinner with tavi, then ..."
        return bool(_RECIPIENT_BEFORE.search(text, max(0, start - 6), start) and _RECIPIENT_AFTER.match(text, end))

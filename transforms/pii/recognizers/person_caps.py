"""PERSON written in capitals: address labels, forms, script speakers ("JOHN SMITH", "DETECTIVE JONES:").

The other name rules take all-caps words for acronyms ("IBAN", "USA", "API"). Here a run of
capitalized words is a name when the gazetteer vouches for both ends: a known first name, then
(after optional particles or initials: "NOA VAN WALLAERT", "ANNA K. BERG") a known surname or a
surname-shaped word, every word between them a known name. A title in capitals makes the one
capitalized word after it a name ("DETECTIVE MUIJS: Where were you?", "DR. OKAFOR"). Stop
words, calendar, role, company and tool words are never part of such a name ("NEW YORK",
"MAY JUNE"). Never in technical text (log levels, constants, SQL keywords).
"""
from __future__ import annotations

import regex

from transforms.pii.gazetteer import stop_words
from transforms.pii.names import NOT_NAMES, NOT_PERSON_WORDS, PARTICLES, ROLE_WORDS, has_name_shape
from transforms.pii.recognizers.base import EnglishNameRecognizer
from transforms.pii.technical import TOOLS, is_technical

__all__ = ["PersonCapsRecognizer", "CAPS_TITLES"]

# Titles and ranks that stand before a surname in scripts, forms and address labels.
CAPS_TITLES = frozenset("""
mr mrs ms mx miss mister dr doctor prof professor sir dame lady lord detective det inspector insp sergeant sgt
officer agent captain capt lieutenant lt colonel col general gen major corporal cpl private pvt admiral
commander nurse judge coach father sister brother aunt uncle mayor senator governor chief deputy sheriff
constable reverend rev pastor rabbi imam herr frau madame monsieur señor señora
""".split())
_WORD = regex.compile(r"(?<![\p{L}\p{N}_@./'’-])\p{Lu}+(?:['’-]\p{Lu}+)*\.?(?![\p{L}\p{N}_@'’-])")
_GAP = regex.compile(r"[ \t]+")


class PersonCapsRecognizer(EnglishNameRecognizer):
    entity, name = "PERSON", "person_caps"

    def find(self, view):
        text = view.masked
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        if len(words) < 2 or is_technical(view):
            return []
        # runs of capitalized words separated by blanks only
        runs, run = [], [words[0]]
        for prev, cur in zip(words, words[1:]):
            if _GAP.fullmatch(text, prev[1], cur[0]):
                run.append(cur)
            else:
                runs.append(run)
                run = [cur]
        runs.append(run)
        out = []
        for run in runs:
            out += self._names(run)
        return self.unique(out)

    def _excluded(self, word: str) -> bool:
        folded = word.rstrip(".").casefold()
        return (folded in stop_words(("en",)) or folded in NOT_NAMES or folded in ROLE_WORDS
                or folded in NOT_PERSON_WORDS or folded in TOOLS or folded in CAPS_TITLES)

    def _names(self, run: list) -> list:
        out, i = [], 0
        while i < len(run):
            start, end, word = run[i]
            bare = word.rstrip(".")
            # "DETECTIVE JONES", "DR. OKAFOR": a title, then one capitalized word that is no common word
            if bare.casefold() in CAPS_TITLES and i + 1 < len(run):
                s2, e2, nxt = run[i + 1]
                if len(nxt.rstrip(".")) >= 2 and not self._excluded(nxt):
                    out.append(self.finding(s2, e2 - nxt.endswith("."), 0.7, "caps_title"))
                    i += 2
                    continue
            if len(bare) >= 2 and self.gaz.is_first(bare) and not self._excluded(bare):
                j, last = i + 1, None
                while j < len(run):
                    w = run[j][2].rstrip(".")
                    if len(w) == 1 or w.casefold() in PARTICLES:
                        j += 1
                        continue
                    if self._excluded(w) or not (self.gaz.is_name(w) or has_name_shape(w.capitalize())):
                        break
                    if self.gaz.is_last(w) or has_name_shape(w.capitalize()):
                        last = j
                    j += 1
                if last is not None:
                    out.append(self.finding(start, run[last][1] - run[last][2].endswith("."), 0.7, "caps_name"))
                    i = last + 1
                    continue
            i += 1
        return out

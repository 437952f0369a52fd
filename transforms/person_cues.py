"""A PERSON recognizer driven by self-introduction cues, for every language.

spaCy NER only exists for the configured languages, and a name is often introduced in a
message of another language ("My name is Farid Haddad. 你能帮我..."). These patterns find the
name right after a cue such as "my name is", "Dear", "je m'appelle", "меня зовут", "我叫": one
to three capitalized words in Latin, Cyrillic or Greek script, or two to four Han/Hangul
characters. After weaker cues ("I am", "on behalf of", "Hi", "je suis") only a full name of two
or three capitalized words counts.
Matching is case-sensitive for the name itself, so "my name is irrelevant" stays.
"""
from __future__ import annotations

import regex

from presidio_analyzer import Pattern, PatternRecognizer

__all__ = ["person_cue_recognizer", "CUES"]

# Strong cues: what follows is a name (one to three capitalized words).
CUES = (
    "[Mm]y name is", "[Mm]y name's", "I'm called", "[Cc]all me",
    "[Jj]e m'appelle", "[Jj]e m’appelle", "[Mm]on nom est",
    "[Mm]e llamo", "[Mm]i nombre es",
    "[Ii]ch heiße", "[Ii]ch heisse", "[Mm]ein Name ist",
    "[Mm]i chiamo", "[Ii]l mio nome è",
    "[Mm]eu nome é", "[Mm]e chamo",
    "[Мм]еня зовут", "[Мм]оё имя", "[Мм]ое имя",
    "[Bb]enim adım", "[Aa]dım",
    "Dear", "Cher", "Chère", "Liebe", "Lieber", "Querido", "Querida", "Caro", "Cara",
)
# Weak cues: a name only when two or three capitalized words follow ("I am Maria Lopez",
# not "I am French").
WEAK_CUES = ("I am", "I'm", "[Oo]n behalf of", "[Jj]e suis", "[Ii]ch bin", "[Ss]oy", "[Ss]ono",
             "[Ee]u sou", "[Hh]i", "[Hh]ello", "[Bb]onjour", "[Hh]allo", "[Hh]ola", "[Cc]iao")
_CJK_CUES = ("我叫", "我的名字是", "我的名字叫", "私の名前は", "제 이름은", "내 이름은")
_WORD = r"\p{Lu}[\p{Ll}'’-]+"
_LATIN_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,2}}"
_FULL_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{1,2}}"
_CJK_NAME = r"[\p{Han}\p{Hangul}]{2,4}"


def person_cue_recognizer(language: str) -> PatternRecognizer:
    latin = rf"(?<=\b(?:{'|'.join(CUES)})[ \t]+){_LATIN_NAME}"
    weak = rf"(?<=\b(?:{'|'.join(WEAK_CUES)})[ \t]+){_FULL_NAME}"
    cjk = rf"(?<=(?:{'|'.join(_CJK_CUES)})\s*){_CJK_NAME}"
    return PatternRecognizer(
        supported_entity="PERSON", supported_language=language, name="person_after_cue",
        patterns=[Pattern("name_after_cue", latin, 0.7), Pattern("full_name_after_weak_cue", weak, 0.6),
                  Pattern("cjk_name_after_cue", cjk, 0.6)],
        global_regex_flags=regex.DOTALL | regex.MULTILINE)

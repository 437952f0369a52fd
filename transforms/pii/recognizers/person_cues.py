"""PERSON after a cue, in any language (so messages without a NER model get names too).

- Strong cues: self-introductions ("my name is", "je m'appelle", "меня зовут"), naming verbs
  ("called", "named"), form labels ("Name:", "Full name:", "nom :", "nombre:", "имя:",
  "Ansprechpartner:", "contact person:"), salutations ("Dear", "Liebe", "Querida"),
  authorship ("by", "signed by", "written by") and e-mail headers ("From:"). One to three
  capitalized words follow; after a form label they may be lower case if the gazetteer knows
  one of them ("name: ingrid solberg").
- Weak cues ("I am", "on behalf of", "Hi", "Hello", "my friend", "my grandfather"): a full name
  of two or three capitalized words, or one word the gazetteer knows as a first name; after a
  relationship word also a lower-case first name + surname pair ("my friend ellen smith").
- A closing line ("Sincerely,", "Best regards,", "Mit freundlichen Grüßen", "С уважением,")
  followed by a name on the next line (a signature).
- Han text: a common surname and one or two characters after 我叫/我是/名叫/姓名.
Role words after a salutation are not names ("Dear Hiring Manager", "Hi team").
Code is never searched.
"""
from __future__ import annotations

import regex

from transforms.pii.names import CJK_NAME, HONORIFIC, NAME_WORD, NOT_NAMES, PARTICLES, ROLE_WORDS
from transforms.pii.recognizers.base import Recognizer
from transforms.pii.technical import is_tool_word

__all__ = ["PersonCueRecognizer"]

# Self-introductions: whatever capitalized words follow are the name.
INTRO = (
    r"my name is", r"my name's", r"my full name is", r"i'm called", r"i am called", r"call me",
    r"je m'appelle", r"je m’appelle", r"mon nom est", r"me llamo", r"mi nombre es", r"ich heiße",
    r"ich heisse", r"mein name ist", r"mi chiamo", r"il mio nome è", r"meu nome é", r"me chamo",
    r"mijn naam is", r"ik heet", r"jag heter", r"mam na imię", r"nazywam się", r"меня зовут", r"моё имя",
    r"мое имя", r"benim adım", r"adım",
)
# Salutations: a name unless a role word follows ("Dear Hiring Manager").
SALUTATIONS = (
    r"dear", r"dearest", r"cher", r"chère", r"liebe", r"lieber", r"sehr geehrter herr", r"sehr geehrte frau",
    r"querido", r"querida", r"estimado", r"estimada", r"caro", r"cara", r"gentile", r"beste", r"kære",
    r"drogi", r"droga", r"szanowny panie", r"szanowna pani", r"дорогой", r"дорогая", r"уважаемый", r"уважаемая",
)
# Naming and authorship: a name when two or more words follow, or one the gazetteer knows.
NAMING = (
    r"name is", r"called", r"named", r"known as", r"goes by", r"s'appelle", r"s’appelle", r"nommée?",
    r"appelée?", r"se llama", r"llamad[oa]", r"heißt", r"heisst", r"namens", r"si chiama", r"chiamat[oa]",
    r"se chama", r"chamad[oa]", r"heet", r"heter", r"зовут", r"by", r"written by", r"signed", r"signed by",
    r"authored by", r"prepared by", r"submitted by",
)
FORM_LABELS = (
    r"name", r"full name", r"first name", r"last name", r"given name", r"surname", r"family name",
    r"contact", r"contact person", r"contact name", r"attn", r"attention", r"c/o", r"from", r"to", r"cc",
    r"patient", r"client", r"customer", r"applicant", r"employee", r"author", r"signature", r"signed",
    r"account holder", r"cardholder", r"card holder", r"beneficiary", r"recipient", r"sender", r"owner",
    r"tenant", r"landlord", r"guardian", r"parent", r"student", r"emergency contact", r"next of kin",
    r"nom", r"prénom", r"nom complet", r"nombre", r"nombre completo", r"apellido", r"apellidos",
    r"vorname", r"nachname", r"ansprechpartner", r"ansprechpartnerin", r"kontakt", r"nome", r"cognome",
    r"nome completo", r"sobrenome", r"naam", r"voornaam", r"achternaam", r"namn", r"förnamn", r"efternamn",
    r"imię", r"nazwisko", r"isim", r"ad", r"soyad", r"ad soyad", r"имя", r"фамилия", r"отчество", r"фио",
    r"ім'я", r"прізвище",
)
# Greetings and verbs of meeting: a full name, or one word the gazetteer knows as a first name.
WEAK = (
    r"i am", r"i'm", r"this is", r"on behalf of", r"je suis", r"ich bin", r"soy", r"sono", r"eu sou",
    r"hi", r"hello", r"hey", r"bonjour", r"salut", r"hallo", r"hola", r"ciao", r"olá", r"привет",
    r"thanks", r"thank you", r"meet", r"met", r"ask", r"tell", r"invite", r"congratulate", r"happy birthday",
)
RELATIONS = (
    r"friend", r"best friend", r"boyfriend", r"girlfriend", r"wife", r"husband", r"partner", r"fiancée?",
    r"son", r"daughter", r"mother", r"father", r"mom", r"mum", r"dad", r"brother", r"sister", r"cousin",
    r"uncle", r"aunt", r"niece", r"nephew", r"grandfather", r"grandmother", r"grandson", r"granddaughter",
    r"grandpa", r"grandma", r"colleague", r"coworker", r"co-worker", r"boss", r"manager", r"neighbou?r",
    r"teacher", r"student", r"classmate", r"roommate", r"landlord", r"tenant", r"client", r"customer",
    r"patient", r"doctor", r"lawyer", r"employee", r"assistant", r"mentor", r"coach", r"ex",
)
CLOSINGS = (
    r"sincerely", r"yours sincerely", r"sincerely yours", r"yours truly", r"yours faithfully", r"regards",
    r"best regards", r"kind regards", r"warm regards", r"warmest regards", r"best wishes", r"best", r"cheers",
    r"thanks", r"thank you", r"many thanks", r"respectfully", r"cordially", r"love", r"with love", r"xoxo",
    r"mit freundlichen grüßen", r"mit freundlichen grüssen", r"viele grüße", r"liebe grüße", r"beste grüße",
    r"cordialement", r"bien cordialement", r"bien à vous", r"salutations", r"atentamente", r"saludos",
    r"un saludo", r"cordiali saluti", r"distinti saluti", r"saluti", r"atenciosamente", r"abraços",
    r"met vriendelijke groet", r"groeten", r"med vänliga hälsningar", r"hälsningar", r"med venlig hilsen",
    r"pozdrawiam", r"z poważaniem", r"с уважением", r"всего доброго", r"saygılarımla",
)
_WORD = rf"(?:\p{{Lu}}\.|{NAME_WORD})"
_PARTICLE = "|".join(sorted(PARTICLES))
_RUN = rf"{NAME_WORD}(?:[ \t]+(?:{_WORD}|(?:{_PARTICLE})(?=[ \t]+\p{{Lu}})))" + "{0,3}"
_LOWER_RUN = r"\p{Ll}[\p{Ll}'’-]+(?:[ \t]+\p{Ll}[\p{Ll}'’-]+){0,2}"
_TOKEN = regex.compile(r"\S+")


def _alt(words) -> str:
    return "|".join(w.replace(" ", r"[ \t]+") for w in sorted(words, key=len, reverse=True))


def _after(cues, run=_RUN, sep=r"[ \t]*[:,]?[ \t]+") -> regex.Pattern:
    """The cue, an optional honorific ("Dear Ms. ..."), then the run."""
    return regex.compile(rf"(?<![\w])(?i:{_alt(cues)}){sep}(?:{HONORIFIC}[ \t]+)?(?P<run>{run})")


_INTRO, _SALUTATION, _NAMING, _WEAK = (_after(c) for c in (INTRO, SALUTATIONS, NAMING, WEAK))
_RELATION = _after(RELATIONS, rf"{_RUN}|{_LOWER_RUN}")
_FORM = regex.compile(rf"(?:^|(?<=[\n|;(]))[ \t*-]*(?i:{_alt(FORM_LABELS)})[ \t]*[:：=][ \t]*(?:{HONORIFIC}[ \t]+)?"
                      rf"(?P<run>{_RUN}|{_LOWER_RUN})", regex.M)
_CLOSING = regex.compile(rf"(?:^|(?<=\n))[ \t]*(?i:{_alt(CLOSINGS)})[ \t]*[,!.]?[ \t]*\n[ \t]*(?P<run>{_RUN})",
                         regex.M)
_CJK = regex.compile(rf"(?:我叫|我是|我的名字是|我的名字叫|名叫|叫做|姓名[:：]?|联系人[:：]?|聯繫人[:：]?|私の名前は|"
                     rf"제 이름은|내 이름은|저는)\s*(?P<run>{CJK_NAME}|[\p{{Hangul}}]{{2,4}})")


class PersonCueRecognizer(Recognizer):
    entity, name = "PERSON", "person_cue"

    def __init__(self, gazetteer):
        self.gaz = gazetteer

    def _words(self, m, lower_ok=False) -> list:
        """The run's words as (start, end, word), stopped at a role word, a tool word or (unless
        `lower_ok`) a lower-case word; trailing particles dropped."""
        base, words = m.start("run"), []
        for t in _TOKEN.finditer(m.group("run")):
            w = t.group()
            bare = w.rstrip(".").casefold()
            if bare in ROLE_WORDS or bare in NOT_NAMES or is_tool_word(w.rstrip(".")) or (not lower_ok and w.islower() and bare not in PARTICLES):
                break
            words.append((base + t.start(), base + t.end(), w))
        while words and words[-1][2].casefold() in PARTICLES:
            words.pop()
        return words

    def find(self, view):
        text, gaz, out = view.masked, self.gaz, []

        def add(words, score, rule):
            if words:
                out.append(self.finding(words[0][0], words[-1][1], score, rule))

        def known_first(words):
            return bool(words) and gaz.is_first(words[0][2])

        for m in _INTRO.finditer(text):
            add(self._words(m), 0.8, "intro")
        for m in _SALUTATION.finditer(text):
            add(self._words(m), 0.75, "salutation")
        for m in _NAMING.finditer(text):
            words = self._words(m)
            if len(words) >= 2 and (known_first(words) or gaz.is_last(words[-1][2])) or \
                    len(words) == 1 and gaz.is_first(words[0][2]):
                add(words, 0.7, "naming")
        for m in _WEAK.finditer(text):
            words = self._words(m)
            if known_first(words):
                add(words, 0.6, "weak")
        for m in _FORM.finditer(text):
            if m.group("run")[0].islower():
                words = self._words(m, lower_ok=True)
                if any(gaz.is_name(w) for _, _, w in words):
                    add(words, 0.7, "form_lower")
            else:
                add(self._words(m), 0.75, "form")
        for m in _RELATION.finditer(text):
            if m.group("run")[0].islower():
                words = self._words(m, lower_ok=True)[:2]
                if len(words) == 2 and gaz.is_first(words[0][2]) and gaz.is_last(words[1][2]):
                    add(words, 0.65, "relation_lower")
            else:
                words = self._words(m)
                if len(words) >= 2 or known_first(words):
                    add(words, 0.7, "relation")
        for m in _CLOSING.finditer(text):
            add(self._words(m), 0.7, "signature")
        for m in _CJK.finditer(text):
            out.append(self.finding(m.start("run"), m.end("run"), 0.7, "cjk"))
        return out

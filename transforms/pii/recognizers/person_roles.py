"""PERSON in roles the cue and evidence rules miss: speakers, surnames in lists, lone subjects.

- Speaker labels of a dialogue: "Marisol: Remember me?" at a line's start, when the text holds
  at least two labelled lines with two different labels, and the label is a name (the gazetteer
  knows it, it is surname-shaped, or another label of the same dialogue is a known name). Role
  labels ("User:", "Bot:", "Narrator:"), log and note labels ("ERROR:", "Note:", "Step 2:"),
  form fields ("Subject:", "Date:") and all-caps words the gazetteer does not know are no
  speakers.
- Surnames alone in a list that a people noun announces or describes: "the founders: Vizmar,
  Hollis and Okafor", "co-written by the authors Ruhl and Serrat", "Brandt and Quiroga were
  the engineers", "Okafor is an engineer".
- A lone capitalized word as a sentence's subject ("Tavi is very reliable.") when spaCy labels
  the same word PERSON in the text (there or elsewhere) and a personal pronoun follows ("...
  depend on him"), or spaCy labels it PERSON at two places at least.
Never in technical text (code, logs, tool words); code is never searched.
"""
from __future__ import annotations

import regex

from transforms.pii.gazetteer import stop_words
from transforms.pii.names import NAME_WORD, NOT_NAMES, NOT_PERSON_WORDS, ROLE_WORDS, has_name_shape
from transforms.pii.recognizers.base import EnglishNameRecognizer
from transforms.pii.recognizers.person_evidence import PERSON_LABELS
from transforms.pii.technical import TOOLS, is_technical, is_tool_word

__all__ = ["PersonRoleRecognizer", "LABEL_WORDS", "PEOPLE_NOUNS"]

# Line labels that name no speaker: roles, log levels, notes, form fields, parts of a text.
LABEL_WORDS = frozenset("""
user users bot chatbot assistant system human ai model gpt chatgpt claude bard narrator narration chorus verse
bridge intro outro hook refrain pre-chorus host guest interviewer interviewee speaker speakers person man woman
boy girl child kid baby voice voices crowd all both everyone others other someone somebody stranger unknown
audience announcer reporter anchor caller operator customer agent client staff waiter waitress cashier clerk
error errors warning warnings warn info information debug trace fatal critical notice note notes nb ps tip tips
hint hints todo fixme hack important caution danger attention alert update edit edited tl;dr tldr summary
step steps example examples sample input inputs output outputs result results answer answers question questions
q a problem solution solutions explanation reason reasons response responses reply request prompt prompts
context task tasks goal goals objective objectives instruction instructions rule rules format style tone length
audience topic topics keyword keywords title subtitle subject date time day days week month year location place
setting scene scenes act acts chapter chapters part parts section sections page pages line lines genre theme
plot characters character cast role roles name names age gender sex status type types value values key keys id
version source sources reference references price prices cost total amount quantity size color colour weight
height address email e-mail phone tel fax mobile website url link links file files path directory command
commands usage syntax options option default defaults pros cons advantages disadvantages benefits features
feature requirements requirement conclusion introduction background overview description definition meaning
translation original correction corrected revised rewrite rewritten draft final version option choice choices
pick winner loser score rating review verdict feedback comment comments remark remarks quote source ingredients
ingredients method directions preparation serves servings yield calories nutrition breakfast lunch dinner snack
morning afternoon evening night today tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday
hours schedule agenda location venue cost budget deadline priority owner assignee reviewer approver category
tags tag label labels level levels stage stages phase phases round rounds game match team teams player players
mode hp mp xp atk def str dex int wis cha stats ability abilities skills skill items inventory weapon armor
pov flashback fade cut exterior interior ext int later meanwhile sound sfx music lyrics song album artist
translation english french spanish german italian chinese japanese korean russian portuguese arabic hindi
""".split())
# People nouns that announce or describe a list of persons (singular and plural).
PEOPLE_NOUNS = frozenset("""
founder founders co-founder co-founders cofounder cofounders engineer engineers member members author authors
co-author co-authors writer writers artist artists singer singers player players owner owners partner partners
director directors manager managers doctor doctors teacher teachers student students colleague colleagues
friend friends neighbor neighbors neighbour neighbours guest guests speaker speakers winner winners finalist
finalists candidate candidates participant participants attendee attendees organizer organizers organiser
organisers host hosts researcher researchers scientist scientists brother brothers sister sisters sibling
siblings cousin cousins twin twins parent parents child children kid kids son sons daughter daughters
teammate teammates classmate classmates roommate roommates coworker coworkers co-worker co-workers employee
employees architect architects designer designers lawyer lawyers nurse nurses officer officers detective
detectives suspect suspects witness witnesses victim victims actor actors actress actresses musician musicians
drummer drummers guitarist guitarists bassist bassists vocalist vocalists composer composers poet poets
novelist novelists editor editors reviewer reviewers judge judges coach coaches captain captains pilot pilots
inventor inventors pioneer pioneers creator creators producer producers developer developers programmer
programmers mentor mentors tutor tutors professor professors lecturer lecturers supervisor supervisors
investor investors shareholder shareholders chairman ceo cto cfo president presidents protagonist protagonists
hero heroes heroine villain villains leader leaders bandmates band-mates roster rosters lineup line-up squad
invitees nominees panelists panellists bridesmaids groomsmen ushers godparents pallbearers
""".split())
# People nouns that also describe companies, products or places.
_COMPANY_NOUNS = frozenset("""
leader leaders pioneer pioneers creator creators producer producers developer developers owner owners partner
partners winner winners finalist finalists host hosts investor investors shareholder shareholders hero heroes
villain villains member members player players designer designers inventor inventors
""".split())
_LABEL_LINE = regex.compile(
    rf"^[ \t>*-]*(?P<label>(?:{NAME_WORD}|\p{{Lu}}{{2,}})(?:[ \t]+(?:{NAME_WORD}|\p{{Lu}}{{2,}}))?)[ \t]*"
    r"(?:\([^()\n]{0,30}\))?[ \t]*:(?!//)[ \t]*(?P<speech>\S[^\n]*)$", regex.M)
# Speech, not a value: a lower-case word or a quote.
_SPEECH = regex.compile(r"\p{Ll}{2,}|[\"“„«]")
_ADDRESSED = regex.compile(r"(?i:\b(?:i|i'm|i'll|i've|me|my|you|your|we|us|our)\b)|[?!\"“„«]")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})
_PARTICLE_BEFORE = r"(?:(?:van|von|de|der|den|du|da|di|del|della|le|la)[ \t]+){0,2}"
_NOTE = r"(?:[ \t]*\([^()\n]{1,20}\))?"
_ITEM = rf"(?:{_PARTICLE_BEFORE}{NAME_WORD}{_NOTE})"
_AND = r"(?i:and|&|und|et|y|e|en|og|och)"
_LIST = rf"(?P<list>{_ITEM}(?:[ \t]*,[ \t]*{_ITEM}){{0,6}}(?:[ \t]*,?[ \t]+{_AND}[ \t]+{_ITEM})?)"
_NOUN = "(?P<noun>(?i:" + "|".join(sorted(map(regex.escape, PEOPLE_NOUNS), key=len, reverse=True)) + "))"
# "the founders: A, B and C", "the engineers were A and B", "by the authors A and B"; a list
# that runs into more capitalized words is a team, a company or a place ("Manchester United").
_AFTER_NOUN = regex.compile(
    rf"(?<![\p{{L}}]){_NOUN}(?:[ \t]*[:—–][ \t]*|[ \t]+(?i:were|are|was|is|include|included|including|such[ \t]+as|"
    rf"namely)[ \t]*:?[ \t]+|[ \t]*,[ \t]+|[ \t]+){_LIST}(?![\p{{L}}])(?![ \t]+\p{{Lu}})")
# "A and B were the engineers", "A is an engineer", "A and B, the founders, ...".
_BEFORE_NOUN = regex.compile(
    rf"(?<![\p{{L}}])(?<!\p{{Lu}}[\p{{L}}'’-]*[ \t]*,?[ \t]+(?:{_AND}[ \t]+)?){_LIST}(?:[ \t]+(?i:were|are|was|is|became|become)[ \t]+(?:(?i:the|a|an|our|my|two|three|both)[ \t]+)?"
    rf"|[ \t]*,[ \t]+(?i:the|our|my)[ \t]+)(?:\p{{L}}[\p{{L}}-]*[ \t]+){{0,2}}?{_NOUN}(?![\p{{L}}])")
_TOKEN = regex.compile(NAME_WORD)
_NOTES = regex.compile(r"\([^()\n]*\)")
# A subject: a capitalized word at a sentence's start, then a verb.
_SENTENCE_START = regex.compile(r"(?:^|[.!?][ \t]+|\n[ \t>*-]*|[\"“][ \t]*)$")
_VERB_AFTER = regex.compile(
    r"[ \t]+(?:is|was|has|had|will|would|can|could|should|may|might|must|did|does|isn't|wasn't|hasn't|doesn't|"
    r"didn't|won't|can't|began|became|went|came|got|made|took|gave|left|felt|knew|thought|told|said|says|"
    r"\p{Ll}{2,}(?:s|ed))(?![\p{L}])")
_PRONOUN = regex.compile(r"(?i:\b(?:he|she|him|her|his|hers|himself|herself|they|them|their)\b)")
_PRONOUN_WINDOW = 250
_GENDERED = regex.compile(r"(?i:\b(?:he|she|him|her|his|hers|himself|herself|er|sie|il|elle|lui)\b)")
_GENDERED_WINDOW = 150
_SUBJECT_OTHER_LABELS = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "MISC"})


def _plain_word(word: str, gaz) -> bool:
    """A word that can be a surname on its own: not a common, role, calendar, company or tool word."""
    folded = word.casefold()
    return len(word) >= 2 and not word.isupper() and folded not in stop_words(("en",)) and folded not in NOT_NAMES \
        and folded not in ROLE_WORDS and folded not in NOT_PERSON_WORDS and folded not in LABEL_WORDS \
        and folded not in PEOPLE_NOUNS and not is_tool_word(word)


class PersonRoleRecognizer(EnglishNameRecognizer):
    entity, name = "PERSON", "person_role"

    def find(self, view):
        text = view.cased
        speakers = ":" in text and "\n" in text
        lists = not PEOPLE_NOUNS.isdisjoint(w for _, _, w in view.tokens)
        subjects = any(label in PERSON_LABELS or label in _SUBJECT_OTHER_LABELS for label, _, _ in view.ner)
        if not (speakers or lists or subjects) or is_technical(view):
            return []
        out = self._speakers(text, view.ner) if speakers else []
        if lists:
            out += self._lists(text, lowered=view.cased is not view.masked)
        if subjects:
            out += self._subjects(view, text)
        return self.unique(out)

    def _is_speaker(self, label: str) -> bool:
        words = label.split()
        if any(w.casefold() in LABEL_WORDS or w.casefold() in ROLE_WORDS or w.casefold() in NOT_NAMES
               or w.casefold() in NOT_PERSON_WORDS or w.casefold() in TOOLS or w.casefold() in stop_words(("en",))
               for w in words):
            return False
        if all(w.isupper() for w in words):  # "MARISOL:" in a script; "ERROR:" in a log
            return all(self.gaz.is_first(w) for w in words)
        return not any(is_tool_word(w) for w in words)

    def _speakers(self, text: str, ner: list) -> list:
        """Labels of a dialogue's lines that are names. A dialogue: two lines at least whose
        label is followed by speech (a lower-case word or a quote, not a value such as
        "Exp: 09/27" or "Card: Visa"), with two labels at least, one of them a known first name
        or surname-shaped, and someone addressed or asked ("I", "you", "?", "!", a quote: not an
        itinerary "Paris: visit the Louvre"); no label spaCy calls a place. A label the gazetteer
        does not know speaks twice or more."""
        matches = [m for m in _LABEL_LINE.finditer(text) if _SPEECH.search(m.group("speech"))
                   and not any(label in _PLACE_LABELS and s <= m.start("label") < e for label, s, e in ner)]
        lines = [(m.start("label"), m.end("label"), m.group("label")) for m in matches]
        if len(lines) < 2 or len({label.casefold() for _, _, label in lines}) < 2 \
                or not any(_ADDRESSED.search(m.group("speech")) for m in matches):
            return []  # no dialogue: a list of places, of fields, of steps
        speakers = [(s, e, label) for s, e, label in lines if self._is_speaker(label)]
        if not any(self.gaz.is_first(label.split()[0]) or has_name_shape(label.split()[-1]) for _, _, label in speakers):
            return []
        counts: dict = {}
        for _, _, label in speakers:
            counts[label] = counts.get(label, 0) + 1
        return [self.finding(s, e, 0.7, "speaker") for s, e, label in speakers
                if counts[label] >= 2 or any(self.gaz.is_name(w) or has_name_shape(w) for w in label.split())]

    def _lists(self, text: str, lowered: bool) -> list:
        """Surnames alone in a list that a people noun announces or describes."""
        out = []
        for pattern in (_AFTER_NOUN, _BEFORE_NOUN):
            for m in pattern.finditer(text):
                listed = _NOTES.sub(lambda n: " " * len(n.group()), m.group("list"))  # "(captain)" is no name
                items = [(m.start("list") + t.start(), m.start("list") + t.end(), t.group())
                         for t in _TOKEN.finditer(listed)]
                items = [it for it in items if not regex.fullmatch(_AND, it[2])]
                if not items or not all(_plain_word(w, self.gaz) for _, _, w in items):
                    continue
                # one word alone ("Okafor is an engineer"): only a known or surname-shaped one;
                # after a noun that also describes companies ("Tesla is the leader"), every item
                # must be a known first name or surname-shaped
                if len(items) == 1 and not (self.gaz.is_name(items[0][2]) or has_name_shape(items[0][2])):
                    continue
                if m.group("noun").casefold() in _COMPANY_NOUNS and not all(
                        self.gaz.is_first(w) or has_name_shape(w) for _, _, w in items):
                    continue
                # all lower case, read capitalized: every word looks like a name; one must be known
                if lowered and not any(self.gaz.is_name(w) for _, _, w in items):
                    continue
                out += [self.finding(a, b, 0.7, "people_list") for a, b, _ in items]
        return out

    def _subjects(self, view, text: str) -> list:
        """A lone capitalized word as a sentence's subject ("Tavi is very reliable") when spaCy
        calls the same word a person elsewhere in the text, or calls it a person there and a
        personal pronoun follows; or when spaCy calls it an organisation (as the small models do
        with a sentence's first word), the gazetteer knows it or it is surname-shaped, and a
        gendered pronoun follows in the next sentence ("Kovalenko was late. She said ...")."""
        labels: dict = {}  # word -> {start: label}
        for label, start, end in view.ner:
            value = text[start:end]
            if (label in PERSON_LABELS or label in _SUBJECT_OTHER_LABELS) and _TOKEN.fullmatch(value):
                labels.setdefault(value, {})[start] = label
        out = []
        for word, at in sorted(labels.items()):
            persons = {s for s, label in at.items() if label in PERSON_LABELS}
            # a surname alone is too weak here: the gazetteer's surnames hold "Apple", "Ford", "Paris"
            known = self.gaz.is_first(word) or has_name_shape(word)
            if not _plain_word(word, self.gaz) or not (persons or known):
                continue
            for m in regex.finditer(rf"(?<![\p{{L}}\p{{N}}_@./-]){regex.escape(word)}(?![\p{{L}}\p{{N}}_@-])", text):
                start, end = m.span()
                if not (_SENTENCE_START.search(text, max(0, start - 6), start) and _VERB_AFTER.match(text, end)):
                    continue
                elsewhere = bool(persons - {start})
                here = start in persons and _PRONOUN.search(text, end, end + _PRONOUN_WINDOW)
                as_org = at.get(start) in _SUBJECT_OTHER_LABELS and known \
                    and _GENDERED.search(text, end, end + _GENDERED_WINDOW)
                if elsewhere or here or as_org:
                    out.append(self.finding(start, end, 0.65, "subject"))
        return out

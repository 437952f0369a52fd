"""PERSON after a cue, in any language (so messages without a NER model get names too).

- Self-introductions ("my name is", "je m'appelle", "меня зовут") and salutations ("Dear",
  "Liebe", "Querida"): one to three capitalized words follow (an honorific may come first).
- Naming and authorship ("called", "named", "by", "signed by"): a name when two or more words
  follow and the gazetteer knows the first or the last, or one word it knows as a first name.
- Form labels at the start of a line ("Name:", "Full name:", "nom :", "nombre:", "имя:",
  "Ansprechpartner:", "contact person:", "From:"): capitalized words, or lower-case words
  when the gazetteer knows one of them ("name: ingrid solberg").
- Greetings and verbs of meeting ("Hi", "Hello", "I am", "on behalf of", "meet"): a full name
  or one word the gazetteer knows as a first name.
- Relationship words ("my friend", "my grandfather", "colleague"): two or more capitalized
  words or a known name; also a lower-case first name + surname pair ("my friend ellen smith").
- Recipients ("letter to", "sms à", "carta para", "Überweisung an", "bericht aan", "pay", "work
  with"): as after a naming verb, and one word after name particles ("lettre pour de la Cordier");
  not in technical text.
- A question for a name and its answer ("What's your last name? Nekrasov", "Name on the account?
  User: Anna Berg").
- A closing line ("Sincerely,", "Best regards,", "Mit freundlichen Grüßen", "С уважением,")
  followed by a name on the next line (a signature).
- Han text: a common surname and one or two characters after 我叫/我是/名叫/姓名.
Role words never start a name ("Dear Hiring Manager", "Hi team"), nor do calendar words or
tool words. Code is never searched.
"""
from __future__ import annotations

from functools import cached_property

import regex

from transforms.pii.names import CJK_NAME, CJK_SURNAMES, HONORIFIC, NAME_WORD, NOT_NAMES, NOT_PERSON_WORDS, \
    PARTICLES, RELATION_WORDS, ROLE_WORDS, has_name_shape
from transforms.pii.recognizers.base import CuePhrases, Recognizer
from transforms.pii.technical import is_technical, is_tool_word

__all__ = ["PersonCueRecognizer"]

INTRO = (
    "my name is", "my name's", "my full name is", "i'm called", "i am called", "call me", "je m'appelle",
    "mon nom est", "me llamo", "mi nombre es", "ich heiße", "ich heisse", "mein name ist", "mi chiamo",
    "il mio nome è", "meu nome é", "me chamo", "mijn naam is", "ik heet", "jag heter", "mam na imię",
    "nazywam się", "меня зовут", "моё имя", "мое имя", "benim adım", "adım", "name is", "maiden name is",
    "last name is", "first name is", "surname is", "full name is", "name's",
)
SALUTATIONS = (
    "dear", "dearest", "cher", "chère", "liebe", "lieber", "sehr geehrter herr", "sehr geehrte frau",
    "querido", "querida", "estimado", "estimada", "caro", "cara", "gentile", "beste", "kære", "drogi",
    "droga", "szanowny panie", "szanowna pani", "дорогой", "дорогая", "уважаемый", "уважаемая",
)
NAMING = (
    "called", "named", "known as", "goes by", "s'appelle", "nommé", "nommée", "appelé", "appelée",
    "se llama", "llamado", "llamada", "heißt", "heisst", "namens", "si chiama", "chiamato", "chiamata",
    "se chama", "chamado", "chamada", "heet", "heter", "зовут", "by", "written by", "signed", "signed by",
    "authored by", "prepared by", "submitted by", "says", "said", "according to", "asked", "told", "wrote",
    "replied", "shouted at", "talked to", "spoke to", "spoke with",
)
# Someone a message, a letter, a payment or wishes go to, in the languages of the chat traffic:
# communication nouns and verbs with the preposition that introduces the recipient.
RECIPIENT = (
    "letter to", "letter for", "email to", "e-mail to", "mail to", "message to", "note to", "text to", "sms to",
    "write to", "writing to", "reply to", "send to", "sent to", "transfer to", "payment to", "pay", "wire to",
    "reference for", "recommendation for", "invitation for", "birthday wishes for", "happy birthday to",
    "table for", "reservation for", "booking for", "booked under", "reserved under", "under the name",
    "in the name of", "payee",
    "work with", "working with", "meeting with", "follow up with", "contact", "text", "call", "remind", "email",
    "brief an", "e-mail an", "mail an", "nachricht an", "sms an", "schreibe an", "schreiben an", "schreibe ich an",
    "überweisung an", "überweise an", "zahlung an", "arbeite mit", "treffen mit", "termin mit",
    "lettre à", "lettre pour", "courrier à", "message à", "mail à", "sms à", "écris à", "écrire à", "répondre à",
    "virement à", "anniversaire à", "envoie à", "travaille avec", "rendez-vous avec",
    "carta a", "carta para", "mensaje a", "correo a", "sms a", "escribe a", "escribir a", "transferencia a",
    "felicito a", "felicitar a", "felicita a", "trabajo con", "cita con",
    "lettera a", "lettera per", "messaggio a", "mail a", "scrivi a", "scrivere a", "bonifico a", "auguri a",
    "auguri per", "lavoro con", "appuntamento con",
    "brief aan", "bericht aan", "bericht naar", "sms naar", "mail naar", "schrijf aan", "over naar",
    "feliciteer", "feliciteer ik", "werk met", "afspraak met",
)
# A question for a name, then the answer ("What's your last name? Nekrasov", "Name on the
# account? User: Anna Berg").
QUESTION = (
    "your name", "your full name", "your first name", "your last name", "your surname", "your family name",
    "name on the account", "name on the card", "name of the account holder", "who are you",
    "comment vous appelez-vous", "comment tu t'appelles", "wie heißen sie", "wie heißt du", "cómo te llamas",
    "cómo se llama", "come ti chiami", "come si chiama", "hoe heet je", "hoe heet u", "как вас зовут",
    "как тебя зовут",
)
WEAK = (
    "i am", "i'm", "this is", "it's", "its", "it is", "on behalf of", "c'est", "je suis", "ich bin", "soy", "sono", "eu sou",
    "ik ben", "jag är", "jeg er", "jestem", "hi", "hello",
    "hey", "bonjour", "salut", "hallo", "hola", "ciao", "olá", "привет", "thanks", "thank you", "meet", "met",
    "ask", "tell", "invite", "congratulate", "happy birthday",
)
RELATIONS = tuple(RELATION_WORDS) + ("best friend", "мой друг", "моя подруга", "моей подруги")
FORM_LABELS = (
    "name", "full name", "first name", "last name", "given name", "surname", "family name", "contact",
    "contact person", "contact name", "attn", "attention", "c/o", "from", "to", "cc", "patient", "client",
    "customer", "applicant", "employee", "author", "signature", "signed", "account holder", "cardholder",
    "card holder", "beneficiary", "recipient", "sender", "owner", "tenant", "landlord", "guardian", "parent",
    "student", "emergency contact", "next of kin", "nom", "prénom", "nom complet", "nombre",
    "nombre completo", "apellido", "apellidos", "vorname", "nachname", "ansprechpartner", "ansprechpartnerin",
    "kontakt", "nome", "cognome", "nome completo", "sobrenome", "naam", "voornaam", "achternaam", "namn",
    "förnamn", "efternamn", "imię", "nazwisko", "isim", "ad", "soyad", "ad soyad", "имя", "фамилия",
    "отчество", "фио", "ім'я", "прізвище", "empfänger", "empfängerin", "absender", "absenderin",
    "destinatario", "destinataria", "mittente", "remitente", "expéditeur", "expéditrice", "destinataire",
    "afzender", "ontvanger", "name on card", "name on the card", "cardholder name", "billing name",
    "billing address", "shipping address", "bill to", "ship to", "deliver to", "addressee",
)
CLOSINGS = (
    "sincerely", "yours sincerely", "sincerely yours", "yours truly", "yours faithfully", "regards",
    "best regards", "kind regards", "warm regards", "warmest regards", "best wishes", "best", "cheers", "thanks",
    "thank you", "many thanks", "respectfully", "cordially", "love", "with love", "xoxo",
    "mit freundlichen grüßen", "mit freundlichen grüssen", "viele grüße", "liebe grüße", "beste grüße",
    "cordialement", "bien cordialement", "bien à vous", "salutations", "atentamente", "saludos", "un saludo",
    "cordiali saluti", "distinti saluti", "saluti", "atenciosamente", "abraços", "met vriendelijke groet",
    "groeten", "med vänliga hälsningar", "hälsningar", "med venlig hilsen", "pozdrawiam", "z poważaniem",
    "с уважением", "всего доброго", "saygılarımla",
)
_WORD = rf"(?:\p{{Lu}}\.|{NAME_WORD})"
_PARTICLE = "|".join(sorted(PARTICLES))
_RUN = rf"{NAME_WORD}(?:[ \t]+(?:{_WORD}|(?:{_PARTICLE})(?=[ \t]+\p{{Lu}})))" + "{0,3}"
_LOWER_RUN = r"\p{Ll}[\p{Ll}'’-]+(?:[ \t]+\p{Ll}[\p{Ll}'’-]+){0,2}"
_TOKEN = regex.compile(r"\S+")
# What follows a cue: separator, optional honorific, the name.
_AFTER = regex.compile(rf"[ \t]*[:,]?[ \t]+(?:{HONORIFIC}[ \t]+)?(?P<run>{_RUN})")
_AFTER_ANY_CASE = regex.compile(rf"[ \t]*[:,]?[ \t]+(?:{HONORIFIC}[ \t]+)?(?P<run>{_RUN}|{_LOWER_RUN})")
_AFTER_LABEL = regex.compile(rf"[ \t]*[:：=?][ \t]*\n?[ \t>]*(?:{HONORIFIC}[ \t]+)?(?P<run>{_RUN}|{_LOWER_RUN})")
# "Regards,\nAnna Berg" or "Regards, Anna Berg" (a comma: not "Best Buy", not "Thanks! Now ...")
_AFTER_CLOSING = regex.compile(rf"(?:[ \t]*,[ \t]*\n?|[ \t]*[!.]?[ \t]*\n)[ \t]*(?P<run>{_RUN})")
# After a recipient cue: an optional title and name particles ("à Mme X", "para del X", "aan van der X").
_AFTER_RECIPIENT = regex.compile(rf"[ \t]*[:,]?[ \t]+(?:{HONORIFIC}[ \t]+)?(?P<pre>(?:(?:{_PARTICLE})[ \t]+){{0,3}})"
                                 rf"(?P<run>{_RUN})")
_AFTER_QUESTION = regex.compile(rf"[ \t]*\?[ \t\n]*(?:[\p{{L}}]{{1,12}}[ \t]?:[ \t]*)?(?:{HONORIFIC}[ \t]+)?(?P<run>{_RUN})")
_LINE_START = regex.compile(r"(?:^|[\n|;(]|[.!?][ \t])[ \t*>-]*$")
_CJK = regex.compile(
    rf"(?:我叫|我是|我的名字是|我的名字叫|名叫|叫做|姓名[:：]?|联系人[:：]?|聯繫人[:：]?|朋友|同事|老板|同学|室友|邻居|"
    rf"妈妈|爸爸|老师|私の名前は|제 이름은|내 이름은|저는)\s*(?P<run>{CJK_NAME}|[\p{{Hangul}}]{{2,4}})"
    # honorific suffixes: 高先生, 王女士, 佐々木様, 田中さん, 김민수님
    rf"|(?P<run2>[{CJK_SURNAMES}])(?:先生|女士|小姐|老师|經理|经理)"
    rf"|(?<![\p{{Han}}\p{{Katakana}}々])(?P<run3>(?!お|ご|皆|客)[\p{{Han}}\p{{Katakana}}々ー][\p{{Han}}\p{{Katakana}}\p{{Hiragana}}々ー]{{1,4}}?)"
    rf"(?:様|さん|先生|くん|君|ちゃん|氏)"
    rf"|私は(?P<run5>[\p{{Han}}々]{{2,6}}|[\p{{Han}}々]{{1,3}}[\p{{Hiragana}}\p{{Katakana}}ー]{{1,4}}?[\p{{Han}}]?)(?:です|と申します)"
    rf"|(?P<run4>[\p{{Hangul}}]{{2,4}})(?:님|씨)")
_HAS_CJK = regex.compile(r"[\p{Han}\p{Hangul}]")


class PersonCueRecognizer(Recognizer):
    entity, name = "PERSON", "person_cue"

    def __init__(self, gazetteer):
        self.gaz = gazetteer
        self._cues = CuePhrases({"intro": INTRO, "salutation": SALUTATIONS, "naming": NAMING, "weak": WEAK,
                                 "relation": RELATIONS, "form": FORM_LABELS, "closing": CLOSINGS,
                                 "recipient": RECIPIENT, "question": QUESTION})

    def _words(self, call, m, lower_ok=False) -> list:
        """The run's words as (start, end, word), stopped at a role word, a tool word or (unless
        `lower_ok`) a lower-case word; trailing particles dropped. In text typed in lower case
        (read capitalized) the name stops at the first word after it the gazetteer does not know
        ("my friend ellen marsh is coming")."""
        base, words = m.start("run"), []
        for t in _TOKEN.finditer(m.group("run")):
            w = t.group()
            bare = w.rstrip(".").casefold()
            if bare in ROLE_WORDS or bare in NOT_NAMES or call.technical and is_tool_word(w.rstrip(".")) or (
                    not lower_ok and w.islower() and bare not in PARTICLES):
                break
            if call.cased and words and not (self.gaz.is_name(w) or len(bare) == 1 or bare in PARTICLES):
                break
            words.append((base + t.start(), base + t.end(), w))
        while words and words[-1][2].islower() and words[-1][2] in PARTICLES:
            words.pop()  # "van" at the end; "Ben", "Al" are names
        return words

    def find(self, view):
        call = _Call(view)
        out = []
        for kind, start, end in self._cues.finditer(view.tokens):
            found = getattr(self, f"_{kind}")(call, start, end)
            if found:
                words, score, rule = found
                out.append(self.finding(words[0][0], words[-1][1], score, rule))
        if _HAS_CJK.search(call.text):
            for m in _CJK.finditer(call.text):
                group = next(g for g in ("run", "run2", "run3", "run4", "run5") if m.group(g))
                out.append(self.finding(m.start(group), m.end(group), 0.7, "cjk"))
        return self.unique(out)

    # One method per cue kind: (words, score, rule) of the name after the cue at [start, end), or None.
    def _run_after(self, call, end, score, rule, pattern=_AFTER):
        m = pattern.match(call.text, end)
        words = self._words(call, m) if m else []
        return (words, score, rule) if words else None

    def _intro(self, call, start, end):
        return self._run_after(call, end, 0.8, "intro")

    def _salutation(self, call, start, end):
        return self._run_after(call, end, 0.75, "salutation")

    def _naming(self, call, start, end):
        m = _AFTER.match(call.text, end)
        words = self._words(call, m) if m else []
        if len(words) >= 2 and (self.gaz.is_first(words[0][2]) or self.gaz.is_last(words[-1][2]) or (
                not call.technical and not any(w.casefold() in NOT_PERSON_WORDS for _, _, w in words))) or \
                len(words) == 1 and self.gaz.is_name(words[0][2]) and not call.technical:
            return words, 0.7, "naming"
        return None

    def _recipient(self, call, start, end):
        """Who a letter, a message or a payment goes to: two or more words as after a naming
        verb; one word when the gazetteer knows it, it is surname-shaped or name particles come
        first ("lettre pour de la Cordier")."""
        if call.technical:
            return None
        m = _AFTER_RECIPIENT.match(call.text, end)
        words = self._words(call, m) if m else []
        if not words or any(w.casefold() in NOT_PERSON_WORDS or w.isupper() for _, _, w in words):
            return None
        if len(words) >= 2 and (self.gaz.is_first(words[0][2]) or self.gaz.is_last(words[-1][2])):
            return words, 0.7, "recipient"
        if len(words) == 1 and (self.gaz.is_name(words[0][2]) or has_name_shape(words[0][2]) or m.group("pre")):
            return words, 0.7, "recipient"
        return None

    def _question(self, call, start, end):
        m = _AFTER_QUESTION.match(call.text, end)
        words = self._words(call, m) if m else []
        return (words, 0.75, "question") if words and not any(w.isupper() for _, _, w in words) else None

    def _weak(self, call, start, end):
        m = _AFTER.match(call.text, end)
        words = self._words(call, m) if m else []
        return (words, 0.6, "weak") if words and self.gaz.is_first(words[0][2]) else None

    def _form(self, call, start, end):
        m = _AFTER_LABEL.match(call.text, end)
        if not m or not _LINE_START.search(call.text, max(0, start - 40), start):
            return None
        if m.group("run")[0].islower():
            words = self._words(call, m, lower_ok=True)
            return (words, 0.7, "form_lower") if any(self.gaz.is_name(w) for _, _, w in words) else None
        words = self._words(call, m)
        return (words, 0.75, "form") if words else None

    def _relation(self, call, start, end):
        m = _AFTER_ANY_CASE.match(call.text, end)
        if not m:
            return None
        if m.group("run")[0].islower():
            words = self._words(call, m, lower_ok=True)[:2]
            if len(words) == 2 and self.gaz.is_first(words[0][2]) and self.gaz.is_last(words[1][2]):
                return words, 0.65, "relation_lower"
            return None
        words = self._words(call, m)
        return (words, 0.7, "relation") if len(words) >= 2 or words and self.gaz.is_first(words[0][2]) else None

    def _closing(self, call, start, end):
        if not _LINE_START.search(call.text, max(0, start - 40), start):
            return None
        return self._run_after(call, end, 0.7, "signature", _AFTER_CLOSING)


class _Call:
    """One text as the cue rules read it (a recognizer is shared between threads: no state on self)."""

    def __init__(self, view):
        self._view = view
        self.text = view.cased
        self.cased = view.cased is not view.masked

    @cached_property
    def technical(self) -> bool:
        return is_technical(self._view)

"""Generate the reply-restatement conversations: `python -m bench.pii_eval.make_reply_set`.

Writes `data/replies.jsonl.gz`: two-message conversations (user, assistant) where the user
gives personal data and the assistant restates it the ways real replies do:
- verbatim;
- re-cased: the user typed "my friend ellen smith", the reply says "Ellen Smith";
- by first name or surname only ("Hi Ellen", "Dear Mr. Smith");
- possessive or inflected: "Ellen's", German genitive "Annas", Russian cases
  ("для Анны Ивановой", "Ивану Петрову");
- numbers reformatted: other separators and grouping, +country code added or dropped
  (with the trunk 0), card and IBAN grouped by four or run together;
- a name derived from the e-mail local part (anna.k.berg@... -> "Anna K. Berg");
- Chinese and Japanese names with no spaces around them ("我是王秀英", "美咲さん").

Every occurrence of a value in both messages is listed in `pii` with exact offsets into that
message's content (`message_index` 0 = user, 1 = assistant). Address occurrences carry
`parts` (street_name, building_number, postcode, city, ...) like the PII sentences, so the
scorer knows the street line; Chinese and Japanese names carry `parts` too (last_name,
first_name), since a 3-character name may be 1+2 or 2+1 characters. `form` says which
restatement an occurrence is (full_lc, first, full_gen, email_name, phone_intl, ...). Values are seeded Faker values (en_US, de_DE, fr_FR, es_ES,
ru_RU, zh_CN, ja_JP); phones, cards and IBAN groupings are built here so that both formats of
one number are known. Templates are ours (below). Split = hash of the id.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.pii_eval.common import DATA_DIR, ascii_fold, dump_jsonl, forbid_network, pin_hash_seed, split_of

SEED = 7031
PER_LANG = {"en": 80, "de": 50, "fr": 50, "es": 50, "ru": 50, "zh": 50, "ja": 36}
LOCALE = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "ru": "ru_RU",
          "zh": "zh_CN", "ja": "ja_JP"}
TYPES = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "STREET_ADDRESS"}


@dataclass
class Val:
    """A value as it appears in one message; `parts` = (label, start, end) inside it."""
    text: str
    parts: list = field(default_factory=list)


def joined(*pieces) -> Val:
    """Concatenate strings (literal) and (label, text) tuples (parts) into one Val."""
    text, parts = "", []
    for p in pieces:
        if isinstance(p, tuple):
            parts.append((p[0], len(text), len(text) + len(p[1])))
            text += p[1]
        else:
            text += p
    return Val(text, parts)


# ----------------------------------------------------------------------------- numbers

def luhn_card(rng: random.Random) -> str:
    digits = [rng.choice("45")] + [str(rng.randint(0, 9)) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return "".join(digits) + str((10 - total % 10) % 10)


def group(s: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(s[i:i + size] for i in range(0, len(s), size))


def phone_pair(lang: str, rng: random.Random) -> tuple[str, str, str]:
    """(as the user typed it, international, national) for one random number."""
    d = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    if lang == "en":
        a, b, c = str(rng.randint(201, 989)), str(rng.randint(200, 989)), d(4)
        user = rng.choice([f"{a}{b}{c}", f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}"])
        return user, f"+1 {a} {b} {c}", f"({a}) {b}-{c}"
    if lang == "de":
        area, sub = rng.choice(["30", "40", "89", "221", "69", "711", "151", "160", "176"]), d(7)
        user = rng.choice([f"0{area} {sub}", f"0{area}/{sub}", f"0{area}{sub}", f"0{area}-{sub}"])
        return user, f"+49 {area} {sub}", f"0{area} {group(sub, 3)}"
    if lang == "fr":
        first, rest = rng.choice("1234567"), d(8)
        pairs = " ".join(rest[i:i + 2] for i in range(0, 8, 2))
        user = rng.choice([f"0{first}{rest}", f"0{first} {pairs}", f"0{first}.{pairs.replace(' ', '.')}"])
        return user, f"+33 {first} {pairs}", f"0{first} {pairs}"
    if lang == "es":
        n = rng.choice("679") + d(8)
        user = rng.choice([n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"])
        return user, f"+34 {n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]} {n[3:5]} {n[5:7]} {n[7:]}"
    if lang == "ru":
        code, n = "9" + d(2), d(7)
        user = rng.choice([f"8{code}{n}", f"8 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}", f"8-{code}-{n}"])
        return user, f"+7 {code} {n[:3]}-{n[3:5]}-{n[5:]}", f"8 ({code}) {n[:3]}-{n[3:5]}-{n[5:]}"
    if lang == "zh":
        n = "1" + rng.choice("3589") + d(9)
        user = rng.choice([n, f"{n[:3]} {n[3:7]} {n[7:]}", f"{n[:3]}-{n[3:7]}-{n[7:]}"])
        return user, f"+86 {n[:3]} {n[3:7]} {n[7:]}", f"{n[:3]}-{n[3:7]}-{n[7:]}"
    n = rng.choice(["90", "80", "70"]) + d(8)
    user = rng.choice([f"0{n}", f"0{n[:2]}-{n[2:6]}-{n[6:]}"])
    return user, f"+81 {n[:2]}-{n[2:6]}-{n[6:]}", f"0{n[:2]}-{n[2:6]}-{n[6:]}"


# ----------------------------------------------------------------------------- names

RU_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                       ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                        "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                        "", "e", "yu", "ya"]))


def translit(name: str) -> str:
    return "".join(RU_TRANSLIT.get(c, c) for c in name.lower()).capitalize()


def ru_cases(word: str, kind: str) -> tuple[str, str] | None:
    """(genitive, dative) of a Russian first/last name, or None for shapes we do not inflect."""
    if kind == "first_f":
        if word.endswith("ия"):
            return word[:-1] + "и", word[:-1] + "и"
        if word.endswith("я"):
            return word[:-1] + "и", word[:-1] + "е"
        if word.endswith("а"):
            ending = "и" if word[-2] in "гкхжшщч" else "ы"
            return word[:-1] + ending, word[:-1] + "е"
    if kind == "last_f" and word.endswith(("ова", "ева", "ина", "ына")):
        return word[:-1] + "ой", word[:-1] + "ой"
    if kind == "first_m":
        if word.endswith(("й", "ь")):
            return word[:-1] + "я", word[:-1] + "ю"
        if word[-1] not in "аяоеиыуюэ":
            return word + "а", word + "у"
    if kind == "last_m" and word.endswith(("ов", "ев", "ин", "ын")):
        return word + "а", word + "у"
    return None


def person(lang: str, female: bool, fk, rng: random.Random) -> dict:
    """Name forms of one person for the templates (keys used as {PERSON:key})."""
    if lang in ("zh", "ja"):
        last = fk.last_name()
        first = fk.first_name_female() if female else fk.first_name_male()
        roman_first, roman_last = fk.first_romanized_name(), fk.last_romanized_name()
        local = rng.choice([f"{roman_first}.{roman_last}", f"{roman_last}.{roman_first}"]).lower()
        return {"full": joined(("last_name", last), ("first_name", first)),
                "last": joined(("last_name", last)), "given": joined(("first_name", first)),
                "email": f"{local}@{fk.free_email_domain()}",
                "email_name": " ".join(p.capitalize() for p in local.split("."))}
    while True:
        first = fk.first_name_female() if female else fk.first_name_male()
        last = fk.last_name_female() if female and lang == "ru" else (
            fk.last_name_male() if lang == "ru" else fk.last_name())
        if " " in first or " " in last:
            continue
        if lang == "ru":
            sex = "f" if female else "m"
            f_cases, l_cases = ru_cases(first, "first_" + sex), ru_cases(last, "last_" + sex)
            if not (f_cases and l_cases):
                continue
        break
    forms = {"full": f"{first} {last}", "full_lc": f"{first} {last}".lower(), "first": first,
             "first_lc": first.lower(), "last": last}
    if lang == "de":
        forms["first_gen"] = first + ("'" if first[-1] in "sxzß" else "s")
    if lang == "ru":
        forms["first_gen"], forms["first_dat"] = f_cases
        forms["full_gen"] = f"{f_cases[0]} {l_cases[0]}"
        forms["full_dat"] = f"{f_cases[1]} {l_cases[1]}"
        latin_first, latin_last = translit(first), translit(last)
    else:
        latin_first, latin_last = ascii_fold(first), ascii_fold(last)
    # e-mail from the name, and the name a reply would read back from it
    initial = rng.choice("abcdefghjklmnprstw")
    shape = rng.choice(["first.last", "first.i.last", "first_last", "last.first"])
    lf, ll = re.sub(r"[^a-z]", "", latin_first.lower()), re.sub(r"[^a-z]", "", latin_last.lower())
    local, derived = {
        "first.last": (f"{lf}.{ll}", f"{lf.capitalize()} {ll.capitalize()}"),
        "first.i.last": (f"{lf}.{initial}.{ll}", f"{lf.capitalize()} {initial.upper()}. {ll.capitalize()}"),
        "first_last": (f"{lf}_{ll}", f"{lf.capitalize()} {ll.capitalize()}"),
        "last.first": (f"{ll}.{lf}", f"{lf.capitalize()} {ll.capitalize()}"),
    }[shape]
    forms["email"] = f"{local}@{fk.free_email_domain()}"
    forms["email_name"] = derived
    return forms


def address(lang: str, fk, rng: random.Random) -> dict:
    """One address as a one-line form, a block form and its street line (all with parts)."""
    street, number = fk.street_name(), fk.building_number()
    post = fk.postcode()
    city = fk.city()
    if lang == "en":
        st = [("building_number", number), " ", ("street_name", street)]
        tail = [("city", city), ", ", ("state_abbr", fk.state_abbr()), " ", ("postcode", post)]
    elif lang == "fr":
        st = [("building_number", number), " ", ("street_name", street)]
        tail = [("postcode", post), " ", ("city", city)]
    elif lang == "es":
        st = [("street_name", street), ", ", ("building_number", number)]
        tail = [("postcode", post), " ", ("city", city)]
    elif lang == "ru":
        st = [("street_name", street), ", д. ", ("building_number", str(rng.randint(1, 120)))]
        tail = [("city", city), ", ", ("postcode", post)]
        unit = [", кв. ", ("secondary_address", str(rng.randint(1, 300)))]
        return {"line": joined(*st, *unit, ", ", *tail), "block": joined(*tail, "\n", *st, *unit),
                "street": joined(*st)}
    elif lang == "zh":
        st = [("street_name", street), ("building_number", f"{rng.randint(1, 300)}号")]
        head = [("city", city), ("district", fk.district() + "区")]
        return {"line": joined(*head, *st), "block": joined(*head, *st, "（邮编 ", ("postcode", post), "）"),
                "street": joined(*st)}
    else:
        st = [("street_name", street), " ", ("building_number", number)]
        tail = [("postcode", post), " ", ("city", city)]
    return {"line": joined(*st, ", ", *tail), "block": joined(*st, "\n", *tail), "street": joined(*st)}


# ----------------------------------------------------------------------------- templates
# (gender of the person, user message, assistant reply). {TYPE:key}: key into the values.

P, E, T, C, I, A = "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "STREET_ADDRESS"

TEMPLATES = {
    "en": [
        ("f", "write a birthday message for my friend {PERSON:full_lc}, she loves hiking",
         "Here's a birthday message for {PERSON:full}:\n\nHappy birthday, {PERSON:first}! Wishing you a year full of new trails and summit views. {PERSON:first}'s adventures always inspire the rest of us!"),
        (None, "Can you write a short email to {EMAIL_ADDRESS:email} asking to move our meeting to Friday?",
         "Sure! Here is a draft:\n\nTo: {EMAIL_ADDRESS:email}\nSubject: Moving our meeting\n\nDear {PERSON:email_name},\n\nWould it be possible to move our meeting to Friday? Any time after 10 am works for me.\n\nBest regards"),
        (None, "my number is {PHONE_NUMBER:phone_user}, can you format it for a business card?",
         "Of course! On a business card the international format works best: **{PHONE_NUMBER:phone_intl}**. For local contacts you can print {PHONE_NUMBER:phone_nat}."),
        (None, "I typed my card number {CREDIT_CARD:card_user} into the form and it says invalid. why?",
         "The number you entered, {CREDIT_CARD:card_alt}, has 16 digits, so the length is fine. Common causes are an expired card, a billing address that does not match, or a form that rejects spaces."),
        (None, "Please check this IBAN before I send money: {IBAN_CODE:iban_user}",
         "Here it is in groups of four, which is easier to compare with your paperwork: {IBAN_CODE:iban_alt}. The check digits look plausible, but always confirm the account holder with your bank."),
        ("m", "I'm {PERSON:full} and I live at {STREET_ADDRESS:line}. Write a complaint to my landlord about the broken heating.",
         "Here is a draft:\n\n{PERSON:full}\n{STREET_ADDRESS:block}\n\nDear Landlord,\n\nI am writing to report that the heating in my apartment at {STREET_ADDRESS:street} has not worked since Monday. Please arrange a repair this week.\n\nSincerely,\n{PERSON:first} {PERSON:last}"),
        ("m", "My boss {PERSON:full} wants the report by Monday, help me write a reply",
         "Here's a reply you could send:\n\nDear Mr. {PERSON:last},\n\nThank you for the reminder. The report will be on your desk by Monday morning.\n\nBest,\n\nTip: if {PERSON:first} prefers short messages, you can drop the second sentence."),
        (None, "Make a contact card: {PERSON:full_lc}, {EMAIL_ADDRESS:email}, {PHONE_NUMBER:phone_user}",
         "| Field | Value |\n|---|---|\n| Name | {PERSON:full} |\n| Email | {EMAIL_ADDRESS:email} |\n| Phone | {PHONE_NUMBER:phone_intl} |"),
        (None, "hi im {PERSON:first_lc}, my email {EMAIL_ADDRESS:email} doesnt get your newsletter",
         "Hi {PERSON:first}! Sorry about that. Please check the spam folder of {EMAIL_ADDRESS:email} and add our sender address to your contacts."),
        (None, "Make an email signature from my address {EMAIL_ADDRESS:email} and phone {PHONE_NUMBER:phone_user}",
         "Here's a clean signature:\n\n{PERSON:email_name}\nEmail: {EMAIL_ADDRESS:email}\nPhone: {PHONE_NUMBER:phone_intl}"),
    ],
    "de": [
        ("f", "schreib eine geburtstagskarte für meine freundin {PERSON:full_lc}",
         "Gern! Hier ist ein Vorschlag für {PERSON:full}:\n\nLiebe {PERSON:first},\n\nalles Gute zum Geburtstag! Viele Grüße auch an {PERSON:first_gen} Familie."),
        (None, "Schreib bitte eine kurze Mail an {EMAIL_ADDRESS:email}, dass sich unser Termin auf Freitag verschiebt.",
         "Klar, hier ein Entwurf:\n\nAn: {EMAIL_ADDRESS:email}\nBetreff: Neuer Termin\n\nHallo {PERSON:email_name},\n\nkönnen wir unseren Termin auf Freitag verschieben?\n\nViele Grüße"),
        (None, "Meine Nummer ist {PHONE_NUMBER:phone_user}, wie schreibe ich sie international?",
         "International schreibt man sie so: {PHONE_NUMBER:phone_intl}. Innerhalb Deutschlands reicht {PHONE_NUMBER:phone_nat}."),
        (None, "Ist die Kartennummer {CREDIT_CARD:card_user} richtig? Das Formular lehnt sie ab.",
         "In Viererblöcken sieht sie so aus: {CREDIT_CARD:card_alt}. Die Länge stimmt; prüfe das Ablaufdatum und die Prüfziffer (CVC)."),
        (None, "Bitte prüf meine IBAN {IBAN_CODE:iban_user}",
         "Gruppiert lautet sie: {IBAN_CODE:iban_alt}. Die Länge passt zum Ländercode; den Kontoinhaber bestätigt dir nur die Bank."),
        ("m", "Ich bin {PERSON:full} und wohne in der {STREET_ADDRESS:line}. Schreib eine Beschwerde an meinen Vermieter.",
         "Hier ein Entwurf:\n\n{PERSON:full}\n{STREET_ADDRESS:block}\n\nSehr geehrte Damen und Herren,\n\nin meiner Wohnung in der {STREET_ADDRESS:street} funktioniert die Heizung seit Montag nicht.\n\nMit freundlichen Grüßen\n{PERSON:full}"),
        ("m", "Mein Chef heißt {PERSON:full}, schreib ihm eine Absage für das Meeting",
         "Hier ein Vorschlag:\n\nSehr geehrter Herr {PERSON:last},\n\nleider kann ich am Meeting nicht teilnehmen.\n\nFalls {PERSON:first} es lockerer mag, passt auch: \"Hallo {PERSON:first}, ich muss leider absagen.\""),
        (None, "Mach eine Visitenkarte: {PERSON:full_lc}, {EMAIL_ADDRESS:email}, {PHONE_NUMBER:phone_user}",
         "| Feld | Wert |\n|---|---|\n| Name | {PERSON:full} |\n| E-Mail | {EMAIL_ADDRESS:email} |\n| Telefon | {PHONE_NUMBER:phone_intl} |"),
    ],
    "fr": [
        ("f", "écris un message d'anniversaire pour mon amie {PERSON:full_lc}",
         "Voici un message pour {PERSON:full} :\n\nJoyeux anniversaire, {PERSON:first} ! Que cette année t'apporte plein de belles surprises."),
        (None, "Écris un court mail à {EMAIL_ADDRESS:email} pour décaler notre réunion à vendredi.",
         "Voici un brouillon :\n\nÀ : {EMAIL_ADDRESS:email}\nObjet : Report de notre réunion\n\nBonjour {PERSON:email_name},\n\nSerait-il possible de décaler notre réunion à vendredi ?\n\nCordialement"),
        (None, "mon numéro c'est {PHONE_NUMBER:phone_user}, comment l'écrire pour l'étranger ?",
         "Pour l'étranger, on écrit : {PHONE_NUMBER:phone_intl}. En France, {PHONE_NUMBER:phone_nat} suffit."),
        (None, "Mon numéro de carte {CREDIT_CARD:card_user} est refusé sur le site, pourquoi ?",
         "Le numéro {CREDIT_CARD:card_alt} a bien 16 chiffres. Vérifiez la date d'expiration et que l'adresse de facturation correspond."),
        (None, "Vérifie mon IBAN s'il te plaît : {IBAN_CODE:iban_user}",
         "Par groupes de quatre : {IBAN_CODE:iban_alt}. La longueur correspond au code pays."),
        ("m", "Je suis {PERSON:full}, j'habite au {STREET_ADDRESS:line}. Écris une réclamation à mon propriétaire pour le chauffage.",
         "Voici un brouillon :\n\n{PERSON:full}\n{STREET_ADDRESS:block}\n\nMadame, Monsieur,\n\nLe chauffage de mon logement situé au {STREET_ADDRESS:street} ne fonctionne plus depuis lundi.\n\nCordialement,\n{PERSON:full}"),
        ("f", "Ma cheffe s'appelle {PERSON:full}, aide-moi à lui répondre pour le rapport",
         "Voici une réponse possible :\n\nBonjour Madame {PERSON:last},\n\nLe rapport sera prêt lundi matin.\n\nSi vous vous tutoyez, commencez simplement par « Bonjour {PERSON:first} »."),
        (None, "Fais une fiche contact : {PERSON:full_lc}, {EMAIL_ADDRESS:email}, {PHONE_NUMBER:phone_user}",
         "| Champ | Valeur |\n|---|---|\n| Nom | {PERSON:full} |\n| E-mail | {EMAIL_ADDRESS:email} |\n| Téléphone | {PHONE_NUMBER:phone_intl} |"),
    ],
    "es": [
        ("f", "escribe una felicitación de cumpleaños para mi amiga {PERSON:full_lc}",
         "Aquí tienes una felicitación para {PERSON:full}:\n\n¡Feliz cumpleaños, {PERSON:first}! Que este año te traiga mucha alegría."),
        (None, "Escribe un correo corto a {EMAIL_ADDRESS:email} para cambiar la reunión al viernes.",
         "Aquí tienes un borrador:\n\nPara: {EMAIL_ADDRESS:email}\nAsunto: Cambio de reunión\n\nHola, {PERSON:email_name}:\n\n¿Podríamos pasar la reunión al viernes?\n\nUn saludo"),
        (None, "mi número es {PHONE_NUMBER:phone_user}, ¿cómo lo escribo en formato internacional?",
         "En formato internacional: {PHONE_NUMBER:phone_intl}. Dentro de España basta con {PHONE_NUMBER:phone_nat}."),
        (None, "La web rechaza mi tarjeta {CREDIT_CARD:card_user}, ¿por qué?",
         "El número {CREDIT_CARD:card_alt} tiene 16 dígitos, así que la longitud es correcta. Revisa la fecha de caducidad y el CVV."),
        (None, "¿Puedes revisar mi IBAN? {IBAN_CODE:iban_user}",
         "En grupos de cuatro: {IBAN_CODE:iban_alt}. La longitud coincide con el código de país."),
        ("m", "Soy {PERSON:full} y vivo en {STREET_ADDRESS:line}. Escribe una queja al casero por la calefacción.",
         "Aquí tienes un borrador:\n\n{PERSON:full}\n{STREET_ADDRESS:block}\n\nEstimado propietario:\n\nLa calefacción de mi piso en {STREET_ADDRESS:street} no funciona desde el lunes.\n\nAtentamente,\n{PERSON:full}"),
        ("m", "Mi jefe se llama {PERSON:full}, ayúdame a contestarle sobre el informe",
         "Una respuesta posible:\n\nEstimado Sr. {PERSON:last}:\n\nEl informe estará listo el lunes por la mañana.\n\nSi os tuteáis, empieza con «Hola, {PERSON:first}»."),
        (None, "Haz una ficha de contacto: {PERSON:full_lc}, {EMAIL_ADDRESS:email}, {PHONE_NUMBER:phone_user}",
         "| Campo | Valor |\n|---|---|\n| Nombre | {PERSON:full} |\n| Correo | {EMAIL_ADDRESS:email} |\n| Teléfono | {PHONE_NUMBER:phone_intl} |"),
    ],
    "ru": [
        ("f", "напиши поздравление для моей подруги {PERSON:full_lc}",
         "Вот поздравление для {PERSON:full_gen}:\n\nДорогая {PERSON:first}! Поздравляю тебя с днём рождения! Желаю счастья и вдохновения."),
        (None, "Напиши короткое письмо на {EMAIL_ADDRESS:email}, что встреча переносится на пятницу.",
         "Вот черновик:\n\nКому: {EMAIL_ADDRESS:email}\nТема: Перенос встречи\n\nЗдравствуйте, {PERSON:email_name}!\n\nПредлагаю перенести нашу встречу на пятницу.\n\nС уважением"),
        (None, "мой номер {PHONE_NUMBER:phone_user}, как записать его в международном формате?",
         "В международном формате: {PHONE_NUMBER:phone_intl}. Внутри России можно писать {PHONE_NUMBER:phone_nat}."),
        (None, "Сайт не принимает мою карту {CREDIT_CARD:card_user}, почему?",
         "Номер {CREDIT_CARD:card_alt} содержит 16 цифр, длина правильная. Проверьте срок действия карты и код CVC."),
        (None, "Мне нужно перевести деньги в Европу, IBAN получателя {IBAN_CODE:iban_user}. Он правильный?",
         "По группам из четырёх символов: {IBAN_CODE:iban_alt}. Длина соответствует коду страны."),
        ("f", "Меня зовут {PERSON:full}, я живу по адресу {STREET_ADDRESS:line}. Помоги написать жалобу в управляющую компанию.",
         "Вот черновик:\n\nОт {PERSON:full_gen}\nАдрес: {STREET_ADDRESS:block}\n\nВ моей квартире по адресу {STREET_ADDRESS:street} с понедельника не работает отопление.\n\nС уважением,\n{PERSON:full}"),
        ("m", "Мой начальник {PERSON:full} просит отчёт к понедельнику, помоги ответить",
         "Вот вариант ответа:\n\nЗдравствуйте, {PERSON:first}!\n\nОтчёт будет готов к понедельнику.\n\nЕсли письмо пойдёт через секретаря, адресуйте его {PERSON:full_dat}."),
        (None, "Сделай карточку контакта: {PERSON:full_lc}, {EMAIL_ADDRESS:email}, {PHONE_NUMBER:phone_user}",
         "| Поле | Значение |\n|---|---|\n| Имя | {PERSON:full} |\n| Почта | {EMAIL_ADDRESS:email} |\n| Телефон | {PHONE_NUMBER:phone_intl} |"),
    ],
    "zh": [
        ("f", "帮我给朋友{PERSON:full}写一段生日祝福",
         "好的，这是给{PERSON:full}的生日祝福：\n\n亲爱的{PERSON:given}，祝你生日快乐！愿你新的一岁一切顺利。"),
        (None, "我是{PERSON:full}，我的邮箱是{EMAIL_ADDRESS:email}，请帮我写一封求职信的开头",
         "好的，{PERSON:full}。以下是开头：\n\n尊敬的招聘经理：\n\n您好！我叫{PERSON:full}，联系邮箱：{EMAIL_ADDRESS:email}。"),
        (None, "我的手机号是{PHONE_NUMBER:phone_user}，国际格式怎么写？",
         "国际格式为：{PHONE_NUMBER:phone_intl}。在国内可以写成{PHONE_NUMBER:phone_nat}。"),
        (None, "我的银行卡号{CREDIT_CARD:card_user}，帮我四位一组写出来",
         "按四位一组：{CREDIT_CARD:card_alt}"),
        (None, "德国朋友给了我IBAN：{IBAN_CODE:iban_user}，帮我检查格式",
         "分组后是：{IBAN_CODE:iban_alt}。长度与国家代码相符。"),
        ("m", "我叫{PERSON:full}，住在{STREET_ADDRESS:line}，帮我给物业写一封投诉信",
         "好的，以下是草稿：\n\n致物业管理处：\n\n我是住在{STREET_ADDRESS:block}的业主{PERSON:full}。{STREET_ADDRESS:street}的电梯已经坏了一周。\n\n{PERSON:last}先生敬上"),
        (None, "给 {EMAIL_ADDRESS:email} 写一封英文邮件，说会议改到周五",
         "Here is the email:\n\nTo: {EMAIL_ADDRESS:email}\n\nDear {PERSON:email_name},\n\nCould we move our meeting to Friday?\n\nBest regards"),
        (None, "我是{PERSON:full}，电话{PHONE_NUMBER:phone_user}，邮箱{EMAIL_ADDRESS:email}，帮我做成名片",
         "{PERSON:full}\n电话：{PHONE_NUMBER:phone_intl}\n邮箱：{EMAIL_ADDRESS:email}"),
    ],
    "ja": [
        ("f", "友達の{PERSON:full}さんに誕生日メッセージを書いて",
         "{PERSON:full}さんへのメッセージです：\n\n{PERSON:given}さん、お誕生日おめでとうございます！素敵な一年になりますように。"),
        (None, "私は{PERSON:full}です。メールは{EMAIL_ADDRESS:email}です。自己紹介文を書いてください",
         "はじめまして、{PERSON:full}と申します。ご連絡は{EMAIL_ADDRESS:email}までお願いいたします。"),
        (None, "電話番号{PHONE_NUMBER:phone_user}を国際表記にしてください",
         "国際表記では{PHONE_NUMBER:phone_intl}です。国内では{PHONE_NUMBER:phone_nat}と書きます。"),
        (None, "カード番号{CREDIT_CARD:card_user}を4桁ずつ区切って",
         "4桁ずつ区切ると{CREDIT_CARD:card_alt}です。"),
        (None, "{EMAIL_ADDRESS:email}に英語で会議の延期メールを書いて",
         "Here is a draft:\n\nTo: {EMAIL_ADDRESS:email}\n\nDear {PERSON:email_name},\n\nCould we postpone our meeting to next week?\n\nBest regards"),
        ("m", "上司の{PERSON:full}さんに報告書の返信を書いて",
         "{PERSON:last}様\n\nお疲れ様です。報告書は月曜日までに提出いたします。"),
    ],
}

_SLOT = re.compile(r"\{([A-Z_]+):(\w+)\}")


def render(template: str, values: dict[str, dict], message_index: int) -> tuple[str, list[dict]]:
    """Fill a template; return the text and one pii record per slot with exact offsets."""
    text, pii, pos = "", [], 0
    for m in _SLOT.finditer(template):
        text += template[pos:m.start()]
        kind, key = m.group(1), m.group(2)
        val = values[kind][key]
        if not isinstance(val, Val):
            val = Val(val)
        start = len(text)
        text += val.text
        occ = {"type": kind, "value": val.text, "message_index": message_index,
               "start": start, "end": len(text), "form": key}
        if val.parts:
            occ["parts"] = [{"label": lab, "start": start + s, "end": start + e,
                             "value": val.text[s:e]} for lab, s, e in val.parts]
        pii.append(occ)
        pos = m.end()
    text += template[pos:]
    for occ in pii:
        assert text[occ["start"]:occ["end"]] == occ["value"]
    return text, pii


def conversation_values(lang: str, female: bool, fk, bank_fk, rng: random.Random) -> dict:
    phone_user, phone_intl, phone_nat = phone_pair(lang, rng)
    card = luhn_card(rng)
    card_forms = [card, group(card), group(card, sep="-")]
    card_user = rng.choice(card_forms)
    card_alt = rng.choice([f for f in card_forms if f != card_user])
    iban = bank_fk.iban()
    iban_user, iban_alt = (iban, group(iban)) if rng.random() < 0.6 else (group(iban), iban)
    values = {
        "PERSON": person(lang, female, fk, rng),
        "PHONE_NUMBER": {"phone_user": phone_user, "phone_intl": phone_intl, "phone_nat": phone_nat},
        "CREDIT_CARD": {"card_user": card_user, "card_alt": card_alt},
        "IBAN_CODE": {"iban_user": iban_user, "iban_alt": iban_alt},
    }
    values["EMAIL_ADDRESS"] = {"email": values["PERSON"].pop("email")}
    if lang != "ja":
        values["STREET_ADDRESS"] = address(lang, fk, rng)
    return values


def generate(seed: int = SEED, scale: int = 1, address_weight: int = 1,
             split: str | None = None) -> list[dict]:
    """All conversations. The defaults give `data/replies.jsonl.gz` (ids `reply-<lang>-<n>`,
    split by the id's hash). Another seed gives other values; its ids carry the seed
    (`reply-s<seed>-<lang>-<n>`), so they never collide with the default ones, and `split`
    then names every record's split. `scale` multiplies the count per language;
    `address_weight` cycles through each address template that many times per round."""
    from faker import Faker

    out = []
    for lang_no, (lang, count) in enumerate(PER_LANG.items()):
        rng = random.Random(seed + lang_no)
        fk = Faker(LOCALE[lang])
        fk.seed_instance(seed + lang_no)
        bank_fk = Faker({"ru": "de_DE", "zh": "de_DE", "ja": "de_DE", "en": "en_GB"}.get(lang, LOCALE[lang]))
        bank_fk.seed_instance(seed + 100 + lang_no)
        templates = [t for t in TEMPLATES[lang]
                     for _ in range(address_weight if "{STREET_ADDRESS:" in t[1] else 1)]
        for n in range(count * scale):
            gender, user_t, reply_t = templates[n % len(templates)]
            female = (gender == "f") if gender else rng.random() < 0.5
            values = conversation_values(lang, female, fk, bank_fk, rng)
            user, pii_u = render(user_t, values, 0)
            reply, pii_a = render(reply_t, values, 1)
            cid = f"reply-{lang}-{n:03d}" if seed == SEED else f"reply-s{seed}-{lang}-{n:04d}"
            out.append({"id": cid, "lang": lang, "split": split or split_of(cid),
                        "messages": [{"role": "user", "content": user},
                                     {"role": "assistant", "content": reply}],
                        "pii": pii_u + pii_a})
    return out


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED,
                        help=f"Faker and template seed (default {SEED}: data/replies.jsonl.gz)")
    parser.add_argument("--scale", type=int, default=1, help="multiply the count per language")
    parser.add_argument("--address-weight", type=int, default=1,
                        help="draw the address templates this many times as often")
    parser.add_argument("--split", default=None,
                        help="split name for every record (default: hash of the id)")
    parser.add_argument("--out", default=None, help="output file (default data/replies.jsonl.gz)")
    args = parser.parse_args(argv)
    if args.seed == SEED and (args.scale, args.address_weight) != (1, 1):
        parser.error("--scale/--address-weight need another --seed: ids would repeat the default set's")
    pin_hash_seed("bench.pii_eval.make_reply_set")
    forbid_network()
    records = generate(args.seed, args.scale, args.address_weight, args.split)
    out = Path(args.out) if args.out else DATA_DIR / "replies.jsonl.gz"
    dump_jsonl(records, out)
    for split in sorted({r["split"] for r in records}):
        rows = [r for r in records if r["split"] == split]
        counts = Counter(o["type"] for r in rows for o in r["pii"] if o["message_index"] == 1)
        print(f"{split}: {len(rows)} conversations; assistant occurrences: "
              + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()

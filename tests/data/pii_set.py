"""Unit fixtures for PII scrubbing, made with Faker (seeded), in several locales and formats.

`labeled_messages()` -> [(language, text, [(entity type, value), ...])]. Every message
carries its planted values; `NEGATIVES` and `TECHNICAL` are texts that must come out
byte-identical. These fixtures were written together with the rules, so they guard against
regressions; they measure nothing. Recall is measured on held-out data (bench/pii_eval).
"""
from __future__ import annotations

import random
import string

from faker import Faker

TEMPLATES = {
    "PERSON": {
        "en": ["Hi, I'm writing on behalf of {v}, who asked me to draft this letter.",
               "Please write a birthday poem for my friend {v}.",
               "{v} is my manager and I need to send her a polite reminder.",
               "Can you proofread the speech that {v} will give at the wedding?",
               "Dear {v}, thank you for your letter of last week.",
               "I met {v} at the conference yesterday and want to follow up.",
               "Please write a recommendation letter for my student {v}.",
               "Translate this note from {v} into Spanish."],
        "fr": ["Je m'appelle {v} et je cherche un stage à Lyon.",
               "Écris un message de remerciement pour {v}, mon professeur.",
               "Bonjour, je suis {v} et j'ai une question sur mon contrat.",
               "Peux-tu résumer le rapport écrit par {v} hier soir ?"],
    },
    "EMAIL_ADDRESS": {
        "en": ["Send the report to {v} before Friday.", "my email is {v}"],
        "fr": ["Écris-moi à {v} s'il te plaît."],
        "de": ["Meine E-Mail-Adresse ist {v}."],
    },
    "PHONE_NUMBER": {
        "en": ["Call me at {v} tomorrow.", "My phone number is {v}."],
        "fr": ["Mon numéro de téléphone est le {v}."],
        "de": ["Ruf mich unter {v} an."],
    },
    "CREDIT_CARD": {"en": ["My card number is {v}, why was it declined?"]},
    "IBAN_CODE": {"en": ["Please transfer the deposit to IBAN {v}."],
                  "de": ["Bitte überweise das Geld auf {v}."]},
    "IP_ADDRESS": {"en": ["My server at {v} keeps refusing SSH connections."]},
    "US_SSN": {"en": ["My social security number is {v}, fill in the form."]},
    "SECRET": {"en": ["Why does this fail?\n```python\nclient = OpenAI(api_key=\"{v}\")\n```",
                      "export AWS_ACCESS_KEY_ID={v}",
                      "curl -H 'Authorization: token {v}' https://api.github.com/user",
                      "const KEY = '{v}';"]},
}
# Real US area codes: libphonenumber (behind Presidio's PhoneRecognizer) rejects numbers that
# cannot exist, e.g. area code 756.
PHONE_FORMATS = ["+1 {area} 555 {d}", "(415) 555-{d}", "+44 20 7946 {d}", "+33 1 42 68 {e} {f}",
                 "+49 30 901820{g}", "+1-212-555-{d}"]


def _secret(rng):
    pick = rng.randrange(5)
    alnum = string.ascii_letters + string.digits
    if pick == 0:
        return "sk-" + "".join(rng.choices(alnum, k=48))
    if pick == 1:
        return "AKIA" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=16))
    if pick == 2:
        return "ghp_" + "".join(rng.choices(alnum, k=36))
    if pick == 3:
        return "AIza" + "".join(rng.choices(alnum + "-_", k=35))
    return "xoxb-" + "-".join("".join(rng.choices(string.digits, k=12)) for _ in range(2)) + "-" + "".join(rng.choices(alnum, k=24))


def _value(entity, lang, fakers, rng):
    fake = fakers[lang]
    if entity == "PERSON":
        return f"{fake.first_name()} {fake.last_name()}"
    if entity == "EMAIL_ADDRESS":
        return f"{fake.user_name()}{rng.randrange(10, 99)}@{fake.free_email_domain()}"
    if entity == "PHONE_NUMBER":
        return rng.choice(PHONE_FORMATS).format(area=rng.choice(["212", "312", "415", "617", "206", "713"]),
                                                d=rng.randrange(1000, 9999), e=rng.randrange(10, 99),
                                                f=rng.randrange(10, 99), g=rng.randrange(10, 99))
    if entity == "CREDIT_CARD":
        return fakers["en"].credit_card_number(card_type=rng.choice(["visa16", "mastercard", "amex"]))
    if entity == "IBAN_CODE":
        return fakers[rng.choice(["de", "fr"])].iban()
    if entity == "IP_ADDRESS":
        return fakers["en"].ipv4_public() if rng.random() < 0.8 else f"2a00:1450:4007:80{rng.randrange(10, 99)}::200e"
    if entity == "US_SSN":
        return fakers["en"].ssn()
    return _secret(rng)


def labeled_messages(per_template: int = 6, seed: int = 5) -> list:
    rng = random.Random(seed)
    fakers = {"en": Faker("en_US"), "fr": Faker("fr_FR"), "de": Faker("de_DE")}
    for i, fake in enumerate(fakers.values()):
        fake.seed_instance(seed + i)
    out = []
    for entity, by_lang in TEMPLATES.items():
        for lang, templates in by_lang.items():
            for template in templates:
                for _ in range(per_template):
                    value = _value(entity, lang, fakers, rng)
                    out.append((lang, template.format(v=value), [(entity, value)]))
    return out


REPLY_TEMPLATES = {
    "en": ["Of course! Here is a draft for {full}:\n\nDear {first}, I hope you are well.",
           "Happy birthday, {first}! May your year be bright.",
           "{full} will surely appreciate this. Let me know if {first} needs changes.",
           "Here is the follow-up email:\nSubject: Great meeting you\nHi {first},"],
    "fr": ["Bien sûr ! Voici un message pour {full} :\nCher {first}, merci pour tout.",
           "Voici le résumé du rapport de {full}."],
}


def reply_conversations(seed: int = 7) -> list:
    """(language, user message, reply, [names in the reply]): the reply echoes the name the
    user gave, in full and by first name, the way chat models answer."""
    rng = random.Random(seed)
    out = []
    for lang, text, planted in labeled_messages(seed=seed):
        (entity, full), = planted
        if entity != "PERSON":
            continue
        first = full.split()[0]
        reply = rng.choice(REPLY_TEMPLATES[lang]).format(full=full, first=first)
        out.append((lang, text, reply, [n for n in (full, first) if n in reply]))
    return out


NEGATIVES = [
    ("en", "The docs use 192.0.2.10, 198.51.100.7, 203.0.113.99 and 2001:db8::1 as examples."),
    ("en", "My router is at 192.168.1.1 and the service listens on 127.0.0.1:8080 or 10.0.0.5."),
    ("en", "Upgrade from Python 3.11.7 to 3.12.1 and pin numpy==1.26.4 in requirements."),
    ("en", "The ISBN is 978-3-16-148410-0 and the DOI is 10.1000/182."),
    ("en", "Use the id 123e4567-e89b-12d3-a456-426614174000 for the test record."),
    ("en", "```python\ndef get_user_name(user):\n    return user.first_name + ' ' + user.last_name\n```"),
    ("en", "The meeting moved from 2023-04-09 to April 12, 2024 at 10:30."),
    ("en", "We flew from Paris to Tokyo, then took the train to Kyoto and Osaka."),
    ("en", "Write to user@example.com or admin@test.example.org for the demo."),
    ("en", "Set api_key=os.environ[\"OPENAI_API_KEY\"] and password: ${DB_PASSWORD} in the config."),
    ("en", "The order total was 1234.56 dollars for 42 items, shipped in 3 boxes."),
    ("fr", "Nous avons visité Marseille et Bordeaux le 14 juillet 2023."),
]


# PII-free technical text: tool and product names, capitalized verbs, assignments that are code.
TECHNICAL = [
    ("en", "Install Homebrew first, then run `brew install vim`. Docker and Ubuntu both work."),
    ("en", "Vim is faster than Emacs for me. Grace periods apply to the Mark and Sweep collector."),
    ("en", "Open VS Code, press Ctrl+Shift+P and pick Python: Select Interpreter."),
    ("en", "```js\nconst token = req.headers.authorization;\nlet secret = row.slice(0, 8);\n```"),
    ("en", "In the handler, `token = :sessionToken` binds the parameter and `password = hash(pw)` is computed."),
    ("en", "Set `API_KEY = \"your-api-key-here\"` and `password: <your password>` before running."),
    ("en", "```python\nsecret_key = settings.SECRET_KEY\napi_key = os.getenv('API_KEY')\ntoken = get_token(user)\n```"),
    ("en", "Run kubectl get pods, then Helm upgrade. Jenkins and Terraform handle the rest."),
    ("en", "Call the function with 12345678 as the seed and 3.14159 as the ratio."),
    ("en", "The build id is 4111111111111112 and the commit is 9fceb02d0ae598e95dc970b74767f19372d61af8."),
    ("en", "Order #100245 shipped on 2024-03-18; ticket 88412290 is closed."),
    ("en", "Use git@github.com:org/repo.git or https://github.com/org/repo to clone."),
    ("en", "Django and Flask differ: Django ships an ORM, Flask does not. Ruby on Rails is similar."),
    ("en", "```bash\ncurl -X POST http://localhost:8000/api -d '{\"name\": \"test\"}'\n```"),
    ("en", "Check the logs in /var/log/nginx/error.log and restart with systemctl restart nginx."),
    ("en", "The matrix has 4 rows, 2 columns, and the loop runs 10 times per epoch."),
    ("en", "See RFC 5737 section 3 and ISO 8601 for the formats; Unicode 15.1 added new emoji."),
    ("en", "Will this work on Windows? Mark the task done when Jest passes and Chrome loads the page."),
]

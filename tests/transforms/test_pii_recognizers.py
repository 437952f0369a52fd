"""Each recognizer on its own: what it finds, and the look-alikes it must leave alone.

Texts are made up for these tests. NER entities are given literally (label, start, end) where
a rule depends on them, so the rules are tested without a model.
"""
from __future__ import annotations

import pytest

from transforms.pii.findings import TextView
from transforms.pii.gazetteer import load_gazetteer
from transforms.pii.names import grow_name
from transforms.pii.recognizers.address import AddressRecognizer
from transforms.pii.recognizers.card import CardRecognizer, luhn
from transforms.pii.recognizers.email import EmailRecognizer
from transforms.pii.recognizers.iban import IbanRecognizer
from transforms.pii.recognizers.ip import IpRecognizer
from transforms.pii.recognizers.person_cues import PersonCueRecognizer
from transforms.pii.recognizers.person_evidence import PersonEvidenceRecognizer
from transforms.pii.recognizers.phone import PhoneRecognizer
from transforms.pii.recognizers.secrets import SecretRecognizer
from transforms.pii.recognizers.ssn import SsnRecognizer

GAZ = load_gazetteer()


def found(recognizer, text, ner=()):
    view = TextView(text, ner=[(label, text.index(span), text.index(span) + len(span)) for label, span in ner])
    return sorted(text[f.start:f.end] for f in recognizer.find(view))


@pytest.mark.parametrize("text, values", [
    ("call me on 6123 4587 tonight", ["6123 4587"]),
    ("my registered number: 8841 2290", ["8841 2290"]),
    ("64 557201 office", ["64 557201"]),
    ("+47 (0)22 41 30 11 mobile", ["+47 (0)22 41 30 11"]),
    ("Handy: 0171 4459231", ["0171 4459231"]),
    ("Mi móvil es 612 45 78 90", ["612 45 78 90"]),
    ("Reach the desk at (415) 555-0142 x204.", ["(415) 555-0142 x204"]),
    ("我的手机号是13912345678，帮我记一下", ["13912345678"]),  # a CJK cue inside a word
    ("Our switchboard is +44 20 7946 0958.", ["+44 20 7946 0958"]),
    # not phones: dates, versions, decimals, IDs without a cue, numbers in code
    ("Released 2023-04-05, version 10.4.2.1, pi is 3.14159265.", []),
    ("Order 88412290 shipped; invoice 4455 6677 is paid.", []),
    ("```python\ncall(61234587)\n```", []),
    ("The DOI is 10.1000/182 and ISBN 978-3-16-148410-0.", []),
])
def test_phone_numbers(text, values):
    assert found(PhoneRecognizer(), text) == values


@pytest.mark.parametrize("text, values", [
    ("card 5018 0000 0009", ["5018 0000 0009"]),  # 12-digit Maestro next to "card"
    ("Visa 4111111111111111 expired", ["4111111111111111"]),
    ("JCB 3530 1113 3330 0000", ["3530 1113 3330 0000"]),
    ("amex: 3782 822463 10005", ["3782 822463 10005"]),
    ("my cc is 4000-0000-0000-0002-010 thanks", ["4000-0000-0000-0002-010"]),  # 19-digit Visa
    ("pay with 6011 1111 1111 1117", ["6011 1111 1111 1117"]),  # no cue, network prefix
    # not cards: Luhn fails, short IDs without a cue, long IDs inside code
    ("Mijn creditcard 36000000000008 is geweigerd", ["36000000000008"]),  # 14-digit Diners, Dutch compound cue
    ("card 4111 1111 1111 1112", []),
    ("ticket 5018 0000 0009 is open", []),
    ("```\nid = 4111111111111111\n```", []),
])
def test_card_numbers(text, values):
    assert found(CardRecognizer(), text) == values


def test_luhn():
    assert luhn("79927398713") and not luhn("79927398710")


@pytest.mark.parametrize("text, values", [
    ("IBAN DE89 3704 0044 0532 0130 00 please", ["DE89 3704 0044 0532 0130 00"]),
    ("iban: gb82 west 1234 5698 7654 32", ["gb82 west 1234 5698 7654 32"]),
    ("to FR1420041010050500013M02606.", ["FR1420041010050500013M02606"]),
    ("not valid: DE89 3704 0044 0532 0130 01", []),
    ("```\nsha = 'de89370400440532013000'\n```", []),
])
def test_ibans(text, values):
    assert found(IbanRecognizer(), text) == values


@pytest.mark.parametrize("text, values", [
    ("ping 8.8.8.8 and 2a00:1450:4007:80e::200e", ["2a00:1450:4007:80e::200e", "8.8.8.8"]),
    ("local 10.0.0.1, 127.0.0.1, ::1, fe80::1, 2001:db8::5, 192.0.2.7", []),
    ("version 1.2.3.4 of std::vector", []),
])
def test_ip_addresses(text, values):
    assert found(IpRecognizer(), text) == values


@pytest.mark.parametrize("text, values", [
    ("SSN 536-22-8726", ["536-22-8726"]),
    ("social security number 536 22 8726", ["536 22 8726"]),
    ("never issued: 666-12-3456, 912-34-5678, 123-00-4567", []),
])
def test_ssns(text, values):
    assert found(SsnRecognizer(), text) == values


@pytest.mark.parametrize("text, values", [
    ("write to Jo.Ann+news@mailbox.org.", ["Jo.Ann+news@mailbox.org"]),
    ("not an address: user@localhost-ish, a@b.c", []),
])
def test_emails(text, values):
    assert found(EmailRecognizer(), text) == values


@pytest.mark.parametrize("text, values", [
    ("I live at 4211 Oak Ridge Road, Apt. 5\nSpringfield, IL 62704 now",
     ["4211 Oak Ridge Road, Apt. 5\nSpringfield, IL 62704"]),
    ("Karl-Marx-Allee 12, 10178 Berlin", ["Karl-Marx-Allee 12, 10178 Berlin"]),
    ("Storgatan 17 lgh 1102", ["Storgatan 17 lgh 1102"]),
    ("14 rue des lilas 2", ["14 rue des lilas 2"]),
    ("Calle de Alcalá 45, Piso 3", ["Calle de Alcalá 45, Piso 3"]),
    ("ul. Długa 5/7", ["ul. Długa 5/7"]),
    ("ул. Ленина, д. 5, кв. 12", ["ул. Ленина, д. 5, кв. 12"]),
    # more Russian street types; a street name that starts with a date or an ordinal
    ("живу: алл. Берёзовая, д. 12, кв. 4", ["алл. Берёзовая, д. 12, кв. 4"]),
    ("пер. 8 Марта, д. 14", ["пер. 8 Марта, д. 14"]),
    ("наб. 40 лет Победы, д. 3", ["наб. 40 лет Победы, д. 3"]),
    ("ш. 25 Октября, д. 3", ["ш. 25 Октября, д. 3"]),
    ("Calle 5 de Mayo 12", ["Calle 5 de Mayo 12"]),
    ("abito in strada ginestra, 41", ["strada ginestra, 41"]),
    # ... but not after a type that is also an English word
    ("place 2 new Orders, 3 times", []),
    ("PSC 1234, Box 5678\nAPO AE 09012", ["PSC 1234, Box 5678\nAPO AE 09012"]),
    # cities, countries, roads without numbers, and English "via" stay
    ("We drove from Berlin to Paris via Lyon, then along Main Street.", []),
    ("Send it via email in 2 days; Gate 12 opens at 5.", []),
    ("```\naddress = '4211 Oak Ridge Road'\n```", []),
])
def test_street_addresses(text, values):
    assert found(AddressRecognizer(), text) == values


@pytest.mark.parametrize("text, values", [
    ("db_password = 'Tr0ub4dor&3x'", ["Tr0ub4dor&3x"]),
    ("token: 9f8e7d6c5b4a", ["9f8e7d6c5b4a"]),
    ("DATABASE_URL=postgres://app:S3cr3tPass@db.internal/app", ["S3cr3tPass"]),
    ("export HF_TOKEN=hf_" + "aBcD1234" * 5, ["hf_" + "aBcD1234" * 5]),
    # code, not secrets: variables, attributes, calls, environment lookups, placeholders
    ("token = :sessionToken", []),
    ("secret = row.slice(0, 4)", []),
    ("api_key = os.environ['KEY']; password = getpass()", []),
    ("API_KEY = 'your-api-key-here'; password: ${DB_PASSWORD}; token = '<TOKEN>'", []),
    ("password = 'password'; pass = None; token = self.token", []),
    ("postgres://user:password@localhost/db", []),
    # documentation examples and fillers are not keys
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE; STRIPE = 'sk_test_xxxxxxxxxxxxxxxxxxxx'", []),
])
def test_secrets(text, values):
    assert found(SecretRecognizer(), text) == values


@pytest.mark.parametrize("text, values", [
    ("My name is Farid Haddad.", ["Farid Haddad"]),
    ("Dear Ms. Anna Berg, thank you.", ["Anna Berg"]),
    ("Dear Hiring Manager, I apply.", []),
    ("Hi team, hi all!", []),
    ("name: ingrid solberg\nage: 34", ["ingrid solberg"]),
    ("Name: required", []),
    ("my friend ellen marsh is coming", ["ellen marsh"]),
    ("my grandfather was called Tomás Herrera", ["Tomás Herrera"]),
    ("Ansprechpartner: Klaus Meier", ["Klaus Meier"]),
    ("Sincerely,\nLena K. Nordmann", ["Lena K. Nordmann"]),
    ("我叫王小明，你好", ["王小明"]),
    ("a function called Foo, written by Docker", []),
    ("due by Monday", []),
    # recipients of letters, messages and payments, in several languages
    ("Write a letter to Hendrik Vos about the lease.", ["Hendrik Vos"]),
    ("Envoie un SMS à Mathilde pour confirmer.", ["Mathilde"]),
    ("Redacta una carta para de la Fuensanta, calle Mayor 3.", ["Fuensanta"]),
    ("Stuur een bericht aan van der Wiel over de factuur.", ["Wiel"]),
    ("Überweisung an Jochen Albers, Betrag 40 Euro.", ["Jochen Albers"]),
    ("Write a letter to Google about my account.", []),
    # a question for a name, then the answer
    ("What's your last name? Okafor", ["Okafor"]),
    ("Bot: Name on the card? User: Milan Dvořák", ["Milan Dvořák"]),
    # "Ben" is a name, not a particle; a tool word is a name after a cue outside technical text
    ("Kun je dit verbeteren: 'Beste Ben, bedankt'?", ["Ben"]),
    ("my wife Ruby Castellano called", ["Ruby Castellano"]),
    ("Call me I'd say", []),
])
def test_person_cues(text, values):
    assert found(PersonCueRecognizer(GAZ), text) == values


@pytest.mark.parametrize("text, ner, values", [
    # NER said something else: relabeled when a first name meets a surname, an initial or a suffix
    ("We thank Sigríður Jónsdóttir for the data.", [("ORG", "Sigríður Jónsdóttir")], ["Sigríður Jónsdóttir"]),
    ("Lena K. Nordmann lives here.", [], ["Lena K. Nordmann"]),
    ("Please contact Rosalind Ebner about it.", [], ["Rosalind Ebner"]),
    ("The report by Dr. Baxter is late.", [("ORG", "Baxter")], ["Baxter"]),
    # lists: one item is a person, the other known names join
    ("Holt, Daniel, Marta, Bianca came.", [("PERSON", "Daniel"), ("GPE", "Marta"), ("ORG", "Bianca")],
     ["Bianca", "Daniel", "Holt", "Marta"]),
    # tools and capitalized verbs are nobody
    ("Install Homebrew first.", [("PERSON", "Install Homebrew")], []),
    ("Docker and Ubuntu work. Vim is fast.", [("PERSON", "Docker"), ("PERSON", "Ubuntu"), ("PERSON", "Vim")], []),
    ("Use `pip`. Grace periods apply.", [("PERSON", "Grace")], []),
    ("Meine Adresse ist hier.", [("PERSON", "Meine Adresse")], []),
    # places stay places
    ("We moved from New York to San Diego.", [("GPE", "New York"), ("GPE", "San Diego")], []),
    # a title makes one word a name; "M" without its dot is an initial
    ("Scrivi alla Sig.ra Lombardini domani.", [], ["Lombardini"]),
    ("I spoke to ms. Okonkwo today.", [], ["Okonkwo"]),
    ("Anders M Holmqvist\n\n12 Birch Lane", [], ["Anders M Holmqvist"]),
    # a name line at the top of a contact block keeps its unknown first word
    ("Zebulon Khadzhiyev\n\nGeologist\nPhone: 0612 334455", [], ["Zebulon Khadzhiyev"]),
    # NER spans stop at a line break
    ("Elodie Vanwersch\nanalyst at the bank", [("PERSON", "Elodie Vanwersch\nanalyst")], ["Elodie Vanwersch"]),
    # Dutch and German surname particles
    ("Ik werk samen met Jorrit van Egmond aan het plan.", [], ["Jorrit van Egmond"]),
    # addressed by name at the start or the end of a sentence
    ("Mathilde, can you check this?", [], ["Mathilde"]),
    ("Ruf mich morgen zurück, Joachim.", [], ["Joachim"]),
    # an upper-case word is an acronym, not a first name ("Iban" is a name)
    ("Send the money, IBAN follows.", [], []),
    # a lower-case name in a contact record; a lower-case shopping list is nobody
    ("Contact card: marcus webb, marcus.w@post.com", [], ["marcus webb"]),
    ("Ich brauche: milch, eier, brot, 250 g butter", [], []),
    # a surname in the e-mail address below does not make it a lower-case word
    ("Ottilie Brennecke\n\nottilie.brennecke@mailbox.de", [], ["Ottilie Brennecke"]),
])
def test_person_evidence(text, ner, values):
    assert found(PersonEvidenceRecognizer(GAZ), text, ner) == values


@pytest.mark.parametrize("text, part, name", [
    ("Takumo R. Hasegawa\nAcme Ltd.", "R. Hasegawa", "Takumo R. Hasegawa"),  # any word before an initial
    ("Veronica R. van der Wiel of Acme", "Veronica R", "Veronica R. van der Wiel"),  # the initial's dot
    ("Contact R. Hasegawa", "R. Hasegawa", "R. Hasegawa"),  # a role word is no first name
])
def test_a_name_grows_over_initials_and_particles(text, part, name):
    start = text.index(part)
    s, e = grow_name(text, start, start + len(part), GAZ)
    assert text[s:e] == name


def test_the_gazetteer_knows_names_of_many_countries_and_no_stop_words():
    assert all(GAZ.is_first(n) for n in ("Ingrid", "Tomás", "Sigríður", "Olga", "Aiko", "Chidi"))
    assert all(GAZ.is_last(n) for n in ("Herrera", "Jónsdóttir", "Kowalski", "Nguyen", "Solberg"))
    assert not any(GAZ.is_name(w) for w in ("will", "may", "the", "and", "Docker", "Homebrew"))


def test_the_gazetteer_keeps_rare_unisex_and_stop_word_given_names_but_never_as_common():
    # rarer single-gender names, names of both genders popular in several countries
    assert all(GAZ.is_first(n) for n in ("Segismundo", "Simone", "Rosario"))
    # a top given name that is a stop word outside English counts, but needs a second signal
    assert GAZ.is_first("Anders") and not GAZ.is_common_first("Anders")
    assert not GAZ.is_first("Will")


# -- words written in lower case (a name written in lower case elsewhere is not a name) -------

def test_words_inside_e_mail_and_web_addresses_do_not_count_as_lower_case():
    from transforms.pii.technical import lowercase_words
    view = TextView("Ask Marek at marek.novak@postbox.cz or see https://novak.example.org/marek, marek said")
    assert "marek" in lowercase_words(view)  # "marek said": written in lower case outside addresses
    assert "novak" not in lowercase_words(view)  # only inside the addresses


def test_a_long_run_without_spaces_is_one_address_or_none():
    from transforms.pii.technical import _address_spans
    blob = "QUJD/" * 200_000  # a pasted 1 MB base64 line with slashes: no address mark
    assert _address_spans(blob + " mail me: ola@host.no") == [(len(blob) + 10, len(blob) + 21)]
    assert _address_spans(blob + "www.x") == [(0, len(blob) + 5)]

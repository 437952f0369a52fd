"""Names in unusual roles: dialogue speaker labels, surnames alone in a list a people noun
announces, a lone name as a sentence's subject that spaCy calls a person; and the look-alikes
that stay (log and note labels, form fields, itineraries, companies, technical text)."""
from __future__ import annotations

import pytest

from tests.transforms.test_pii import conv
from transforms.pii.findings import TextView
from transforms.pii.gazetteer import load_gazetteer
from transforms.pii.recognizers import build_recognizers
from transforms.pii.recognizers.person_roles import PersonRoleRecognizer

ROLES = PersonRoleRecognizer(load_gazetteer())


def found(text):
    return [text[f.start:f.end] for f in ROLES.find(TextView(text))]


@pytest.mark.parametrize("text, values", [
    ("Marisol: Remember me?\nTobias: Of course. It has been years.\nMarisol: Ten, to be exact.",
     ["Marisol", "Tobias", "Marisol"]),
    ("Write the scene:\n> Wendeline: \"Who are you?\"\n> Okonkwo: I am the new tenant.",
     ["Wendeline", "Okonkwo"]),
    # a script in capitals: only names the gazetteer knows
    ("MARISOL: Remember me?\nDANTE: No, never.\nMARISOL: You lie.", ["MARISOL", "DANTE", "MARISOL"]),
    # a speaker the gazetteer does not know, who speaks twice, beside a known one
    ("Marisol: where were you?\nZorvath: away.\nMarisol: why?\nZorvath: you know why.",
     ["Marisol", "Zorvath", "Marisol", "Zorvath"]),
])
def test_speaker_labels_of_a_dialogue_are_names(text, values):
    assert found(text) == values


@pytest.mark.parametrize("text", [
    "Marisol: Remember me?",  # one line is no dialogue
    "ERROR: file not found\nNote: retry later\nWARNING: disk is full",
    "Tip: use a sharp knife\nWarning: it cuts you\nStep: slice the onion",
    "User: hi, can you help me?\nBot: sure, what do you need?",
    "Q: What is 2+2?\nA: it is 4, I think",
    "Card: 4030 5710 7307 9762\nExp: 09/27\nName on card: Mijo Schmidtke",
    "Pros: cheap and light\nCons: slow to start\nVerdict: buy it",
    "Paris: visit the Louvre and eat well\nRome: see the Colosseum at dawn",
    "Monday: gym and a long run\nTuesday: rest, you earned it!",
    "INFO: started\nDEBUG: you are here\nFATAL: stopping",
    "```\nMarisol: Remember me?\nTobias: Of course.\n```",
    # a dialogue inside technical text
    "Run `npm install` first.\nMarisol: did it work?\nTobias: no, docker says the port is in use!",
])
def test_no_speakers_in_logs_notes_forms_lists_or_code(text):
    assert found(text) == []


@pytest.mark.parametrize("text, values", [
    ("The founders: Vizmar, Hollis and Okafor.", ["Vizmar", "Hollis", "Okafor"]),
    ("Brandt and Quiroga were the engineers on the project.", ["Brandt", "Quiroga"]),
    ("It was co-written by the authors Ruhl and Serrat.", ["Ruhl", "Serrat"]),
    ("Okafor is an engineer at the plant.", ["Okafor"]),
    ("is there a better song? barkholz and geisler were precision engineers.", ["barkholz", "geisler"]),
])
def test_surnames_alone_in_a_list_a_people_noun_announces(text, values):
    assert found(text) == values


@pytest.mark.parametrize("text", [
    "Apple and Google were the leaders in 2010.",
    "Tesla is the leader in electric cars.",
    "The winners: Monday and Friday draws.",
    "cats and dogs were the winners of the show.",
    "Python and Rust are the developers' favourites.",
    "The engineers were happy with the result.",
    "The players Manchester United and Chelsea met twice.",
    "Manchester United and Chelsea were the winners.",
])
def test_companies_days_and_common_words_are_no_list_of_people(text):
    assert found(text) == []


def test_a_lone_subject_that_spacy_calls_a_person_elsewhere():
    text = "Tavi is very reliable. I met Tavi in 2019."
    second = text.rindex("Tavi")
    view = TextView(text, ner=[("ORG", 0, 4), ("PERSON", second, second + 4)])
    assert [text[f.start:f.end] for f in ROLES.find(view)] == ["Tavi"]
    # without a PERSON label anywhere, the word stays
    assert ROLES.find(TextView(text, ner=[("ORG", 0, 4)])) == []


def test_a_lone_subject_labelled_an_organisation_needs_a_name_and_a_gendered_pronoun():
    text = "Kovalenko was late again. She said the bus broke down."
    assert [text[f.start:f.end] for f in ROLES.find(TextView(text, ner=[("ORG", 0, 9)]))] == ["Kovalenko"]
    text = "Apple was founded in a garage. He said it was small."
    assert ROLES.find(TextView(text, ner=[("ORG", 0, 5)])) == []


def test_the_scrubber_uses_the_role_recognizer():
    assert any(isinstance(r, PersonRoleRecognizer) for r in build_recognizers(("PERSON",), load_gazetteer()))


@pytest.mark.parametrize("text, expected", [
    ("Marisol: Remember me?\nTobias: Of course. It has been years.",
     "[PERSON_1]: Remember me?\n[PERSON_2]: Of course. It has been years."),
    ("The founders: Vizmar, Hollis and Okafor.", "The founders: [PERSON_1], [PERSON_2] and [PERSON_3]."),
    ("Tavi is very reliable. I met Tavi in 2019.", "[PERSON_1] is very reliable. I met [PERSON_1] in 2019."),
    ("ERROR: connection refused\nNote: retry in 5 seconds\nINFO: giving up",
     "ERROR: connection refused\nNote: retry in 5 seconds\nINFO: giving up"),
    ("Apple was founded in a garage. He said it was small.", "Apple was founded in a garage. He said it was small."),
])
def test_end_to_end(pii_scrubber, text, expected):
    out = pii_scrubber.scrub_conversations([conv(text)]).conversations[0]["messages"][0]["content"]
    assert out == expected


def test_a_roster_with_notes_and_particles_is_a_list_of_people():
    text = "Squad: Halvorsen (keeper), de Vries, Okonkwo, Lindqvist (captain)"
    assert found(text) == ["Halvorsen", "Vries", "Okonkwo", "Lindqvist"]

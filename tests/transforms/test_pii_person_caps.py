"""Names written in capitals: a known first name and a known or surname-shaped word, or a title
and one word; acronyms, places, log lines and shouted sentences stay."""
from __future__ import annotations

import pytest

from transforms.pii.findings import TextView
from transforms.pii.gazetteer import load_gazetteer
from transforms.pii.recognizers import build_recognizers
from transforms.pii.recognizers.person_caps import PersonCapsRecognizer

CAPS = PersonCapsRecognizer(load_gazetteer())


def found(text):
    return [text[f.start:f.end] for f in CAPS.find(TextView(text))]


@pytest.mark.parametrize("text, values", [
    ("Ship to: HELGA BRANDT, 14 Elm Road", ["HELGA BRANDT"]),
    ("Shipping label\nOSKAR VAN DER MEULEN\nKeizersgracht 12", ["OSKAR VAN DER MEULEN"]),
    ("INSPECTOR OKONKWO: Sit down.\nWITNESS: I saw nothing.", ["OKONKWO"]),
    ("Signed, DR. HALVORSEN", ["HALVORSEN"]),
])
def test_names_in_capitals(text, values):
    assert found(text) == values


@pytest.mark.parametrize("text", [
    "NEW YORK CITY MARATHON RESULTS ARE OUT",
    "WARNING: PLEASE READ THE MANUAL BEFORE USE",
    "GRACE PERIOD ENDS FRIDAY",
    "US ARMY AND NAVY",
    "```\nERROR MARK FAILED\n```\nrun `pip install` and check the IBAN API",
])
def test_acronyms_and_shouting_stay(text):
    assert found(text) == []


def test_caps_recognizer_is_built_for_person():
    assert any(isinstance(r, PersonCapsRecognizer) for r in build_recognizers(("PERSON",), load_gazetteer()))

"""Names typed in lower case: a common first name and a known surname, or a first name coordinated
with the speaker or another first name, or a recipient before a colon; common words stay."""
from __future__ import annotations

import pytest

from transforms.pii.findings import TextView
from transforms.pii.gazetteer import load_gazetteer
from transforms.pii.recognizers import build_recognizers
from transforms.pii.recognizers.person_lowercase import PersonLowercaseRecognizer

LOWER = PersonLowercaseRecognizer(load_gazetteer())


def found(text):
    return [text[f.start:f.end] for f in LOWER.find(TextView(text, "en"))]


@pytest.mark.parametrize("text, values", [
    ("pls write a thank-you note to ellen marsh for the flowers", ["ellen marsh"]),
    ('Correct this: "me and oskar was late again"', ["oskar"]),
    ("do you think helga and oskar will like the gift", ["helga", "oskar"]),
    ("forward to helga: the train leaves at 9", ["helga"]),
    ("Contact card\nfrancisco javier montero\n+34 612 345 678", ["francisco javier montero"]),
])
def test_lower_case_names(text, values):
    assert found(text) == values


@pytest.mark.parametrize("text", [
    "me and oskar went home",  # "went" is a verb here, not a surname (oskar is found alone)
])
def test_a_verb_after_a_first_name_is_no_surname(text):
    assert found(text) == ["oskar"]


@pytest.mark.parametrize("text", [
    "the rose gold case and the grace period both matter",
    "salt and pepper, bread and butter",
    "send this to everyone: meeting at noon",
    "me and my friends went to the beach",
    "```\nmark = grace + 1\n```\nthen `python run.py`",
])
def test_common_words_stay(text):
    assert found(text) == []


def test_lowercase_recognizer_is_built_for_person():
    assert any(isinstance(r, PersonLowercaseRecognizer) for r in build_recognizers(("PERSON",), load_gazetteer()))


def test_only_english_text():
    assert LOWER.find(TextView("bu çok basit bir soru, yardım eder misin", "")) == []

"""A capitalized word that a people-only noun attaches to ("the Okonkwo family", "Tavi's birthday");
companies, places, products and eponyms stay."""
from __future__ import annotations

import pytest

from transforms.pii.findings import TextView
from transforms.pii.gazetteer import load_gazetteer
from transforms.pii.recognizers import build_recognizers
from transforms.pii.recognizers.person_nouns import PersonNounRecognizer

NOUNS = PersonNounRecognizer(load_gazetteer())


def found(text, ner=()):
    view = TextView(text, "en")
    view.ner = list(ner)
    return [text[f.start:f.end] for f in NOUNS.find(view)]


@pytest.mark.parametrize("text, values", [
    ("What flowers suit a condolence card for the Halvorsen family?", ["Halvorsen"]),
    ("Compared with the Okonkwo report, our numbers look low.", ["Okonkwo"]),
    ("I forgot Tavi's birthday again. What do I say?", ["Tavi"]),
    ("We are planning Marisol's surprise party.", ["Marisol"]),
])
def test_people_only_nouns(text, values):
    assert found(text) == values


@pytest.mark.parametrize("text, ner", [
    ("The Apple family of products includes the phone.", []),
    ("Unlike the London study, growth was slow.", [("GPE", 11, 17)]),
    ("Unlike the Gartner report, growth was slow.", [("ORG", 11, 18)]),
    ("Today's party was great. Tomorrow's wedding will be better.", []),
    ("Microsoft's party at the conference was fun.", []),
    ("The Kalman filter and the Fourier transform are standard.", []),
])
def test_companies_places_and_eponyms_stay(text, ner):
    assert found(text, ner) == []


def test_noun_recognizer_is_built_for_person():
    assert any(isinstance(r, PersonNounRecognizer) for r in build_recognizers(("PERSON",), load_gazetteer()))

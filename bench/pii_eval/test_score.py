"""Unit examples of the leak rule and checks on the shipped data.

Run with `python -m pytest bench/pii_eval` (not part of `make test`).
"""

import doctest
import re

import pytest

from bench.pii_eval import score
from bench.pii_eval.score import leaked


def span(text, value, kind, **extra):
    start = text.index(value)
    return {"type": kind, "start": start, "end": start + len(value), "value": value, **extra}


@pytest.mark.parametrize("original,output,value,kind,expected", [
    # PERSON: any name token; titles and initials do not count
    ("Call Dr. Anna Berg today", "Call Dr. [PERSON] today", "Dr. Anna Berg", "PERSON", False),
    ("Call Dr. Anna Berg today", "Call Dr. Anna [PERSON] today", "Dr. Anna Berg", "PERSON", True),
    ("Call Anna K. Berg today", "Call <NAME> K. <NAME> today", "Anna K. Berg", "PERSON", False),
    ("my friend ellen smith", "my friend ELLEN [PERSON]", "ellen smith", "PERSON", True),
    ("Ask Maaike van Dijk", "Ask <P> van <P>", "Maaike van Dijk", "PERSON", False),
    # a name token that is also used outside the span does not count
    ("Will Smith will call", "<PERSON> will call", "Will Smith", "PERSON", False),
    ("Emily's bag", "[PERSON]'s bag", "Emily", "PERSON", False),
    ("Emily's bag", "Emily's bag", "Emily", "PERSON", True),
    # numbers: 6 consecutive digits, any separators
    ("Call +49 30 1234567 now", "Call 030/123 45 67 now", "+49 30 1234567", "PHONE_NUMBER", True),
    ("Call +49 30 1234567 now", "Call [PHONE] now", "+49 30 1234567", "PHONE_NUMBER", False),
    ("card 4111 1111 1111 1234", "card **** **** **** 1234", "4111 1111 1111 1234", "CREDIT_CARD", False),
    ("card 4111 1111 1111 1234", "card 411111******1234", "4111 1111 1111 1234", "CREDIT_CARD", True),
    ("IBAN DE89370400440532013000", "IBAN DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "IBAN_CODE", True),
    ("SSN 078-05-1120.", "SSN [US_SSN].", "078-05-1120", "US_SSN", False),
    # e-mail: address or local part
    ("mail anna.berg@example.org", "mail anna.berg@[DOMAIN]", "anna.berg@example.org", "EMAIL_ADDRESS", True),
    ("mail anna.berg@example.org", "mail [EMAIL]", "anna.berg@example.org", "EMAIL_ADDRESS", False),
    # IP: any textual form of the same address
    ("from 2001:db8::1 again", "from 2001:0db8:0:0:0:0:0:1 again", "2001:db8::1", "IP_ADDRESS", True),
    ("from 8.8.4.4 again", "from [IP] again", "8.8.4.4", "IP_ADDRESS", False),
    ("IP 2a00:1450::1. Is it", "IP 2a00:1450::1. Is it", "2a00:1450::1", "IP_ADDRESS", True),
    ("Hi Lo, the IBAN", "Hi Lo, the IBAN", "Lo", "PERSON", True),
    # CJK names have no spaces around them
    ("我是王小明，你好", "我是[PERSON]，你好", "王小明", "PERSON", False),
    ("我是王小明，你好", "我是王小明，你好", "王小明", "PERSON", True),
    # Russian inflection
    ("подруга Анна Иванова", "для Анны Ивановой", "Анна Иванова", "PERSON", True),
])
def test_leak_rule(original, output, value, kind, expected):
    assert leaked(original, output, span(original, value, kind)) is expected


def test_street_address_needs_street_name_not_city():
    text = "Send it to 12 Kramer Court\nSpringfield, IL 62704 please"
    parts_text = "12 Kramer Court\nSpringfield, IL 62704"
    base = text.index(parts_text)
    parts = [{"label": lab, "start": base + s, "end": base + e, "value": parts_text[s:e]}
             for lab, s, e in [("building_number", 0, 2), ("street_name", 3, 15),
                               ("city", 16, 27), ("state_abbr", 29, 31), ("postcode", 32, 37)]]
    sp = span(text, parts_text, "STREET_ADDRESS", parts=parts)
    assert leaked(text, "Send it to [ADDRESS]\nSpringfield, IL 62704 please", sp) is False
    assert leaked(text, "Send it to 12 [STREET] Court\nSpringfield please", sp) is False
    assert leaked(text, "Send it to [NUM] Kramer Court\n[CITY] please", sp) is True
    # without parts the first line is the street line
    plain = {k: v for k, v in sp.items() if k != "parts"}
    assert leaked(text, "Send it to <ADDR>\nSpringfield, IL 62704 please", plain) is False


def test_other_spans_decide_what_is_outside():
    text = "Jordan Lee lives on Jordan Street"
    person = span(text, "Jordan Lee", "PERSON")
    street = {"type": "STREET_ADDRESS", "start": 20, "end": 33, "value": "Jordan Street"}
    # "Jordan" occurs only inside PII spans, so it counts when it survives
    assert leaked(text, "[P] lives on Jordan Street", person, [person, street]) is True


def test_unknown_type_is_an_error():
    with pytest.raises(ValueError, match="LOCATION"):
        leaked("in Paris", "in Paris", {"type": "LOCATION", "start": 3, "end": 8, "value": "Paris"})


def test_doctests():
    assert doctest.testmod(score).failed == 0


@pytest.mark.parametrize("kind", score.KINDS)
def test_data_offsets_and_splits(kind):
    tune, heldout = score.load(kind, "tune"), score.load(kind, "heldout")
    assert tune and heldout
    assert not {r["id"] for r in tune} & {r["id"] for r in heldout}
    for rec in tune + heldout:
        if kind == "pii":
            for s in rec["spans"]:
                assert rec["text"][s["start"]:s["end"]] == s["value"], rec["id"]
        elif kind == "replies":
            for o in rec["pii"]:
                content = rec["messages"][o["message_index"]]["content"]
                assert content[o["start"]:o["end"]] == o["value"], rec["id"]


def test_identity_scrubber_leaks_everything_and_keeps_technical_text():
    for rec in score.load("pii", "heldout") + score.load("pii", "tune"):
        for s in rec["spans"]:
            if s["type"] in score.SCORED:
                assert leaked(rec["text"], rec["text"], s, rec["spans"]), (rec["id"], s)
    for rec in score.load("replies", "heldout") + score.load("replies", "tune"):
        for occ in rec["pii"]:
            content = rec["messages"][occ["message_index"]]["content"]
            same = [o for o in rec["pii"] if o["message_index"] == occ["message_index"]]
            assert leaked(content, content, occ, same), (rec["id"], occ)
    tech = score.evaluate_technical(lambda texts: texts, "heldout")
    assert tech["identical_share"] == 1.0


def test_technical_texts_hold_no_email_outside_reserved_domains():
    for split in score.SPLITS:
        for rec in score.load("technical", split):
            for domain in re.findall(r"[\w.+-]+@([\w-]+\.[\w.-]+)", rec["text"]):
                assert domain.startswith(("example.", "localhost")) or re.match(r"[\d.]+$", domain), \
                    (rec["id"], domain)


def test_extra_tune_replies_are_all_tune_with_ids_apart_and_exact_offsets():
    extra = score.load("replies", "tune_extra")
    assert len(extra) >= 1000
    ids = [r["id"] for r in extra]
    assert len(set(ids)) == len(ids)
    main = {r["id"] for split in score.SPLITS for r in score.load("replies", split)}
    assert not set(ids) & main
    assert all(r["split"] == "tune_extra" for r in extra)
    for rec in extra:
        for o in rec["pii"]:
            content = rec["messages"][o["message_index"]]["content"]
            assert content[o["start"]:o["end"]] == o["value"], rec["id"]
    with pytest.raises(ValueError):
        score.load("pii", "tune_extra")

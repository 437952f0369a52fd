"""Zero-width and bidi characters inside or around PII do not hide it from the scrubber, and
the rest of the message keeps them as sent."""
from __future__ import annotations

import pytest

from transforms.pii.invisible import to_original, visible


def test_spans_found_in_the_visible_text_cover_the_same_characters_in_the_original():
    text = "a\u200bb c\u202ed\u200de\u202cf"
    assert visible(text) == "ab cdef"
    # "ab" -> covers the zero-width space inside; "de" -> covers the joiner inside, not the
    # override before it or the pop after it.
    assert to_original(text, [(0, 2), (4, 6)]) == [(0, 3), (6, 9)]
    assert to_original("plain", [(1, 3)]) == [(1, 3)]


@pytest.mark.parametrize("text, value, placeholder", [
    ("write to jo\u200bhn.do\u200de@exam\ufeffple-mail.net today", "john.doe@example-mail.net",
     "write to [EMAIL_ADDRESS_1] today"),
    ("my number is \u2066+1 415 555 0134\u2069 call me", "+1 415 555 0134",
     "my number is \u2066[PHONE_NUMBER_1]\u2069 call me"),
    ("card \u202e4111 1111 1111 1111\u202c thanks", "4111 1111 1111 1111",
     "card \u202e[CREDIT_CARD_1]\u202c thanks"),
])
def test_invisible_characters_do_not_hide_pii(pii_scrubber, text, value, placeholder):
    conv = {"conversation_id": "1-1", "messages": [{"role": "user", "content": text, "language_code": "en"}]}
    out = pii_scrubber.scrub_conversations([conv]).conversations[0]["messages"][0]
    assert out["content"] == placeholder and out["redacted"] is True
    assert value not in visible(out["content"])

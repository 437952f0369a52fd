"""Language detection: cleaning, short text, code, determinism, the labeled set, the transform."""
from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.config import LanguageConfig
from tests.data.language_set import NO_LANGUAGE, SET
from transforms.language import (
    DetectLanguage, LanguageDetector, annotate_languages, clean_for_detection,
    conversation_language, script_language,
)


_SHARED = []


def shared_detector():
    """One detector for the module: building one loads langdetect's 55 profiles (~1 s)."""
    if not _SHARED:
        _SHARED.append(LanguageDetector(seed=0))
    return _SHARED[0]


@pytest.fixture
def detector():
    return shared_detector()


def conv(*messages):
    roles = ["user", "assistant"]
    return {"conversation_id": "c", "orphan": False,
            "messages": [{"role": roles[i % 2], "content": text} for i, text in enumerate(messages)]}


def test_cleaning_removes_code_urls_emails_and_digit_runs():
    text = ("Fix `x = 1` here:\n```py\nprint('hola amigos como estan')\n```\nsee https://a.io/x?y=1 "
            "or write to ana@example.org, order 1234-5678-9012")
    assert clean_for_detection(text) == "Fix here: see or write to , order"


def test_unique_scripts_decide_short_text():
    assert script_language("你好") == "zh"
    assert script_language("ありがとう") == "ja"
    assert script_language("東京へ行きます") == "ja"  # kana with kanji is Japanese
    assert script_language("고마워요") == "ko"
    assert script_language("спасибо") is None  # Cyrillic names several languages
    assert script_language("thanks") is None


@pytest.mark.parametrize("text", ["hi", "ok", "thanks!", "lol"])
def test_short_latin_text_is_not_trusted_to_the_detector(detector, text):
    code, rule, _ = detector.detect(text)
    assert (code, rule) == (None, "short")  # langdetect says "hi" is Swahili


@pytest.mark.parametrize("lang, kind, text", [s for s in SET if s[1] != "short"],
                         ids=lambda v: v if isinstance(v, str) and len(v) < 6 else None)
def test_labeled_messages_get_their_language(detector, lang, kind, text):
    assert detector.detect(text)[0] == lang


@pytest.mark.parametrize("lang, kind, text", [s for s in SET if s[1] == "short"],
                         ids=lambda v: v if isinstance(v, str) and len(v) < 6 else None)
def test_short_messages_take_the_language_of_their_conversation(lang, kind, text):
    prose = next(t for l, k, t in SET if l == lang and k == "prose")
    [out] = run_transform([conv(prose, "ok", text)])
    assert out["messages"][2]["language_code"] == lang
    assert out["language_code"] == lang


@pytest.mark.parametrize("text", NO_LANGUAGE)
def test_messages_without_language_take_the_conversation_language(text):
    prose = next(t for l, k, t in SET if l == "de" and k == "prose")
    [out] = run_transform([conv(prose, "Gern, hier ist die Antwort auf deine Frage zum Mond.", text)])
    assert [m["language"] for m in out["messages"]] == ["German"] * 3


def test_a_conversation_with_no_language_is_unknown():
    [out] = run_transform([conv("hi", "```\nls -la\n```")])
    assert (out["language"], out["language_code"]) == ("Unknown", "und")
    assert {m["language_code"] for m in out["messages"]} == {"und"}


def test_conversation_language_is_weighted_by_letters():
    assert conversation_language([("en", 20), ("en", 25), ("fr", 300)]) == "fr"
    assert conversation_language([("en", 50), ("fr", 50)]) == "en"  # tie: the earliest
    assert conversation_language([(None, 3)]) is None


def test_only_user_messages_decide_the_conversation_language():
    reply = "Sure! Here is a long answer in English about the tides and the moon, with details."
    [out] = run_transform([conv("Объясни, пожалуйста, как работают приливы и отливы.", reply)])
    assert out["language"] == "Russian"
    assert out["messages"][1]["language"] == "English"


def test_detection_repeats_across_fresh_detectors():
    texts = [t for _, _, t in SET] + ["ich bin ein Berliner und du bist nicht"]
    one, other = LanguageDetector(seed=0), LanguageDetector(seed=0)
    first = [one.detect(t) for t in texts]
    assert [other.detect(t) for t in reversed(texts)] == first[::-1]


def test_identical_texts_are_detected_once(detector):
    text = "Bonjour, pourrais-tu m'expliquer comment fonctionne la photosynthèse ?"
    before = detector.cache_hits
    assert detector.detect(text) == detector.detect(text)
    assert detector.cache_hits == before + 1


def run_transform(convs):
    return [annotate_languages(c, shared_detector())[0] for c in convs]


def test_the_beam_transform_sets_fields_and_stats():
    text = next(t for l, k, t in SET if l == "es" and k == "prose")

    def summary(c):
        return (c["language"], c["language_code"], [m["language"] for m in c["messages"]],
                sorted(c["stats"].items()))

    with TestPipeline() as p:
        out = p | beam.Create([conv(text, "gracias")]) | DetectLanguage(LanguageConfig())
        assert_that(out | beam.Map(summary), equal_to([(
            "Spanish", "es", ["Spanish", "Spanish"],
            [("language.conversations.Spanish", 1), ("language.messages_by_rule.conversation", 1),
             ("language.messages_by_rule.detector", 1)])]))

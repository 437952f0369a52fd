"""The OpenAI Moderation client against a fake server on 127.0.0.1 that fails on a schedule."""
import random

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that

from pipelines.config import OpenAIModerationConfig, ToxicityConfig
from tests.transforms.fake_moderation import FakeModeration
from transforms.toxicity.openai_moderation import (CATEGORIES, ModerationAuthError, ModerationCache,
                                                   ModerationClient, RateLimiter, merge_entries,
                                                   split_text, to_entry)
from transforms.toxicity.transform import TagToxicity


def client(fake, cache=None, sleeps=None, **kw):
    # no rate limit unless a test asks (the fake sleep does not advance the clock, so a limit
    # would add its own short waits to `sleeps`)
    params = dict(batch_size=4, requests_per_minute=float("inf"), max_retries=4, timeout_seconds=0.4,
                  backoff_seconds=1.0, max_backoff_seconds=8.0, max_input_chars=200,
                  cache=cache, rng=random.Random(3))
    params.update(kw)
    sleeps = [] if sleeps is None else sleeps
    return ModerationClient(fake.url, "omni-moderation-latest", fake.key, sleep=sleeps.append, **params)


TEXTS = ["hello there", "I will do VIOLENT things", "what a HATEFUL remark", "nice weather",
         "hello there", "how do I bake bread", "tell me a story"]


def test_failures_are_retried_with_backoff_and_every_text_is_scored(tmp_path):
    sleeps = []
    with FakeModeration(schedule=["429", "500", "slow", "500"], slow_seconds=1.0) as fake:
        c = client(fake, ModerationCache(str(tmp_path / "cache.sqlite")), sleeps)
        entries = c.moderate(TEXTS)
    assert [e["flagged"] for e in entries] == [False, True, True, False, False, False, False]
    assert entries[1]["categories"]["violence"] is True and entries[1]["category_scores"]["violence"] == 0.93
    # 6 distinct texts in batches of 4: 2 batches, the first one failed 4 times before it passed
    statuses = [status for status, _ in fake.requests]
    assert statuses == [429, 500, "slow", 500, 200, 200]
    assert c.stats["retries"] == 4 and c.stats["failed_inputs"] == 0
    # full-jitter exponential backoff: attempt n waits at most min(8, 2**n) seconds
    assert len(sleeps) == 4 and all(0 <= s <= min(8.0, 2 ** n) for n, s in enumerate(sleeps))
    # every distinct text answered exactly once (the duplicate "hello there" was sent once)
    assert sorted(fake.answered_inputs()) == sorted(set(TEXTS))


def test_a_rerun_with_the_cache_sends_nothing(tmp_path):
    path = str(tmp_path / "cache.sqlite")
    with FakeModeration() as fake:
        first = client(fake, ModerationCache(path)).moderate(TEXTS)
        n = len(fake.requests)
        again = client(fake, ModerationCache(path)).moderate(TEXTS + ["one new text"])
    assert again[:-1] == first
    assert fake.requests[n:] == [(200, ["one new text"])]


def test_long_inputs_are_split_scored_and_merged():
    text = ("calm words " * 30) + "then VIOLENT words " + ("more calm words " * 20)
    with FakeModeration() as fake:
        [entry] = client(fake, max_input_chars=120).moderate([text])
    sent = fake.answered_inputs()
    assert len(sent) > 1 and all(len(p) <= 120 for p in sent) and "".join(sent) == text
    assert entry["flagged"] is True and entry["categories"]["violence"] is True
    assert entry["category_scores"]["violence"] == 0.93 and entry["categories"]["hate"] is False


def test_texts_still_failing_after_the_retries_stay_unscored():
    with FakeModeration(schedule=["500"] * 10) as fake:
        c = client(fake, max_retries=2)
        assert c.moderate(["a", "b"]) == [None, None]
    assert len(fake.requests) == 3 and c.stats["failed_inputs"] == 2


def test_a_refused_key_stops_the_run_without_showing_the_key():
    with FakeModeration() as fake:
        c = ModerationClient(fake.url, "omni-moderation-latest", "sk-wrong-secret-value", sleep=lambda s: None)
        with pytest.raises(ModerationAuthError, match="HTTP 401") as err:
            c.moderate(["hello"])
    assert "sk-wrong-secret-value" not in str(err.value)


def test_requests_are_spaced_by_the_rate_limit():
    now, sleeps = [0.0], []

    def sleep(s):
        sleeps.append(s)
        now[0] += s
    limiter = RateLimiter(120, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limiter.wait()
    assert sleeps == [0.5, 0.5, 0.5]


def test_split_keeps_every_character_and_cuts_at_whitespace():
    text = "word " * 100
    parts = split_text(text, 64)
    assert "".join(parts) == text and all(len(p) <= 64 for p in parts)
    assert all(p.endswith(" ") for p in parts[:-1])
    assert split_text("x" * 150, 64) == ["x" * 64, "x" * 64, "x" * 22]
    assert split_text("short", 64) == ["short"]


def test_entries_carry_wildchat_names_and_merge_like_wildchat():
    a = to_entry({"flagged": False, "categories": {"self-harm/intent": False},
                  "category_scores": {"self-harm/intent": 0.2}})
    b = to_entry({"flagged": True, "categories": {"self-harm/intent": True},
                  "category_scores": {"self-harm/intent": 0.7}})
    assert set(a["categories"]) == set(CATEGORIES) and "self_harm_intent" in CATEGORIES
    assert a["categories"]["illicit"] is None  # text-moderation-latest has no illicit category
    merged = merge_entries([a, b])
    assert merged["flagged"] is True
    assert merged["categories"]["self-harm/intent"] is merged["categories"]["self_harm_intent"] is True
    assert merged["category_scores"]["self_harm_intent"] == 0.7


def test_the_pipeline_scores_every_message_through_the_fake_server(tmp_path, monkeypatch):
    conversations = [
        {"conversation_id": "1-2", "messages": [
            {"role": "user", "content": "I will do VIOLENT things", "language_code": "en", "toxic": None},
            {"role": "assistant", "content": "Please don't.", "language_code": "en", "toxic": None}]},
        {"conversation_id": "3-3", "messages": [
            {"role": "user", "content": "bonjour, ça va ?", "language_code": "fr", "toxic": None},
            {"role": "assistant", "content": "", "language_code": "fr", "toxic": None}]},
    ]
    with FakeModeration(schedule=["429", "slow"], slow_seconds=1.0) as fake:
        monkeypatch.setenv("FAKE_MODERATION_KEY", fake.key)
        config = ToxicityConfig(backends=("openai_moderation_v1",), openai=OpenAIModerationConfig(
            url=fake.url, api_key_env="FAKE_MODERATION_KEY", timeout_seconds=0.4, backoff_seconds=0.01,
            cache_path=str(tmp_path / "cache.sqlite")))

        def check(convs):
            got = {c["conversation_id"]: c for c in convs}
            assert got["1-2"]["toxic"] is True and got["3-3"]["toxic"] is False
            assert [m["toxic"] for m in got["1-2"]["messages"]] == [True, False]
            empty = got["3-3"]["messages"][1]["openai_moderation"]
            assert empty == {"categories": None, "category_scores": None, "flagged": None}
            assert got["3-3"]["messages"][0]["openai_moderation"]["flagged"] is False

        with TestPipeline() as p:
            out = (p | beam.Create(conversations) | TagToxicity(config)).conversations
            assert_that(out, check)
    assert sorted(fake.answered_inputs()) == ["I will do VIOLENT things", "Please don't.", "bonjour, ça va ?"]

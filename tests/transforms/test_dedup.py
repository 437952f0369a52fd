"""Duplicate detection: what counts as exact and near, the representative rule, and that hot
prompts are salted (no group holds a big cluster)."""
import datetime as dt
import json

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline

from transforms.dedup import STATS, SIZES, MarkDuplicates
from transforms.dedup_core import (MinHasher, exact_key, jaccard, lsh_params, normalise,
                                   prompt_words, sort_key)

T0 = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
PROMPT = ("Write a friendly email to my landlord Peter asking him to repair the broken heating "
          "in the living room before the weekend")


def conv(cid, minutes, prompt, reply="Sure, here it is.", **extra):
    return {"conversation_id": cid, "timestamp": T0 + dt.timedelta(minutes=minutes),
            "conversation": [{"role": "user", "content": prompt},
                             {"role": "assistant", "content": reply}], **extra}


# -- the pure core ------------------------------------------------------------------------------

def test_exact_key_ignores_case_and_spacing_but_not_punctuation_or_roles():
    a = [{"role": "user", "content": "Hello  World"}, {"role": "assistant", "content": "Hi"}]
    b = [{"role": "user", "content": " hello world\n"}, {"role": "assistant", "content": "HI"}]
    assert exact_key(a) == exact_key(b)
    assert exact_key(a) != exact_key([{"role": "user", "content": "Hello, World"}, a[1]])
    assert exact_key(a) != exact_key([{"role": "system", "content": "Hello World"}, a[1]])
    assert normalise("Ｈｅｌｌｏ\t\tTHERE ") == "hello there"  # NFKC folds full-width letters


def test_prompt_words_are_a_set_of_words_without_punctuation():
    assert prompt_words("Hello, world! World... hello?") == ["hello", "world"]
    assert prompt_words("b a c") == prompt_words("c, b; a.")
    assert prompt_words("用Python写代码") == ["python", "代", "写", "用", "码"]  # one word per ideograph
    assert prompt_words("") == [] and prompt_words(None) == []


def test_signatures_estimate_jaccard_and_share_bands_when_similar():
    bands, rows = lsh_params(0.7, 128)
    assert (bands, rows) == (14, 9)
    hasher = MinHasher(128, 1, bands, rows)
    a = prompt_words(PROMPT)
    reordered = prompt_words(" ".join(reversed(PROMPT.split())))
    renamed = prompt_words(PROMPT.replace("Peter", "Margaret"))
    other = prompt_words("Explain the difference between a list and a tuple in Python with examples")
    sig = {k: hasher.signature(w) for k, w in
           (("a", a), ("reordered", reordered), ("renamed", renamed), ("other", other))}
    assert jaccard(sig["a"].tobytes(), sig["reordered"].tobytes()) == 1.0
    true = len(set(a) & set(renamed)) / len(set(a) | set(renamed))  # 19/21
    assert abs(jaccard(sig["a"].tobytes(), sig["renamed"].tobytes()) - true) < 0.15
    assert jaccard(sig["a"].tobytes(), sig["other"].tobytes()) < 0.3
    assert set(hasher.band_keys(sig["a"])) == set(hasher.band_keys(sig["reordered"]))
    assert not set(hasher.band_keys(sig["a"])) & set(hasher.band_keys(sig["other"]))
    # fixed seed: the same signature in another process or run
    assert (MinHasher(128, 1, bands, rows).signature(a) == sig["a"]).all()


def test_representative_rule_is_earliest_then_smallest_id():
    assert sort_key(T0, "9-9") < sort_key(T0 + dt.timedelta(microseconds=1), "1-1")
    assert sort_key(T0, "1-1") < sort_key(T0, "1-2")
    assert sort_key(T0, "9-9") < sort_key(None, "1-1")  # undated rows come last


# -- the transform ------------------------------------------------------------------------------

def _flags(row):
    return row["conversation_id"], row["duplicate_exact"], row["duplicate_near"], row["duplicate_of"]


def _run(rows, tmp_path, **kwargs):
    """(flags, stats dict, largest group per step) of MarkDuplicates over `rows`."""
    with TestPipeline() as p:
        out = p | beam.Create(rows) | MarkDuplicates(**kwargs)
        for name, pcoll in (("flags", out["rows"] | "Flags" >> beam.Map(_flags)),
                            ("stats", out[STATS] | "SumStats" >> beam.CombinePerKey(sum)),
                            ("sizes", out[SIZES] | "MaxSizes" >> beam.CombinePerKey(max))):
            _ = (pcoll | f"Json_{name}" >> beam.Map(json.dumps)
                 | f"Write_{name}" >> beam.io.WriteToText(str(tmp_path / name), num_shards=1,
                                                          shard_name_template=""))

    def read(name):
        return [tuple(json.loads(line)) for line in (tmp_path / name).read_text().splitlines()]
    return sorted(read("flags")), dict(read("stats")), dict(read("sizes"))


def test_exact_and_near_duplicates_keep_the_earliest_conversation(tmp_path):
    rows = [
        conv("1-1", 10, PROMPT),                                        # near copy of 3-3
        conv("2-2", 20, PROMPT.upper() + "  "),                         # exact copy of 1-1
        conv("3-3", 5, " ".join(reversed(PROMPT.split()))),             # earliest: kept
        conv("4-4", 30, PROMPT.replace("Peter", "Margaret") + "!!!"),   # renamed, punctuated
        conv("5-5", 1, "Explain the difference between a list and a tuple in Python"),
        conv("6-6", 2, "hi", reply="Hello! How can I assist you today?"),
        conv("7-7", 3, "hi", reply="Hello! How can I assist you today?"),  # exact copy of 6-6
        conv("8-8", 4, "hi", reply="Hello! What would you like to talk about?"),  # short: no near
    ]
    flags, stats, _ = _run(rows, tmp_path)
    assert flags == [
        ("1-1", False, True, "3-3"),
        ("2-2", True, True, "1-1"),
        ("3-3", False, False, None),
        ("4-4", False, True, "3-3"),
        ("5-5", False, False, None),
        ("6-6", False, False, None),
        ("7-7", True, False, "6-6"),
        ("8-8", False, False, None),
    ]
    assert stats["duplicates.rows"] == 8 and stats["duplicates.exact"] == 2
    assert stats["duplicates.near"] == 3 and stats["duplicates.duplicate"] == 4
    assert stats.get("duplicates.without_verdict", 0) == 0


def test_a_chain_of_candidates_does_not_merge_unlike_prompts(tmp_path):
    # Each prompt shares most words with the next, but the ends of the chain are unlike: a
    # member is flagged only when it is similar to the label it points to.
    words = [f"word{i}" for i in range(40)]
    rows = [conv(f"{i}-{i}", i, " ".join(words[i * 3:i * 3 + 12])) for i in range(6)]
    flags, stats, _ = _run(rows, tmp_path, threshold=0.7)
    for cid, exact, near, of in flags:
        assert not exact and not near and of is None  # 9/15 shared words: below 0.7


def test_withheld_rows_take_no_part(tmp_path):
    rows = [conv("1-1", 1, PROMPT, toxic=None,
                 openai_moderation=[{"categories": {"sexual/minors": True}, "flagged": True}]),
            conv("2-2", 2, PROMPT)]
    flags, stats, _ = _run(rows, tmp_path, never_release=("sexual_minors",))
    assert flags == [("1-1", None, None, None), ("2-2", False, False, None)]
    assert stats["duplicates.rows"] == 1


def test_a_hot_prompt_is_salted_so_no_group_holds_its_cluster(tmp_path):
    # 600 users paste the same prompt (then say different things); with hot keys at 64 items
    # each grouping step holds about 64 of them, never the 600.
    rows = [{"conversation_id": f"{i}-{i}", "timestamp": T0 + dt.timedelta(seconds=i),
             "conversation": [{"role": "user", "content": PROMPT},
                              {"role": "assistant", "content": f"reply {i}"},
                              {"role": "user", "content": f"and now number {i}"},
                              {"role": "assistant", "content": "ok"}]} for i in range(600)]
    flags, stats, sizes = _run(rows, tmp_path, hot_key_items=64)
    assert flags[0] == ("0-0", False, False, None)
    assert all(near and of == "0-0" and not exact for _, exact, near, of in flags[1:])
    assert stats["duplicates.near"] == 599 and stats.get("duplicates.exact", 0) == 0
    assert set(sizes) >= {"exact", "near_bucket", "near_node", "near_verify"}
    assert max(sizes.values()) < 200, sizes  # 600 / ceil(600 / 64) = 60 per salt, plus hash noise


@pytest.mark.parametrize("bad", [dict(threshold=0), dict(num_perm=0), dict(rounds=0),
                                 dict(min_words=True)])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        MarkDuplicates(**bad)


def test_a_hot_exact_conversation_is_salted_too(tmp_path):
    # "hi" -> "Hello! ..." 300 times: exact duplicates of the earliest, the prompt too short
    # for near detection; the exact join holds about 64 of them per group.
    rows = [conv(f"{i}-{i}", i, "hi", reply="Hello! How can I assist you today?") for i in range(300)]
    flags, stats, sizes = _run(rows, tmp_path, hot_key_items=64)
    assert flags[0] == ("0-0", False, False, None)
    assert all(exact and not near and of == "0-0" for _, exact, near, of in flags[1:])
    assert stats["duplicates.exact"] == 299 and "duplicates.near" not in stats
    assert 0 < sizes["exact"] < 150, sizes

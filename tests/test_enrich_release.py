"""Geo, toxicity and variants in the sample release (reuses the session's sample run)."""
from __future__ import annotations


COMMON = {"en", "zh", "ru", "fr", "es", "de", "pt", "it", "ja", "ko", "ar", "tr"}


def test_the_manifest_names_the_geo_database_and_toxicity_backends(sample_release):
    _, manifest, _ = sample_release
    assert manifest["geo"]["database"]["build_date"] == "2018-07-03"
    assert manifest["strategies"]["geo"] == "maxmind_v1"
    tox = manifest["toxicity"]
    assert tox["backends"] == ["ngram_tox_v1", "profanity_check_v1"] and tox["rule"] == "any"
    judged = set(tox["languages"]["ngram_tox_v1"])
    assert len(judged & COMMON) >= 10 and tox["languages"]["profanity_check_v1"] == ["en"]
    model = tox["models"]["ngram_tox_v1"]
    assert len(model["weights_sha256"]) == 64 and len(model["eval_sha256"]) == 64
    assert set(model["heldout"]) == judged  # measured = judged
    assert set(model["clean_chat_flagged"]) == judged  # and its cost in clean chat, per language
    geo = {k: v for k, v in manifest["stats"].items() if k.startswith("geo.turns.")}
    assert sum(geo.values()) == manifest["counts"]["input_records"] - manifest["counts"]["deadletter"]


def test_messages_in_every_judged_language_get_a_verdict_and_the_rest_stay_null_and_counted(
        sample_rows, sample_release):
    _, manifest, _ = sample_release
    judged = set(manifest["toxicity"]["languages"]["ngram_tox_v1"])
    messages = [(r, i, m) for r in sample_rows for i, m in enumerate(r["conversation"])]
    seen = set()
    for r, i, m in messages:
        entry = r["ngram_toxicity_moderation"][i] if r["ngram_toxicity_moderation"] else None
        english = r["profanity_check_moderation"][i] if r["profanity_check_moderation"] else None
        if m["content"].strip() == "":
            assert m["toxic"] is False
        elif m["language_code"] in judged:
            assert m["toxic"] in (True, False) and 0 <= entry["toxicity"] <= 1
            assert (english is not None) is (m["language_code"] == "en")
            seen.add(m["language_code"])
        else:
            assert m["toxic"] is None and entry is None and english is None
    sample_langs = {m["language_code"] for _, _, m in messages} & judged
    assert seen == sample_langs and len(seen) >= 6  # every judged language of the sample
    unjudged = sum(v for k, v in manifest["stats"].items() if k.startswith("toxicity.messages.unjudged."))
    assert unjudged == sum(1 for _, _, m in messages if m["toxic"] is None)
    for r in sample_rows:
        flags = [m["toxic"] for m in r["conversation"]]
        assert r["toxic"] is (True if True in flags else False if all(f is False for f in flags) else None)
        assert r["openai_moderation"] is None and r["detoxify_moderation"] is None


def test_the_planted_insults_are_flagged_and_nontoxic_keeps_other_languages(sample_release):
    """The generator appends an English insult to some user messages (tools/phrasebook.py
    TOXIC), in conversations of every language."""
    import pyarrow.parquet as pq
    from tests.conftest import current_files
    from tools.phrasebook import TOXIC

    out, manifest, _ = sample_release
    full = pq.read_table(current_files(out, "full")).to_pylist()
    planted = [m for r in full for m in r["conversation"]
               if m["role"] == "user" and any(t in m["content"] for t in TOXIC)]
    assert planted and sum(m["toxic"] is True for m in planted) >= 0.8 * len(planted)
    nontoxic = pq.read_table(current_files(out, "nontoxic")).to_pylist()
    assert all(r["toxic"] is False for r in nontoxic)
    langs = {r["language_code"] for r in nontoxic}
    assert "en" in langs and len(langs - {"en"}) >= 3


def test_turns_from_public_ips_get_their_country_and_the_conversation_its_most_common_place(sample_rows):
    """About 30% of the sample's users come from networks the bundled database places
    (tools/generate.py PUBLIC_V4/PUBLIC_V6); documentation-range IPs stay unplaced."""
    import collections

    places = {("United States", "Minnesota"), ("Netherlands", "North Holland"),
              ("Sweden", "Stockholm"), ("China", "Shanghai")}
    placed = 0
    for r in sample_rows:
        turns = [(m["country"], m["state"]) for m in r["conversation"] if m["role"] == "user"
                 and m["turn_identifier"] is not None]
        assert set(turns) <= places | {(None, None)}
        counts = collections.Counter(turns)
        best = max(counts.values())
        assert (r["country"], r["state"]) == next(t for t in turns if counts[t] == best)
        placed += r["country"] is not None
    assert 0.1 * len(sample_rows) < placed < 0.6 * len(sample_rows)

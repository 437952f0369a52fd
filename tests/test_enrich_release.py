"""Geo, toxicity and variants in the sample release (reuses the session's sample run)."""
from __future__ import annotations


def test_the_manifest_names_the_geo_database_and_toxicity_backends(sample_release):
    _, manifest, _ = sample_release
    assert manifest["geo"]["database"]["build_date"] == "2018-07-03"
    assert manifest["strategies"]["geo"] == "maxmind_v1"
    assert manifest["toxicity"]["backends"] == ["profanity_check_v1"]
    assert manifest["toxicity"]["languages"] == {"profanity_check_v1": ["en"]}
    geo = {k: v for k, v in manifest["stats"].items() if k.startswith("geo.turns.")}
    assert sum(geo.values()) == manifest["counts"]["input_records"] - manifest["counts"]["deadletter"]


def test_english_messages_are_judged_and_other_languages_stay_null_and_counted(sample_rows, sample_release):
    _, manifest, _ = sample_release
    messages = [(r, i, m) for r in sample_rows for i, m in enumerate(r["conversation"])]
    for r, i, m in messages:
        entry = r["profanity_check_moderation"][i] if r["profanity_check_moderation"] else None
        if m["content"].strip() == "":
            assert m["toxic"] is False
        elif m["language_code"] == "en":
            assert m["toxic"] in (True, False) and entry is not None
        else:
            assert m["toxic"] is None and entry is None
    unjudged = sum(v for k, v in manifest["stats"].items() if k.startswith("toxicity.messages.unjudged."))
    assert unjudged == sum(1 for _, _, m in messages if m["toxic"] is None) > 0
    for r in sample_rows:
        flags = [m["toxic"] for m in r["conversation"]]
        assert r["toxic"] is (True if True in flags else False if all(f is False for f in flags) else None)
        assert r["openai_moderation"] is None and r["detoxify_moderation"] is None


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

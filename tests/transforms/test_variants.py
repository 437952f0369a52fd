"""Release variants: named subsets of full, a never-release rule for all, reasons counted."""
import collections

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.config import ConfigError, load_config
from transforms.variant_rules import check_variants, variant_reasons
from transforms.variants import STATS, SplitVariants

VARIANTS = {"full": [], "nontoxic": ["toxic", "unjudged"]}


def row(cid, toxic, minors=False):
    entry = {"categories": {"sexual/minors": minors}, "category_scores": None, "flagged": minors}
    return {"conversation_id": cid, "toxic": toxic, "orphan": False,
            "openai_moderation": [None, entry]}


def test_a_clean_conversation_is_in_every_variant():
    assert variant_reasons(row("a", False), VARIANTS, ("sexual_minors",)) == {"full": None, "nontoxic": None}


def test_toxic_and_unjudged_conversations_leave_nontoxic_only():
    assert variant_reasons(row("b", True), VARIANTS) == {"full": None, "nontoxic": "toxic"}
    assert variant_reasons(row("c", None), VARIANTS) == {"full": None, "nontoxic": "unjudged"}


def test_never_release_removes_a_conversation_from_every_variant():
    assert variant_reasons(row("d", True, minors=True), VARIANTS, ("sexual_minors",)) == {
        "full": "sexual_minors", "nontoxic": "sexual_minors"}
    # without the rule it is only toxic
    assert variant_reasons(row("d", True, minors=True), VARIANTS, ()) == {"full": None, "nontoxic": "toxic"}


def test_variants_are_subsets_of_full_and_every_departure_has_a_reason():
    rows = [row("a", False), row("b", True), row("c", None), row("d", True, minors=True), row("e", False)]

    def check_stats(stats):
        counts = collections.Counter(name for name, _ in stats)
        assert counts == {"variants.full.rows": 4, "variants.nontoxic.rows": 2,
                          "variants.full.left.sexual_minors": 1, "variants.nontoxic.left.sexual_minors": 1,
                          "variants.nontoxic.left.toxic": 1, "variants.nontoxic.left.unjudged": 1,
                          "never_release.sexual_minors": 1}

    with TestPipeline() as p:
        out = p | beam.Create(rows) | SplitVariants(VARIANTS, ("sexual_minors",))
        ids = out.rows | beam.Map(lambda kv: (kv[0], kv[1]["conversation_id"]))
        assert_that(ids, equal_to([("full", "a"), ("full", "b"), ("full", "c"), ("full", "e"),
                                   ("nontoxic", "a"), ("nontoxic", "e")]))
        assert_that(out[STATS], check_stats, label="Stats")


def test_bad_variants_are_refused_with_the_bad_value(tmp_path):
    with pytest.raises(ValueError, match="'spicy'"):
        check_variants({"full": [], "x": ["spicy"]}, ())
    with pytest.raises(ValueError, match="must exclude nothing"):
        check_variants({"full": ["toxic"]}, ())
    with pytest.raises(ValueError, match="includes full"):
        check_variants({"nontoxic": ["toxic"]}, ())
    bad = tmp_path / "bad.yaml"
    bad.write_text("release:\n  never_release: [bad_vibes]\n")
    with pytest.raises(ConfigError, match="'bad_vibes'"):
        load_config(str(bad))

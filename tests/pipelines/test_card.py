"""The dataset card: Hugging Face front matter that `datasets` understands, generated text."""
import logging

import pyarrow as pa
import pytest
import yaml

from pipelines.card import features_yaml, render_card, size_category, variant_files
from schemas.release import release_schema
from schemas.sft import sft_schema


def front_matter(card: str) -> dict:
    assert card.startswith("---\n")
    return yaml.safe_load(card.split("---\n", 2)[1])


def test_features_are_what_datasets_writes_for_the_same_arrow_schema():
    datasets = pytest.importorskip("datasets")
    odd = pa.schema([("tags", pa.list_(pa.string())), ("grid", pa.list_(pa.list_(pa.int32()))),
                     ("scores", pa.struct([("s", pa.list_(pa.float64()))])),
                     ("flags", pa.list_(pa.struct([("f", pa.bool_())]))),
                     ("at", pa.timestamp("ms")), ("blob", pa.binary())])
    for schema in (release_schema(), release_schema(("user-agent",)), odd):
        assert features_yaml(schema) == datasets.Features.from_arrow_schema(schema)._to_yaml_list()


@pytest.mark.parametrize("n, category", [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"),
                                         (1_054_528, "1M<n<10M"), (10**11, "n>10B")])
def test_size_categories(n, category):
    assert size_category(n) == category


def _manifest(shards, variants=None):
    config = {"release": {"variants": variants or {"full": []}},
              "report": {"license": "odc-by", "task_categories": ["text-generation"]}}
    return {"name": "demo", "run_id": "20240101T000000Z-abcdef", "schema_version": "x/1",
            "config": config, "counts": {}, "stats": {}, "strategies": {}, "shards": shards}


def test_configs_list_exactly_the_files_the_manifest_lists_per_variant(sample_stats):
    shards = [{"variant": v, "file": f"data/{v}/train-0000{i}-of-00002.parquet", "rows": 5 + i,
               "bytes": 100} for v in ("nontoxic", "full") for i in range(2)]
    manifest = _manifest(shards, {"full": [], "nontoxic": ["toxic", "unjudged"]})
    assert list(variant_files(manifest)) == ["full", "nontoxic"]
    meta = front_matter(render_card(manifest, sample_stats, release_schema(), prefix="RUN/"))
    full, nontoxic = meta["configs"]
    assert full == {"config_name": "full", "default": True, "data_files": [
        {"split": "train", "path": ["RUN/data/full/train-00000-of-00002.parquet",
                                    "RUN/data/full/train-00001-of-00002.parquet"]}]}
    assert nontoxic["config_name"] == "nontoxic" and "default" not in nontoxic
    assert [i["splits"][0]["num_examples"] for i in meta["dataset_info"]] == [11, 11]
    assert meta["license"] == "odc-by" and meta["task_categories"] == ["text-generation"]
    assert meta["size_categories"] == ["n<1K"]


def test_the_card_of_the_sample(sample_release, sample_stats):
    out, manifest, _ = sample_release
    run = manifest["run_id"]
    card = (out / "release" / "README.md").read_text()
    # the run's own card: the same text with paths relative to the run's folder
    assert (out / "release" / run / "README.md").read_text() == \
        render_card(manifest, sample_stats, release_schema())
    assert card == render_card(manifest, sample_stats, release_schema(), prefix=f"{run}/")
    meta = front_matter(card)
    assert meta["language"] == sample_stats["language_codes"] and "en" in meta["language"]
    assert meta["license"] == manifest["config"]["report"]["license"]
    for section in ("## Summary", "## How the data was collected", "## Processing", "## Fields",
                    "## Statistics", "## Limitations and ethical considerations"):
        assert section in card
    for field in release_schema().names:
        assert f"| `{field}` |" in card
    assert "What it does not catch" in card and "consent" in card and "GeoLite2" in card
    # languages with fewer than k conversations are not named anywhere ("Unknown" is named
    # where the field is described; the sample's nasty-text cases give it a few conversations)
    small = [lang for lang, n in _conversations_per_language(out).items()
             if n < sample_stats["min_cell_conversations"] and lang != "Unknown"]
    assert small and not [lang for lang in small if lang in card]


def _conversations_per_language(out):
    import pandas as pd

    from tests.conftest import current_files

    return pd.read_parquet(current_files(out), columns=["language"])["language"].value_counts().to_dict()


def test_datasets_loads_every_variant_and_the_sft_export_from_the_card(sample_release, tmp_path):
    datasets = pytest.importorskip("datasets")
    out, manifest, _ = sample_release
    variants = variant_files(manifest)
    assert list(variants) == ["full", "nontoxic", "sft"]
    # datasets ignores (with a warning) a dataset_info whose splits lack a field it needs
    warned = _LogRecords()
    logger = logging.getLogger("datasets")
    logger.addHandler(warned)
    try:
        for variant, shards in variants.items():
            ds = datasets.load_dataset(str(out / "release"), variant, split="train",
                                       cache_dir=str(tmp_path / "cache"))
            assert ds.num_rows == sum(s["rows"] for s in shards) > 0
            schema = sft_schema() if variant == "sft" else release_schema()
            assert ds.column_names == schema.names
    finally:
        logger.removeHandler(warned)
    assert not [m for m in warned.messages if "dataset_info" in m or "malformed" in m], warned.messages
    info = front_matter((out / "release" / "README.md").read_text())["dataset_info"]
    for entry in info:  # what datasets requires of a split, with the true numbers
        split, = entry["splits"]
        assert split["num_examples"] == sum(s["rows"] for s in variants[entry["config_name"]])
        assert split["num_bytes"] > entry["download_size"] > 0  # decoded Arrow vs zstd Parquet


def test_every_row_of_the_sft_config_passes_the_chat_template_check(sample_release, tmp_path):
    datasets = pytest.importorskip("datasets")
    from transforms.sft_core import chat_template_problem

    out, manifest, _ = sample_release
    ds = datasets.load_dataset(str(out / "release"), "sft", split="train",
                               cache_dir=str(tmp_path / "cache"))
    assert ds.num_rows == manifest["stats"]["sft.rows"] > 0
    problems = {r["conversation_id"]: chat_template_problem(r["messages"]) for r in ds}
    assert not {cid: p for cid, p in problems.items() if p}
    assert all(set(m) == {"role", "content"} for r in ds for m in r["messages"])
    # nontoxic's rows, minus those the filters kept out (each counted with its reason)
    left = {k: v for k, v in manifest["stats"].items() if k.startswith("sft.left.")}
    assert ds.num_rows + sum(left.values()) == manifest["stats"]["variants.nontoxic.rows"]
    assert not any(r["duplicate"] for r in ds)  # duplicates are dropped by default


class _LogRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_the_card_states_what_nontoxic_still_holds_per_language(sample_stats):
    manifest = _manifest([], {"full": [], "nontoxic": ["toxic", "unjudged"]})
    manifest["toxicity"] = {
        "backends": ["ngram_tox_v1"], "rule": "any", "thresholds": {"ngram_tox_v1": None},
        "languages": {"ngram_tox_v1": ["de", "en"]},
        "models": {"ngram_tox_v1": {"heldout": {
            "de": {"n": 300, "positives": 120, "precision": 0.7, "recall": 0.62, "f1": 0.66},
            "en": {"n": 900, "positives": 400, "precision": 0.8, "recall": 0.75, "f1": 0.77}},
            "clean_chat_flagged": {"de": 0.07, "en": 0.113}}}}
    card = render_card(manifest, sample_stats, release_schema())
    line = next(l for l in card.splitlines() if "still holds" in l)
    assert "de 38%" in line and "en 25%" in line  # 1 - held-out recall
    assert "de, en" in card  # the judged languages are listed
    dropped = next(l for l in card.splitlines() if "drops that it should keep" in l)
    assert "de 7%" in dropped and "en 11%" in dropped  # clean chat flagged, the cost of nontoxic
    manifest["toxicity"]["models"] = {}
    assert "still holds" not in render_card(manifest, sample_stats, release_schema())

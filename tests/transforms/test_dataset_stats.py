"""Dataset statistics: combiners over release rows, quantile error bound, small-cell folding,
and agreement with a direct pandas computation over the released Parquet of the sample."""
import datetime as dt
import json
import random

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.dataset_stats import (OTHER, RELATIVE_ACCURACY, UNKNOWN, DatasetStatistics,
                                      _observe, quantile, summarize_rows)

PII = ("PERSON", "EMAIL_ADDRESS")
APRIL = dt.datetime(2023, 4, 9, tzinfo=dt.timezone.utc)


def message(role, content, language="English", ip="a" * 64, toxic=None, redacted=False):
    return {"role": role, "content": content, "language": language, "toxic": toxic,
            "redacted": redacted, "hashed_ip": ip, "language_code": language[:2].lower()}


def row(cid, language="English", model="gpt-4", country=None, turns=1, ip="a" * 64,
        ts=APRIL, toxic=None, user_text="hello there friend", reply="hi, how can I help?"):
    conversation = []
    for _ in range(turns):
        conversation += [message("user", user_text, language, ip, toxic),
                         message("assistant", reply, language, ip)]
    return {"conversation_id": cid, "language": language, "language_code": language[:2].lower(),
            "model": model, "country": country, "turn": turns, "hashed_ip": ip,
            "timestamp": ts, "toxic": toxic, "orphan": False, "redacted": False,
            "conversation": conversation}


# -- the histogram ----------------------------------------------------------------------------

def test_histogram_quantiles_are_within_the_relative_error_of_the_exact_lower_quantile():
    rng = random.Random(3)
    values = [int(rng.lognormvariate(6, 1.2)) for _ in range(5000)] + [0] * 40
    hist = {}
    for v in values:
        _observe(hist, v)
    ordered = sorted(values)
    for q in (0.0, 0.1, 0.5, 0.9, 0.99, 1.0):
        exact = ordered[int(q * (len(values) - 1))]
        assert abs(quantile(hist, q) - exact) <= RELATIVE_ACCURACY * exact
    assert hist["sum"] == sum(values) and hist["n"] == len(values)


def test_histogram_merge_is_order_independent():
    values = list(range(0, 3000, 7))
    a, b, whole = {}, {}, {}
    for i, v in enumerate(values):
        _observe(a if i % 3 else b, v)
        _observe(whole, v)
    merged = dict(a)
    for k, n in b.items():
        merged[k] = merged.get(k, 0) + n
    assert merged == whole


# -- the document -------------------------------------------------------------------------------

def test_counts_shares_users_and_toxicity():
    rows = [row(f"c{i}", turns=1 + i % 3, ip=f"{i % 4:064x}", toxic=(i % 5 == 0) if i < 15 else None)
            for i in range(20)]
    doc = summarize_rows(rows, k=1, pii_types=PII)
    assert (doc["conversations"], doc["turns"], doc["users"]) == (20, sum(1 + i % 3 for i in range(20)), 4)
    english, = doc["by"]["language"]
    assert english["value"] == "English" and english["conversation_share"] == 1.0
    assert doc["toxicity"]["toxicity_judged_conversations"] == 15
    assert doc["toxicity"]["toxic_conversations"] == 3  # i = 0, 5, 10
    assert doc["toxicity"]["toxic_conversation_rate"] == pytest.approx(3 / 15)
    tpc = doc["turns_per_conversation"]
    assert tpc["median"] == 2 and tpc["mean"] == pytest.approx(doc["turns"] / 20)


def test_no_toxicity_section_when_no_backend_ran():
    assert summarize_rows([row("c1")], k=1)["toxicity"] is None


def test_small_cells_are_folded_into_other_everywhere():
    rows = ([row(f"en{i}", country="France") for i in range(12)]
            + [row(f"ko{i}", language="Korean", country="Korea", user_text="[PERSON_1] 안녕하세요")
               for i in range(3)]
            + [row("zu0", language="Zulu", country="South Africa")])
    doc = summarize_rows(rows, k=10, pii_types=PII)
    text = json.dumps(doc)
    for rare in ("Korean", "Zulu", "Korea", "South Africa", '"ko"', '"zu"'):
        assert rare not in text
    langs = {e["value"]: e["conversations"] for e in doc["by"]["language"]}
    assert langs == {"English": 12, OTHER: 4}
    assert {e["language"]: e["messages"] for e in doc["lengths"]["user"]} == {"English": 12, OTHER: 4}
    other_pii = next(e for e in doc["pii"]["by_language"] if e["language"] == OTHER)
    assert other_pii["redactions"]["PERSON"] == 3
    assert doc["language_codes"] == ["en"]


def test_k_is_a_setting():
    rows = [row(f"en{i}") for i in range(3)] + [row("fr0", language="French")]
    langs = [e["value"] for e in summarize_rows(rows, k=1)["by"]["language"]]
    assert langs == ["English", "French"]
    assert [e["value"] for e in summarize_rows(rows, k=2)["by"]["language"]] == ["English", OTHER]


def test_countries_keep_the_top_n_and_unknown():
    rows = [row(f"c{i}-{j}", country=f"Country{i}") for i in range(5) for j in range(10 + i)]
    rows += [row(f"x{j}") for j in range(10)]
    doc = summarize_rows(rows, k=10, top_n=2)
    got = [(e["value"], e["conversations"]) for e in doc["by"]["country"]]
    assert got == [("Country4", 14), ("Country3", 13), (UNKNOWN, 10), (OTHER, 10 + 11 + 12)]


def test_sparse_turn_bins_merge_into_their_neighbour():
    rows = [row(f"a{i}", turns=1) for i in range(10)] + [row(f"b{i}", turns=2) for i in range(10)]
    rows += [row("long", turns=105), row("mid", turns=7)]  # one long conversation: a small cell
    bins = summarize_rows(rows, k=10)["turns_per_conversation"]["histogram"]
    assert [(b["bin"], b["conversations"]) for b in bins] == [("1", 10), (">=2", 12)]
    assert "105" not in json.dumps(bins)


def test_months_are_chronological():
    rows = [row(f"m{m}-{i}", ts=APRIL.replace(month=m)) for m in (5, 3, 4) for i in range(10)]
    assert [e["value"] for e in summarize_rows(rows)["by"]["month"]] == ["2023-03", "2023-04", "2023-05"]


def test_the_beam_transform_gives_the_in_memory_document():
    rows = [row(f"c{i}", language=("English", "French")[i % 2], ip=f"{i % 3:064x}",
                turns=1 + i % 4, user_text="[EMAIL_ADDRESS_1] " * (i % 2)) for i in range(24)]
    expected = summarize_rows(rows, k=5, top_n=3, pii_types=PII)
    with TestPipeline() as p:
        got = p | beam.Create(rows) | DatasetStatistics(k=5, top_n=3, pii_types=PII)
        assert_that(got, equal_to([expected]))
    placeholders = sum(1 + i % 4 for i in range(24) if i % 2)  # one per user message
    assert expected["users"] == 3 and expected["pii"]["redactions"]["EMAIL_ADDRESS"] == placeholders


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="0"):
        DatasetStatistics(k=0)
    with pytest.raises(ValueError, match="'3'"):
        DatasetStatistics(top_n="3")


# -- against a direct computation over the released Parquet -----------------------------------

def _folded(counts, sizes, k):
    """pandas-side folding: values with >= k conversations, the rest summed into OTHER."""
    out = {v: n for v, n in counts.items() if sizes.get(v, 0) >= k}
    rest = sum(n for v, n in counts.items() if sizes.get(v, 0) < k)
    if rest:
        out[OTHER] = rest
    return out


def test_statistics_of_the_sample_equal_a_direct_computation(sample_release):
    """stats.json, computed inside the pipeline, equals pandas over the released Parquet of
    the `full` variant: counts and shares exactly, medians/p90 within the stated error."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.conftest import current_files

    out, manifest, _ = sample_release
    doc = json.loads((out / "report" / manifest["run_id"] / "stats.json").read_text())
    table = pa.concat_tables(pq.read_table(f) for f in current_files(out))
    types = manifest["config"]["pii"]["entities"]
    k = manifest["config"]["report"]["min_cell_conversations"]
    in_memory = summarize_rows(table.to_pylist(), k=k, top_n=20, pii_types=types)
    assert {key: doc[key] for key in in_memory} == json.loads(json.dumps(in_memory))

    df = table.to_pandas()
    msgs = df[["conversation_id", "conversation"]].explode("conversation").dropna()
    msgs = pd.concat([msgs[["conversation_id"]].reset_index(drop=True),
                      pd.json_normalize(msgs["conversation"].tolist())], axis=1)
    assert doc["conversations"] == len(df) == manifest["counts"]["released_conversations"]
    assert doc["turns"] == int(df["turn"].sum())
    assert doc["users"] == msgs["hashed_ip"].dropna().nunique()

    by_lang = df.fillna({"language": UNKNOWN}).groupby("language")
    sizes = by_lang.size().to_dict()
    got = {e["value"]: (e["conversations"], e["turns"]) for e in doc["by"]["language"]}
    want_conv = _folded(sizes, sizes, k)
    want_turns = _folded(by_lang["turn"].sum().to_dict(), sizes, k)
    assert got == {v: (want_conv[v], want_turns[v]) for v in want_conv}
    for e in doc["by"]["language"]:
        assert e["conversation_share"] == pytest.approx(e["conversations"] / len(df), abs=1e-6)

    models = df.groupby("model").size().to_dict()
    assert {e["value"]: e["conversations"] for e in doc["by"]["model"]} == _folded(models, models, k)
    months = df["timestamp"].dt.strftime("%Y-%m").value_counts().to_dict()
    assert {e["value"]: e["conversations"] for e in doc["by"]["month"]} == _folded(months, months, k)

    turns = df["turn"].sort_values().tolist()
    assert doc["turns_per_conversation"]["median"] == turns[(len(turns) - 1) // 2]
    assert doc["turns_per_conversation"]["p90"] == turns[int(0.9 * (len(turns) - 1))]

    msgs["language"] = msgs["language"].fillna(UNKNOWN)
    msgs["chars"] = msgs["content"].str.len()
    msgs["tokens"] = msgs["content"].str.split().str.len()
    for role in ("user", "assistant"):
        part = msgs[msgs["role"] == role]
        conv_sizes = part.groupby("language")["conversation_id"].nunique().to_dict()
        fold = {v: (v if conv_sizes[v] >= k else OTHER) for v in conv_sizes}
        part = part.assign(cell=part["language"].map(fold))
        for e in doc["lengths"][role]:
            cell = part[part["cell"] == e["language"]]
            assert e["messages"] == len(cell)
            for m in ("chars", "tokens"):
                values = cell[m].sort_values().tolist()
                assert e[m]["mean"] == pytest.approx(sum(values) / len(values), abs=1e-4)
                for q, name in ((0.5, "median"), (0.9, "p90")):
                    exact = values[int(q * (len(values) - 1))]
                    assert abs(e[m][name] - exact) <= RELATIVE_ACCURACY * exact + 0.01
        assert {e["language"] for e in doc["lengths"][role]} == set(fold.values())

    # placeholders in the released text are the scrubber's redactions, type by type
    for t in types:
        in_text = int(msgs["content"].str.count(rf"\[{t}_\d+\]").sum())
        assert doc["pii"]["redactions"][t] == in_text == manifest["stats"].get(f"pii.redactions.{t}", 0)

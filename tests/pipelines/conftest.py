"""Fixtures of the report tests: the sample release's statistics document."""
import pytest


@pytest.fixture(scope="session")
def sample_stats(sample_release):
    """stats.json of the sample release, as the publish step builds it."""
    import pyarrow.parquet as pq

    from pipelines.report import complete_stats
    from schemas.release import release_schema
    from transforms.dataset_stats import summarize_rows

    out, manifest, _ = sample_release
    rows = pq.read_table(out / "release" / "data").to_pylist()
    report = manifest["config"]["report"]
    doc = summarize_rows(rows, report["min_cell_conversations"], report["top_n"],
                         manifest["config"]["pii"]["entities"])
    return complete_stats(doc, manifest, release_schema())

"""Fixtures of the report tests: the sample release's statistics, as the pipeline wrote them."""
import json

import pytest


@pytest.fixture(scope="session")
def sample_stats(sample_release):
    """OUT/report/<run_id>/stats.json of the sample release."""
    out, manifest, _ = sample_release
    return json.loads((out / "report" / manifest["run_id"] / "stats.json").read_text())

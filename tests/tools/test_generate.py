"""The sample generator's browser population (tools/generate.py): the linking bench's truth is
only as hard as its users' browser fingerprints are alike."""
import collections
import math

import pytest

from tests.conftest import input_records
from tools.generate import UAS, generate, ua_pool


def _user_agents(out):
    return [r["headers"]["user-agent"] for r in input_records(out)
            if isinstance(r.get("headers"), dict) and r["headers"].get("user-agent")]


def _entropy_bits(counter):
    n = sum(counter.values())
    return -sum(c / n * math.log2(c / n) for c in counter.values())


def test_the_pool_holds_distinct_agents_in_a_fixed_order():
    pool = ua_pool(400)
    assert len(set(pool)) == 400
    assert pool == ua_pool(400)
    assert all(ua.startswith("Mozilla/5.0 (") for ua in pool)
    with pytest.raises(ValueError):
        ua_pool(10_000)


def test_a_browser_population_is_skewed_but_far_more_diverse_than_the_stress_case(tmp_path):
    generate(3000, seed=3, out=str(tmp_path / "b400"), words_scale=0.05, hot_share=0.3,
             nasty_cases=False, browsers=400)
    generate(3000, seed=3, out=str(tmp_path / "b0"), words_scale=0.05, hot_share=0.3,
             nasty_cases=False)
    diverse = collections.Counter(_user_agents(tmp_path / "b400"))
    stress = collections.Counter(_user_agents(tmp_path / "b0"))
    assert set(diverse) <= set(ua_pool(400))
    assert set(stress) == set(UAS)  # browsers=0 keeps the four agents of earlier corpora
    assert len(diverse) > 100
    # Zipf-like: the most common agent is far above the median one, and the population has
    # several bits more entropy than the four agents.
    counts = sorted(diverse.values(), reverse=True)
    assert counts[0] > 10 * counts[len(counts) // 2]
    assert _entropy_bits(diverse) > _entropy_bits(stress) + 3

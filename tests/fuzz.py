"""Hypothesis settings shared by the property-based tests.

`make test` runs the `ci` profile: a fixed seed (the same examples on every run and every
machine, so a failure reproduces) and a few hundred examples per property. Explore with more
and new examples before changing the parser or the reader:

    HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest -q tests -k fuzz
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "explore", max_examples=5000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

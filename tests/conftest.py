"""Shared fixtures: the bundled sample, its ground truth and one release run of it."""
from __future__ import annotations

import json
import os
import pathlib

import pytest

# tldextract (inside Presidio) must not reach the network in tests either.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
TEST_KEY = "test-key-0123456789abcdef-not-a-real-secret"


@pytest.fixture(scope="session")
def truth():
    import gzip

    return json.loads(gzip.decompress((SAMPLE / "truth.json.gz").read_bytes()))


def run_release(out, config="configs/sample.yaml", key=TEST_KEY, extra=(), **overrides):
    """Run the pipeline in process; returns (manifest, stdout-like summary)."""
    from pipelines import release

    env_before = os.environ.get("WCHAT_IP_HASH_KEY")
    if key is None:
        os.environ.pop("WCHAT_IP_HASH_KEY", None)
    else:
        os.environ["WCHAT_IP_HASH_KEY"] = key
    try:
        argv = ["--config", str(ROOT / config), "--input", str(SAMPLE / "turns-*"), "--output", str(out)]
        for k, v in overrides.items():
            argv += [f"--{k}", v]
        return release.run(argv + list(extra))
    finally:
        if env_before is None:
            os.environ.pop("WCHAT_IP_HASH_KEY", None)
        else:
            os.environ["WCHAT_IP_HASH_KEY"] = env_before


def run_cli(out, *args, key=TEST_KEY, config="configs/sample.yaml"):
    """Run `python -m pipelines.release` as a user would; returns the CompletedProcess."""
    import subprocess
    import sys

    env = dict(os.environ)
    env.pop("WCHAT_IP_HASH_KEY", None)
    if key is not None:
        env["WCHAT_IP_HASH_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "pipelines.release", "--config", config,
         "--input", str(SAMPLE / "turns-*"), "--output", str(out), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def sample_release(tmp_path_factory):
    """The sample config (as `make release` runs it) run once per session from the CLI."""
    out = tmp_path_factory.mktemp("sample")
    proc = run_cli(out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest = json.loads((out / "release" / "manifest.json").read_text())
    return out, manifest, proc


def sample_config_with(directory, **stages) -> str:
    """configs/sample.yaml with some stages' strategies changed, written to `directory`."""
    import yaml

    cfg = yaml.safe_load((ROOT / "configs" / "sample.yaml").read_text())
    for name, strategy in stages.items():
        cfg[name] = {"strategy": strategy}
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return str(path)


@pytest.fixture(scope="session")
def fast_config(tmp_path_factory):
    """The sample config without the language and PII stages, for tests of the plumbing."""
    return sample_config_with(tmp_path_factory.mktemp("fast"), language="none", pii="none")


@pytest.fixture(scope="session")
def unscrubbed_rows(tmp_path_factory):
    """The sample with PII scrubbing off: its text can be compared with the truth verbatim."""
    import pyarrow.parquet as pq

    out = tmp_path_factory.mktemp("unscrubbed")
    run_release(out, config=sample_config_with(out, pii="none"))
    return pq.read_table(out / "release" / "data").to_pylist()


@pytest.fixture(scope="session")
def sample_rows(sample_release):
    import pyarrow.parquet as pq

    out = sample_release[0]
    return pq.read_table(out / "release" / "data").to_pylist()


@pytest.fixture(scope="session")
def pii_scrubber():
    """One PII scrubber with the default config for every PII test (loading models takes seconds)."""
    from pipelines.config import PiiConfig
    from transforms.pii.scrubber import PiiScrubber

    cfg = PiiConfig()
    return PiiScrubber(dict(cfg.models), cfg.entities, cfg.score_threshold, ner_roles=cfg.ner_roles)

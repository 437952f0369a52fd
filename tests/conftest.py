"""Shared fixtures: the bundled sample, its ground truth and release runs of it."""
from __future__ import annotations

import json
import os
import pathlib
import shutil

import pytest

# tldextract (inside Presidio) must not reach the network in tests either.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
TEST_KEY = "test-key-0123456789abcdef-not-a-real-secret"
# The DirectRunner in one process: for runs whose point is not the runner. The sample config's
# two worker processes each start Python and load the models again (about twice the CPU time);
# `sample_release` and `fast_release` keep them, and the tests that compare with those two
# check that one process gives the same release.
ONE_PROCESS = ("--direct_running_mode=in_memory", "--direct_num_workers=1")


@pytest.fixture(scope="session", autouse=True)
def private_temp(tmp_path_factory):
    """Every Beam run (each TestPipeline too) leaves folders in the temp folder (see
    pipelines/local_temp.py): this process's go into a folder of its own, removed when the
    session ends, along with what the runs it starts (TMPDIR) leave there."""
    import tempfile

    from pipelines.local_temp import redirected_temp

    tmp_path_factory.getbasetemp()  # pytest's own base temp folder stays where it is
    with redirected_temp(tempfile.mkdtemp(prefix="wchat-tests-")) as folder:
        yield folder


@pytest.fixture(scope="session")
def truth():
    """The generator's truth; the text of big nasty-text cases (stored as null) is rebuilt
    from tests/data/nasty.py."""
    import gzip

    from tests.data import nasty

    truth = json.loads(gzip.decompress((SAMPLE / "truth.json.gz").read_bytes()))
    for conv in truth["conversations"]:
        if conv.get("nasty") and conv["messages"] is None:
            conv["messages"] = [list(m) for m in nasty.transcript(nasty.by_name(conv["nasty"]))]
    return truth


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


def run_cli(out, *args, key=TEST_KEY, config="configs/sample.yaml", input=None, env=None):
    """Run `python -m pipelines.release` as a user would; returns the CompletedProcess."""
    import subprocess
    import sys

    env = dict(os.environ, **(env or {}))
    env.pop("WCHAT_IP_HASH_KEY", None)
    if key is not None:
        env["WCHAT_IP_HASH_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "pipelines.release", "--config", config,
         "--input", input or str(SAMPLE / "turns-*"), "--output", str(out), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def current_files(out, variant="full") -> list:
    """The current release's data files, as a reader finds them (LATEST -> manifest)."""
    from pipelines.layout import data_files

    return data_files(str(out), variant)


def current_manifest(out) -> dict:
    from pipelines.layout import read_manifest

    return read_manifest(str(out))


def input_records(folder) -> list:
    """Every record of a generated input folder (`turns-*`: JSON lines, gzip, zstd, Parquet) that
    reads as a JSON object or a Parquet row; malformed lines are left out."""
    import gzip

    import pyarrow.parquet as pq
    import zstandard
    records = []
    for path in sorted(pathlib.Path(folder).glob("turns-*")):
        if path.suffix == ".parquet":
            records.extend(pq.read_table(path).to_pylist())
            continue
        data = path.read_bytes()
        data = gzip.decompress(data) if path.suffix == ".gz" else (
            zstandard.ZstdDecompressor().decompressobj().decompress(data) if path.suffix == ".zst" else data)
        for line in data.splitlines():
            try:
                record = json.loads(line)
            except ValueError:  # JSON errors and undecodable bytes alike
                continue
            if isinstance(record, dict):
                records.append(record)
    return records


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc, timeout: float = 60.0) -> None:
    """Until something listens on 127.0.0.1:`port`; fails if `proc` died first."""
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout}s")


def built_once(tmp_path_factory, name, build) -> pathlib.Path:
    """The folder `name` that `build(folder)` fills, built once per test session however many
    pytest-xdist workers ask for it: the first one builds it into the session's base temp
    folder (which every worker's lies in), the others wait on its lock and use what it built.
    A failed build leaves no `.done` mark, so the next worker to ask builds it again."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "built-once"
    root.mkdir(exist_ok=True)
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def sample_release(tmp_path_factory):
    """The sample config (as `make release` runs it) run once per session from the CLI."""
    import subprocess

    def build(folder):
        proc = run_cli(folder / "out")
        (folder / "stdout").write_text(proc.stdout)
        (folder / "stderr").write_text(proc.stderr)
        assert proc.returncode == 0, proc.stderr[-3000:]

    folder = built_once(tmp_path_factory, "sample", build)
    out = folder / "out"
    proc = subprocess.CompletedProcess(["python", "-m", "pipelines.release"], 0,
                                       (folder / "stdout").read_text(), (folder / "stderr").read_text())
    return out, current_manifest(out), proc


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
    """The sample config without the language and PII stages, for tests of the plumbing.
    One path for every worker: the manifest records the config's path."""
    folder = built_once(tmp_path_factory, "fast-config",
                        lambda folder: sample_config_with(folder, language="none", pii="none"))
    return str(folder / "config.yaml")


@pytest.fixture(scope="session")
def unscrubbed_rows(tmp_path_factory):
    """The sample with PII scrubbing off: its text can be compared with the truth verbatim."""
    import pyarrow.parquet as pq

    out = built_once(tmp_path_factory, "unscrubbed",
                     lambda out: run_release(out, config=sample_config_with(out, pii="none"),
                                                 extra=ONE_PROCESS))
    return pq.read_table(current_files(out)).to_pylist()


@pytest.fixture(scope="session")
def fast_release(tmp_path_factory, fast_config):
    """One local run of the fast config with the test key: the reference for the runner and
    object-store tests, and the previous release of the failure tests. Do not modify it."""
    out = built_once(tmp_path_factory, "fast-release", lambda out: run_release(out, config=fast_config))
    return out, current_manifest(out)


@pytest.fixture(scope="session")
def sample_rows(sample_release):
    import pyarrow.parquet as pq

    out = sample_release[0]
    return pq.read_table(current_files(out)).to_pylist()


@pytest.fixture(scope="session")
def pii_scrubber():
    """One PII scrubber with the default config for every PII test (loading models takes seconds)."""
    from pipelines.config import PiiConfig
    from transforms.pii.scrubber import PiiScrubber

    cfg = PiiConfig()
    return PiiScrubber(dict(cfg.models), cfg.entities, cfg.score_threshold, ner_roles=cfg.ner_roles)


# The longest files (a minute or more each, mostly pipeline runs), in the order they start
# under pytest-xdist (`make test`: --dist loadfile hands out whole files in collection order):
# the one that builds the shared sample releases first, beside one that needs none of them,
# so that no long file is left for one process at the end while the other has nothing to do.
LONG_FILES_FIRST = ("tests/transforms/test_language.py", "tests/transforms/test_link.py",
                    "tests/test_crash_safety.py", "tests/test_reuse.py", "tests/test_release.py")


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return  # one process: file order

    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        return LONG_FILES_FIRST.index(path) if path in LONG_FILES_FIRST else len(LONG_FILES_FIRST)
    items.sort(key=rank)

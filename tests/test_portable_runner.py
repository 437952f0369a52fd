"""The sample on the PortableRunner against a local job service: the job API Flink, Spark and
Dataflow speak. Same release bytes as the DirectRunner."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import current_manifest, free_port, run_cli, wait_for_port
from tests.test_determinism import release_fingerprint


def test_the_portable_runner_releases_the_same_bytes_as_the_direct_runner(tmp_path, fast_config, fast_release):
    port = free_port()
    job_service = subprocess.Popen(
        [sys.executable, "-m", "apache_beam.runners.portability.local_job_service_main", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, job_service)
        proc = run_cli(tmp_path, "--runner=PortableRunner", f"--job_endpoint=localhost:{port}",
                       "--environment_type=LOOPBACK", config=fast_config)
    finally:
        job_service.terminate()
        job_service.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr[-3000:]
    manifest, direct = current_manifest(tmp_path), fast_release[1]
    assert [s["sha256"] for s in manifest["shards"]] == [s["sha256"] for s in direct["shards"]]
    assert manifest["counts"] == direct["counts"]
    assert manifest["reconciliation"] == direct["reconciliation"]
    # And the rest: the whole manifest but run id and times, the dead letters' bytes.
    assert release_fingerprint(tmp_path) == release_fingerprint(fast_release[0])

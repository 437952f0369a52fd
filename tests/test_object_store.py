"""Input and output on s3://, against a real S3 API: a local moto server on 127.0.0.1 and
Beam's own S3 filesystem. Nothing may leave the machine: every proxy variable points at a
tripwire that counts connections, and only 127.0.0.1 bypasses it."""
from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import threading

import pytest

from tests.conftest import SAMPLE, current_files, free_port, run_cli, wait_for_port
from tests.pipelines.test_publish import CURRENT, PREVIOUS, assert_cleaned, plant_runs

pytest.importorskip("boto3", reason="apache-beam[aws] is in the test extra")
pytest.importorskip("moto", reason="moto[server] is in the test extra")

BUCKET = "wchat"


class Tripwire:
    """A listening socket that counts connections: any request not for 127.0.0.1 lands here."""

    def __init__(self):
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen()
        self.port, self.requests = self._sock.getsockname()[1], []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                self.requests.append(conn.recv(200).split(b"\r\n", 1)[0].decode("latin-1"))
            except OSError:
                self.requests.append("(no request line)")
            conn.close()

    def close(self):
        self._sock.close()


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server holding the sample under s3://wchat/in/; yields (env, beam flags, client)."""
    tripwire = Tripwire()
    port = free_port()
    proxy = f"http://127.0.0.1:{tripwire.port}"
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
           "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy, "https_proxy": proxy,
           "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    endpoint = f"http://127.0.0.1:{port}"
    flags = [f"--s3_endpoint_url={endpoint}", "--s3_access_key_id=testing",
             "--s3_secret_access_key=testing", "--s3_region_name=us-east-1"]
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, server)
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint)
            client.create_bucket(Bucket=BUCKET)
            for path in sorted(SAMPLE.glob("turns-*")):
                client.upload_file(str(path), BUCKET, f"in/{path.name}")
            from apache_beam.io.filesystems import FileSystems
            from apache_beam.options.pipeline_options import PipelineOptions

            FileSystems.set_options(PipelineOptions(flags))  # this process reads s3:// too
            yield env, flags, client
            assert tripwire.requests == [], "something tried to reach a host other than 127.0.0.1"
        finally:
            FileSystems.set_options(None)
            server.terminate()
            server.wait(timeout=30)
            tripwire.close()


def test_a_release_from_s3_to_s3_has_the_same_bytes_as_a_local_one(s3, fast_config, fast_release):
    env, flags, client = s3
    out = f"s3://{BUCKET}/out"
    proc = run_cli(out, *flags, "--direct_running_mode=in_memory", "--direct_num_workers=1",
                   config=fast_config, input=f"s3://{BUCKET}/in/turns-*", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    from pipelines import layout

    manifest, local = layout.read_manifest(out), fast_release[1]
    assert [s["sha256"] for s in manifest["shards"]] == [s["sha256"] for s in local["shards"]]
    assert manifest["counts"] == local["counts"]
    assert manifest["reconciliation"] == local["reconciliation"]
    # What a reader downloads is what the manifest promises.
    for path, shard in zip(current_files(out), manifest["shards"]):
        data = client.get_object(Bucket=BUCKET, Key=path.removeprefix(f"s3://{BUCKET}/"))["Body"].read()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (shard["bytes"], shard["sha256"])
    assert {f["path"]: f["sha256"] for f in manifest["input_files"]} == {
        f"s3://{BUCKET}/in/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in SAMPLE.glob("turns-*")}
    keys = sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix="out/")["Contents"])
    run = manifest["run_id"]
    shards = manifest["config"]["release"]["num_shards"]
    # the run's snapshot store (README "Snapshots that reuse work") is internal, like dead letters
    assert f"out/reuse/{run}/COMPLETE" in keys
    assert [k for k in keys if not k.startswith((f"out/release/{run}/", f"out/report/{run}/",
                                                 f"out/reuse/{run}/"))] == [
        *(f"out/deadletter/{run}/deadletter-{i:05d}-of-{shards:05d}.jsonl" for i in range(shards)),
        "out/release/LATEST", "out/release/README.md"]
    # #12: the report is written through FileSystems too
    assert {f"out/report/{run}/{name}" for name in ("stats.json", "report.md", "report.html")} <= set(keys)


def test_clean_up_works_on_an_object_store(s3):
    from pipelines import publish

    out = f"s3://{BUCKET}/cleanup"
    client = s3[2]

    def put(path, data=b"x"):  # one PUT per object (Beam's writer makes three requests)
        client.put_object(Bucket=BUCKET, Key=path.removeprefix(f"s3://{BUCKET}/"), Body=data)
    plant_runs(out, put)
    assert_cleaned(out, publish.clean_up(out, CURRENT, PREVIOUS))

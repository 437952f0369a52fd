"""The IP-hash key: loaded on the worker from a reference; only its fingerprint is in the graph."""
import base64
import os
import stat

import apache_beam as beam
import cloudpickle
import pytest
from apache_beam.internal import pickler
from apache_beam.portability import common_urns
from apache_beam.portability.api import beam_runner_api_pb2

from pipelines import layout
from pipelines.config import Config, ConfigError, IpHashConfig, load_config, resolve_ip_key
from pipelines.release import build_pipeline
from tests.conftest import ROOT
from transforms.ip_key import KeyRef, KeyUnavailable, key_fingerprint, load_key

KEY = "graph-test-key-5f0c1d9e7a3b4c2d"


def test_a_key_loads_from_the_environment_or_a_file(tmp_path):
    assert load_key("env:K", {"K": KEY}) == KEY.encode()
    (tmp_path / "key").write_text(KEY + "\n")
    assert load_key(f"file:{tmp_path / 'key'}", {}) == KEY.encode()


@pytest.mark.parametrize("uri, environ, message", [
    ("env:K", {}, "'K' holding the IP-hash key is not set here"),
    ("env:K", {"K": "short"}, "shorter than 16 bytes"),
    ("file:/nonexistent/key", {}, "'/nonexistent/key' cannot be read"),
    ("vault:secret/ip", {}, "unknown scheme"),
    ("gcp-sm://projects/p/secrets/s/versions/1", {}, "google-cloud-secret-manager"),
])
def test_a_key_that_cannot_be_loaded_stops_with_a_message_naming_the_reference(uri, environ, message):
    with pytest.raises(KeyUnavailable, match=message):
        load_key(uri, environ)


def test_a_key_loads_from_aws_secrets_manager_by_name_or_arn(monkeypatch):
    from moto import mock_aws  # AWS's API, served in process: nothing leaves the machine
    import boto3

    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "eu-west-1")):
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="eu-west-1")
        arn = client.create_secret(Name="wchat/ip-key", SecretString=KEY)["ARN"]
        client.create_secret(Name="wchat/binary-key", SecretBinary=b"\x00\xffbinary-key-0123456789")
        assert load_key("aws-sm://wchat/ip-key?region=eu-west-1", {}) == KEY.encode()
        assert load_key(f"aws-sm://{arn}", {}) == KEY.encode()
        assert load_key("aws-sm://wchat/binary-key", {}) == b"\x00\xffbinary-key-0123456789"
        with pytest.raises(KeyUnavailable, match="'wchat/missing'"):
            load_key("aws-sm://wchat/missing", {})


def test_a_key_with_another_fingerprint_is_refused():
    with pytest.raises(KeyUnavailable, match="every worker must see the same key") as err:
        load_key("env:K", {"K": KEY}, expected_fingerprint="000000000000")
    assert KEY not in str(err.value)


def cfg(**ip_hash) -> Config:
    return Config(ip_hash=IpHashConfig(**ip_hash)).validate()


def test_the_driver_resolves_a_reference_and_the_fingerprint_not_the_key(tmp_path):
    (tmp_path / "key").write_text(KEY)
    env = {"WCHAT_IP_HASH_KEY": "env-key-0123456789abcdef"}
    # The environment variable wins, as documented; then the key file.
    assert resolve_ip_key(cfg(key_file=str(tmp_path / "key")), str(tmp_path), env) == KeyRef(
        "env:WCHAT_IP_HASH_KEY", key_fingerprint(b"env-key-0123456789abcdef"), "env")
    assert resolve_ip_key(cfg(key_file=str(tmp_path / "key")), str(tmp_path), {}) == KeyRef(
        f"file:{tmp_path / 'key'}", key_fingerprint(KEY.encode()), "file")
    assert resolve_ip_key(cfg(key_env="MY_KEY"), str(tmp_path), {"MY_KEY": KEY}).uri == "env:MY_KEY"
    with pytest.raises(ConfigError, match="no IP hash key"):
        resolve_ip_key(cfg(), str(tmp_path), {})
    with pytest.raises(ConfigError, match="google-cloud-secret-manager"):
        resolve_ip_key(cfg(key_uri="gcp-sm://projects/p/secrets/s/versions/3"), str(tmp_path), {})


def test_an_ephemeral_key_is_a_file_only_its_owner_reads_in_the_run_scratch_folder(tmp_path):
    ref = resolve_ip_key(cfg(allow_ephemeral_key=True), str(tmp_path / "scratch"), {})
    path = ref.uri.removeprefix("file:")
    assert ref.origin == "ephemeral" and os.path.dirname(path) == str(tmp_path / "scratch")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert key_fingerprint(load_key(ref.uri, {})) == ref.fingerprint
    other = resolve_ip_key(cfg(allow_ephemeral_key=True), str(tmp_path / "scratch2"), {})
    assert other.fingerprint != ref.fingerprint  # a new key for every run
    with pytest.raises(ConfigError, match="needs a local output"):
        resolve_ip_key(cfg(allow_ephemeral_key=True), "gs://bucket/out/tmp/run", {})


@pytest.mark.parametrize("yaml_text, message", [
    ("ip_hash:\n  key_env: 'not a name'\n", "'not a name'"),
    ("ip_hash:\n  key_file: /k\n  key_uri: gcp-sm://projects/p/secrets/s/versions/1\n", "not both"),
    ("ip_hash:\n  key_uri: vault://secret/ip\n", "'vault://secret/ip'"),
])
def test_bad_key_settings_are_config_errors(tmp_path, yaml_text, message):
    path = tmp_path / "c.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError, match=message):
        load_config(str(path))


# --- the key is not in the job graph ------------------------------------------------------

def secret_forms(key: bytes) -> list:
    return [key, key.hex().encode(), base64.b64encode(key), base64.b64encode(key).rstrip(b"=")]


def graph_blobs(p: beam.Pipeline) -> tuple:
    """Every serialized piece of `p` a runner receives, decoded as far as Beam encodes it:
    (the pipeline proto's bytes, [each pickled DoFn / CombineFn re-pickled uncompressed]).
    Beam stores functions compressed, where a plain byte search would miss anything."""
    proto = p.to_runner_api()
    payload_types = {common_urns.primitives.PAR_DO.urn: beam_runner_api_pb2.ParDoPayload,
                     common_urns.composites.COMBINE_PER_KEY.urn: beam_runner_api_pb2.CombinePayload,
                     common_urns.composites.COMBINE_GLOBALLY.urn: beam_runner_api_pb2.CombinePayload}
    functions = []
    for transform in proto.components.transforms.values():
        kind = payload_types.get(transform.spec.urn)
        if kind is None:
            continue
        payload = kind.FromString(transform.spec.payload)
        fn = payload.do_fn if kind is beam_runner_api_pb2.ParDoPayload else payload.combine_fn
        if fn.payload:
            functions.append(cloudpickle.dumps(pickler.loads(fn.payload)))
    return proto.SerializeToString(), functions


def leaks(blobs: tuple, key: bytes) -> bool:
    proto, functions = blobs
    return any(form in blob for blob in [proto, *functions] for form in secret_forms(key))


class _HoldsTheKeyFn(beam.DoFn):
    """What the pipeline did before: the key as a constructor argument."""

    def __init__(self, key):
        self._key = key

    def process(self, element):
        yield element


def test_the_check_finds_a_key_held_by_a_dofn():
    p = beam.Pipeline()
    _ = p | beam.Create([1]) | beam.ParDo(_HoldsTheKeyFn(KEY.encode()))
    blobs = graph_blobs(p)
    assert leaks(blobs, KEY.encode())
    assert not leaks(blobs, b"another-key-0123456789")


def test_the_release_graph_holds_the_key_fingerprint_and_never_the_key(tmp_path, monkeypatch, fast_config):
    monkeypatch.setenv("WCHAT_IP_HASH_KEY", KEY)
    config = load_config(fast_config, input=str(ROOT / "data" / "sample" / "turns-*"), output=str(tmp_path))
    paths = layout.run_paths(str(tmp_path), layout.new_run_id())
    key_ref = resolve_ip_key(config, paths.tmp)
    p = beam.Pipeline()
    build_pipeline(p, config, key_ref, paths)
    blobs = graph_blobs(p)
    assert len(blobs[1]) > 20  # every DoFn and CombineFn of the release was decoded
    assert not leaks(blobs, KEY.encode())
    assert any(key_ref.fingerprint.encode() in fn for fn in blobs[1])  # the reference travels

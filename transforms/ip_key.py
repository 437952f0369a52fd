"""Where the IP-hash key lives, and how a worker loads it.

A DoFn's constructor arguments are pickled into the pipeline graph, which anyone with
job-view rights can read (the Dataflow console, a Flink job's submitted jar). So the key
never goes there: `PseudonymizeTurns` gets a `KeyRef`, a *reference* (a URI saying where the
key is) plus the key's fingerprint, and each worker loads the key in `setup()`. A worker whose
key has another fingerprint than the one the driver saw stops with an error, so one run
never mixes two keys.

Key URIs (`load_key` dispatches on the scheme; `register_loader` plugs in another store):

  env:NAME                          the environment variable NAME (its UTF-8 bytes)
  file:PATH                         a file on any Beam filesystem (/local, gs://, s3://);
                                    surrounding whitespace is stripped
  gcp-sm://projects/P/secrets/S/versions/V
                                    GCP Secret Manager (needs google-cloud-secret-manager
                                    on the workers); pin a version rather than `latest`
  aws-sm://SECRET_ID[?region=R]     AWS Secrets Manager (needs boto3); SECRET_ID is a name
                                    or an ARN; SecretBinary, else SecretString's UTF-8 bytes

The env, file and AWS loaders are tested (AWS against moto's in-process Secrets Manager);
the GCP loader follows the SDK's documented call but is not exercised here (no emulator).
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import urllib.parse
from typing import Callable

__all__ = ["KeyRef", "KeyUnavailable", "load_key", "key_fingerprint", "register_loader",
           "loader_schemes", "MIN_KEY_BYTES"]

MIN_KEY_BYTES = 16


class KeyUnavailable(RuntimeError):
    """Fatal: the key cannot be loaded from its reference, is too short, or is not the key
    the run started with. The message names the reference, never the key."""


def key_fingerprint(key: bytes) -> str:
    """A short, non-reversible identifier of the key for the manifest (12 hex)."""
    return hashlib.sha256(b"wchat-release key fingerprint\x00" + key).hexdigest()[:12]


@dataclasses.dataclass(frozen=True)
class KeyRef:
    """What travels in the pipeline graph instead of the key."""

    uri: str
    fingerprint: str
    origin: str  # env | file | secret_manager | ephemeral (for the manifest)


def _from_env(rest: str, environ) -> bytes:
    value = environ.get(rest)
    if not value:
        raise KeyUnavailable(
            f"the environment variable {rest!r} holding the IP-hash key is not set here. "
            "Workers on a cluster do not inherit the launcher's environment: set it on every "
            "worker, or use ip_hash.key_uri (a secret manager) or a key file every worker can read")
    return value.encode("utf-8")


def _from_file(rest: str, environ) -> bytes:
    from apache_beam.io.filesystem import CompressionTypes
    from apache_beam.io.filesystems import FileSystems

    try:
        with FileSystems.open(rest, compression_type=CompressionTypes.UNCOMPRESSED) as fh:
            return fh.read().strip()
    except Exception as err:  # noqa: BLE001 - IOError, BeamIOError, missing credentials
        raise KeyUnavailable(f"the IP-hash key file {rest!r} cannot be read here: {err}") from None


def _sdk(module: str, package: str, scheme: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise KeyUnavailable(f"{scheme}:// keys need the package {package} on the driver and "
                             "every worker") from None


def _from_gcp(rest: str, environ) -> bytes:
    secretmanager = _sdk("google.cloud.secretmanager", "google-cloud-secret-manager", "gcp-sm")
    name = rest.strip("/")
    try:
        client = secretmanager.SecretManagerServiceClient()
        return client.access_secret_version(request={"name": name}).payload.data
    except Exception as err:  # noqa: BLE001
        raise KeyUnavailable(f"GCP Secret Manager: cannot access {name!r}: {err}") from None


def _from_aws(rest: str, environ) -> bytes:
    boto3 = _sdk("boto3", "boto3", "aws-sm")
    secret_id, _, query = rest.partition("?")
    region = urllib.parse.parse_qs(query).get("region", [None])[0]
    try:
        reply = boto3.client("secretsmanager", region_name=region).get_secret_value(SecretId=secret_id)
    except Exception as err:  # noqa: BLE001
        raise KeyUnavailable(f"AWS Secrets Manager: cannot read {secret_id!r}: {err}") from None
    return reply.get("SecretBinary") or reply["SecretString"].encode("utf-8")


_LOADERS: dict[str, Callable] = {"env": _from_env, "file": _from_file, "gcp-sm": _from_gcp,
                                 "aws-sm": _from_aws}


def register_loader(scheme: str, loader: Callable[[str, dict], bytes]) -> None:
    """Plug in another secret store: `loader(rest_of_uri, environ) -> key bytes`. Register it
    in a module both the driver and the workers import."""
    _LOADERS[scheme] = loader


def loader_schemes() -> tuple:
    return tuple(sorted(_LOADERS))


def _split(uri: str) -> tuple[str, str]:
    scheme, sep, rest = uri.partition(":")
    if not sep or scheme not in _LOADERS:
        raise KeyUnavailable(f"IP-hash key reference {uri!r}: unknown scheme; known: "
                             f"{', '.join(s + ':' for s in loader_schemes())}")
    return scheme, rest[2:] if rest.startswith("//") and scheme.endswith("-sm") else rest


def load_key(uri: str, environ=None, expected_fingerprint: str | None = None) -> bytes:
    """The key `uri` points at, checked for length and (when given) fingerprint."""
    import os

    scheme, rest = _split(uri)
    key = _LOADERS[scheme](rest, os.environ if environ is None else environ)
    if len(key) < MIN_KEY_BYTES:
        raise KeyUnavailable(f"the IP-hash key from {uri!r} is shorter than {MIN_KEY_BYTES} bytes")
    if expected_fingerprint is not None and key_fingerprint(key) != expected_fingerprint:
        raise KeyUnavailable(
            f"the IP-hash key from {uri!r} here has fingerprint {key_fingerprint(key)}, but the "
            f"run started with {expected_fingerprint}: every worker must see the same key")
    return key

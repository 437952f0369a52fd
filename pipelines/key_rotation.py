"""One IP-hash key across snapshots, unless the operator rotates it on purpose.

Users of the dataset join `hashed_ip` across snapshots (the same user in March and in April).
A run whose key differs from the previous release's would silently break every such join, so
it refuses to start unless `--rotate-key` is given; the manifest of a rotated run then says
which fingerprint it replaced. A previous release made with an ephemeral key (samples) never
joined with anything, so changing it needs no flag.
"""
from __future__ import annotations

from pipelines.config import ConfigError

__all__ = ["KeyRotationRefused", "check_key_rotation"]


class KeyRotationRefused(ConfigError):
    """Fatal: the key changed since the previous release and --rotate-key was not given."""


def check_key_rotation(previous_manifest: dict | None, fingerprint: str, rotate: bool) -> str | None:
    """The previous release's fingerprint when this run replaces it (to record in the
    manifest), else None. Raises `KeyRotationRefused` for an unannounced change."""
    if previous_manifest is None:
        return None
    previous = previous_manifest.get("ip_hash_key") or {}
    old = previous.get("fingerprint")
    if old is None or old == fingerprint or previous.get("ephemeral"):
        return None
    if not rotate:
        raise KeyRotationRefused(
            f"the IP-hash key (fingerprint {fingerprint}) is not the key of the previous release "
            f"{previous_manifest.get('run_id', '?')} (fingerprint {old}): hashed_ip would no "
            "longer join across snapshots. Run with that key, or pass --rotate-key to start a "
            "new key on purpose (the manifest records the rotation)")
    return old

"""Keyed IP pseudonyms and the header allow-list.

`hashed_ip` = hex HMAC-SHA256(key, normalized IP). An unkeyed hash of an IPv4 address is
reversed by trying all 2^32 addresses; with a secret key it cannot be. The key is passed in by
the caller (never read here) and never logged; `key_fingerprint` identifies it in the manifest.

`PseudonymizeTurns`: PCollection[Turn] -> PCollection[Turn] with `ip=None`, `hashed_ip` set and
headers filtered. Metrics (namespace "ip"): total.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.input import normalize_ip

__all__ = ["hash_ip", "key_fingerprint", "filter_headers", "PseudonymizeTurns"]


def hash_ip(ip: str, key: bytes) -> str:
    """Keyed hash of the normalized address: 64 hex chars (the width of WildChat's field)."""
    return hmac.new(key, normalize_ip(ip).encode("ascii"), hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """A short, non-reversible identifier of the key for the manifest."""
    return hashlib.sha256(b"wchat-release key fingerprint\x00" + key).hexdigest()[:12]


def filter_headers(headers: dict, allow: tuple) -> dict:
    return {name: headers.get(name) for name in allow}


class _PseudonymizeFn(beam.DoFn):
    def __init__(self, key: bytes, header_allow: tuple):
        self._key = key
        self._allow = tuple(sorted(h.lower() for h in header_allow))
        self._total = Metrics.counter("ip", "total")

    def process(self, turn):
        self._total.inc()
        yield dataclasses.replace(
            turn, ip=None, hashed_ip=hash_ip(turn.ip, self._key),
            headers=filter_headers(turn.headers, self._allow))


class PseudonymizeTurns(beam.PTransform):
    def __init__(self, key: bytes, header_allow: tuple):
        super().__init__()
        if not key:
            raise ValueError("PseudonymizeTurns needs a non-empty key")
        self._fn = _PseudonymizeFn(key, header_allow)

    def expand(self, turns):
        return turns | "HashIp" >> beam.ParDo(self._fn)

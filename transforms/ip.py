"""Keyed IP pseudonyms and the header allow-list.

`hashed_ip` = hex HMAC-SHA256(key, normalized IP). An unkeyed hash of an IPv4 address is
reversed by trying all 2^32 addresses; with a secret key it cannot be. The key never enters
the pipeline graph: `PseudonymizeTurns` gets a `KeyRef` (where the key is, and its
fingerprint) and each worker loads the key in `setup()` (transforms/ip_key.py). It is never
logged; `key_fingerprint` identifies it in the manifest.

`PseudonymizeTurns`: PCollection[Turn] -> PCollection[Turn] with `ip=None`, `hashed_ip` set and
headers filtered. With a geo config (strategy other than `none`), `country`/`state` are looked
up from the raw IP first (transforms/geo.py), so the raw IP never leaves this step.
Metrics (namespace "ip"): total; (namespace "geo"): found, not_found, not_public, cache_hits.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.input import normalize_ip
from transforms.ip_key import KeyRef, key_fingerprint, load_key

__all__ = ["hash_ip", "key_fingerprint", "filter_headers", "PseudonymizeTurns"]


def hash_ip(ip: str, key: bytes) -> str:
    """Keyed hash of the normalized address: 64 hex chars (the width of WildChat's field)."""
    return hmac.new(key, normalize_ip(ip).encode("ascii"), hashlib.sha256).hexdigest()


def filter_headers(headers: dict, allow: tuple) -> dict:
    return {name: headers.get(name) for name in allow}


class _PseudonymizeFn(beam.DoFn):
    def __init__(self, key_ref: KeyRef, header_allow: tuple, geo=None):
        self._key_ref = key_ref
        self._allow = tuple(sorted(h.lower() for h in header_allow))
        self._geo_config = geo
        self._total = Metrics.counter("ip", "total")

    def setup(self):
        self._key = load_key(self._key_ref.uri, expected_fingerprint=self._key_ref.fingerprint)
        self._geo = None
        if self._geo_config is not None:
            from transforms.geo import OUTCOMES, GeoLookup

            self._geo = GeoLookup(self._geo_config.database, self._geo_config.cache_size)
            self._outcomes = {o: Metrics.counter("geo", o) for o in OUTCOMES}
            self._cache_hits = Metrics.counter("geo", "cache_hits")

    def teardown(self):
        if self._geo is not None:
            self._geo.close()

    def process(self, turn):
        self._total.inc()
        place = {}
        if self._geo is not None:
            hits = self._geo.cache_hits
            country, state, outcome = self._geo.lookup(turn.ip)
            self._outcomes[outcome].inc()
            self._cache_hits.inc(self._geo.cache_hits - hits)
            place = {"country": country, "state": state}
        yield dataclasses.replace(
            turn, ip=None, hashed_ip=hash_ip(turn.ip, self._key),
            headers=filter_headers(turn.headers, self._allow), **place)


class PseudonymizeTurns(beam.PTransform):
    """`key_ref`: where each worker loads the key (`transforms.ip_key.KeyRef`). `geo`: a
    `GeoConfig` (database path or None for the bundled one, cache_size), or None (or strategy
    `none`) to leave `country`/`state` null."""

    def __init__(self, key_ref: KeyRef, header_allow: tuple, geo=None):
        super().__init__()
        if not isinstance(key_ref, KeyRef):
            raise TypeError("PseudonymizeTurns takes a KeyRef (where the key is), never the key "
                            "itself: constructor arguments are serialized into the job graph")
        if geo is not None and geo.strategy == "none":
            geo = None
        self._fn = _PseudonymizeFn(key_ref, header_allow, geo)

    def expand(self, turns):
        return turns | "HashIp" >> beam.ParDo(self._fn)

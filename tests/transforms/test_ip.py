"""Keyed IP pseudonyms and the header allow-list."""
import dataclasses

import apache_beam as beam
import hashlib

from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import Turn
from transforms.ip import PseudonymizeTurns, filter_headers, hash_ip, key_fingerprint

KEY = b"k" * 32


def test_hash_is_keyed_hex_and_stable():
    h = hash_ip("203.0.113.7", KEY)
    assert len(h) == 64 and int(h, 16) >= 0
    assert h == hash_ip("203.0.113.7", KEY)
    assert h != hash_ip("203.0.113.7", b"j" * 32)
    assert h != hashlib.sha256(b"203.0.113.7").hexdigest()  # not an unkeyed hash


def test_equivalent_spellings_of_an_address_hash_alike():
    assert hash_ip("::ffff:203.0.113.7", KEY) == hash_ip("203.0.113.7", KEY)
    assert hash_ip("2001:DB8::1", KEY) == hash_ip("2001:db8:0::1", KEY)


def test_fingerprint_is_short_and_does_not_contain_the_key():
    fp = key_fingerprint(b"super-secret-key-value")
    assert len(fp) == 12 and "secret" not in fp


def test_headers_keep_only_the_allow_list():
    headers = {"user-agent": "UA", "cookie": "session=1", "x-forwarded-for": "203.0.113.9"}
    assert filter_headers(headers, ("accept-language", "user-agent")) == {
        "accept-language": None, "user-agent": "UA"}


def test_pseudonymize_drops_the_raw_ip():
    turn = Turn(1, 0, "m", (("user", "q"),), "a", {"user-agent": "UA", "cookie": "c"}, True,
                "f", 1, ip="203.0.113.7")
    expected = dataclasses.replace(turn, ip=None, hashed_ip=hash_ip("203.0.113.7", KEY),
                                   headers={"user-agent": "UA"})
    with TestPipeline() as p:
        got = p | beam.Create([turn]) | PseudonymizeTurns(KEY, ("User-Agent",))
        assert_that(got, equal_to([expected]))

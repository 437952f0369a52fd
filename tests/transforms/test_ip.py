"""Keyed IP pseudonyms and the header allow-list."""
import dataclasses
import hashlib

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import Turn
from transforms.ip import PseudonymizeTurns, filter_headers, hash_ip, key_fingerprint
from transforms.ip_key import KeyRef

KEY = b"k" * 32
KEY_ENV = "WCHAT_TEST_IP_KEY"


def env_key_ref(monkeypatch, key: bytes = KEY) -> KeyRef:
    """A reference to `key` in an environment variable: what a transform gets instead of it."""
    monkeypatch.setenv(KEY_ENV, key.decode())
    return KeyRef(f"env:{KEY_ENV}", key_fingerprint(key), "env")


def test_hash_is_keyed_hex_and_stable():
    h = hash_ip("203.0.113.7", KEY)
    assert len(h) == 64 and int(h, 16) >= 0
    assert h == hash_ip("203.0.113.7", KEY)
    assert h != hash_ip("203.0.113.7", b"j" * 32)
    assert h != hashlib.sha256(b"203.0.113.7").hexdigest()  # not an unkeyed hash


def test_equivalent_spellings_of_an_address_hash_alike():
    assert hash_ip("::ffff:203.0.113.7", KEY) == hash_ip("203.0.113.7", KEY)
    assert hash_ip("2001:DB8::1", KEY) == hash_ip("2001:db8:0::1", KEY)
    assert hash_ip("fe80::1%eth0", KEY) == hash_ip("fe80::1", KEY)


def test_the_fingerprint_tells_keys_apart_and_is_not_a_plain_hash_of_the_key():
    fp = key_fingerprint(KEY)
    assert len(fp) == 12 and int(fp, 16) >= 0
    assert fp == key_fingerprint(KEY) and fp != key_fingerprint(b"j" * 32)
    # Domain-separated: not found in a table of sha256/md5 values of common keys.
    assert fp not in (hashlib.sha256(KEY).hexdigest(), hashlib.md5(KEY).hexdigest())
    assert not hashlib.sha256(KEY).hexdigest().startswith(fp)


def test_headers_keep_only_the_allow_list():
    headers = {"user-agent": "UA", "cookie": "session=1", "x-forwarded-for": "203.0.113.9"}
    assert filter_headers(headers, ("accept-language", "user-agent")) == {
        "accept-language": None, "user-agent": "UA"}


def test_pseudonymize_drops_the_raw_ip(monkeypatch):
    turn = Turn(1, 0, "m", (("user", "q"),), "a", {"user-agent": "UA", "cookie": "c"}, True,
                "f", 1, ip="203.0.113.7")
    expected = dataclasses.replace(turn, ip=None, hashed_ip=hash_ip("203.0.113.7", KEY),
                                   headers={"user-agent": "UA"})
    with TestPipeline() as p:
        got = p | beam.Create([turn]) | PseudonymizeTurns(env_key_ref(monkeypatch), ("User-Agent",))
        assert_that(got, equal_to([expected]))


def test_pseudonymize_refuses_the_key_itself():
    with pytest.raises(TypeError, match="never the key"):
        PseudonymizeTurns(KEY, ("user-agent",))


def test_a_worker_that_sees_another_key_stops_the_run(monkeypatch):
    ref = env_key_ref(monkeypatch)
    monkeypatch.setenv(KEY_ENV, "another-key-0123456789")  # the worker's environment differs
    turn = Turn(1, 0, "m", (("user", "q"),), "a", {}, True, "f", 1, ip="203.0.113.7")
    with pytest.raises(Exception, match="every worker must see the same key"):
        with TestPipeline() as p:
            _ = p | beam.Create([turn]) | PseudonymizeTurns(ref, ("user-agent",))

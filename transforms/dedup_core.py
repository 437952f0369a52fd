"""Duplicate detection, the pure part: normalised text, exact keys, MinHash signatures of first
prompts, LSH bands and the representative rule. `transforms/dedup.py` runs it in Beam.

- **Exact duplicates**: conversations whose normalised text is the same. Normalised =
  Unicode NFKC, case-folded, whitespace runs collapsed to one space and trimmed; roles count,
  punctuation counts (a changed comma is a near duplicate, not an exact one).
  `exact_key(messages)` = 32 hex of xxh3-128 over the normalised (role, text) pairs.
- **Near duplicates**: conversations whose *first user prompts* are near-identical: the
  Jaccard similarity of their sets of normalised words is at least `threshold`. Words are
  NFKC + case-folded runs of letters and digits (punctuation is not a word, so it cannot make
  two prompts differ; word order does not count); CJK, kana, Hangul and Thai characters are
  one word each (those scripts are written without spaces). A prompt with fewer than
  `min_words` distinct words takes no part (a greeting, "hi", is everybody's opening, not a
  copy of somebody's prompt). The similarity is estimated with datasketch's MinHash
  (`num_perm` permutations, fixed `seed`, the "affine32" scheme) and candidates are found by
  LSH: the signature is cut into `bands` bands of `rows` values (datasketch's optimal split
  for the threshold), and two prompts that agree on a whole band are candidates.
- **Representative**: of each duplicate cluster, the conversation with the earliest
  `timestamp`, then the smallest `conversation_id` (`sort_key`), is kept; the others are
  flagged. Conversations without a timestamp sort after every dated one.
"""
from __future__ import annotations

import datetime as dt
import re
import struct
import unicodedata

import numpy as np
import xxhash

__all__ = ["normalise", "exact_key", "prompt_words", "first_prompt", "MinHasher", "lsh_params",
           "sort_key", "node_id", "jaccard", "NO_TIME", "SCHEME"]

SCHEME = "affine32"  # datasketch's permutation scheme (its 2.x default), named so a change shows
NO_TIME = 2 ** 62  # sort key time of a row without a timestamp: after every dated one

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICRO = dt.timedelta(microseconds=1)
_SPACE = re.compile(r"\s+")
# One word per CJK ideograph, kana, Hangul syllable or Thai letter; else runs of letters/digits.
_SPACELESS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{_SPACELESS}]|(?:(?![{_SPACELESS}])[^\W_])+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip()


def exact_key(messages: list) -> str:
    """The key two conversations share when their normalised texts are the same."""
    h = xxhash.xxh3_128()
    for m in messages:
        for part in (m.get("role") or "", normalise(m.get("content") or "")):
            data = part.encode("utf-8", "surrogatepass")
            h.update(struct.pack("<I", len(data)))
            h.update(data)
    return h.hexdigest()


def first_prompt(messages: list) -> str | None:
    return next((m.get("content") or "" for m in messages if m.get("role") == "user"), None)


def prompt_words(text: str | None) -> list:
    """The distinct normalised words of a prompt, sorted (a set, in a stable order)."""
    if not text:
        return []
    return sorted(set(_WORD.findall(unicodedata.normalize("NFKC", text).casefold())))


def _hash32(data: bytes) -> int:
    return xxhash.xxh32_intdigest(data)


def lsh_params(threshold: float, num_perm: int) -> tuple:
    """(bands, rows) that datasketch's MinHashLSH chooses for `threshold` and `num_perm`
    (false positives and negatives weighted equally)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class MinHasher:
    """MinHash signatures and LSH band keys with fixed parameters. Building it draws the
    permutations once (datasketch, seeded); build it in a DoFn's setup()."""

    def __init__(self, num_perm: int, seed: int, bands: int, rows: int):
        from datasketch import MinHash

        if bands * rows > num_perm:
            raise ValueError(f"{bands} bands x {rows} rows exceed num_perm {num_perm}")
        self._minhash = MinHash
        self.num_perm, self.seed, self.bands, self.rows = num_perm, seed, bands, rows
        self._permutations = MinHash(num_perm=num_perm, seed=seed, hashfunc=_hash32,
                                     scheme=SCHEME).permutations

    def signature(self, words: list) -> np.ndarray:
        m = self._minhash(num_perm=self.num_perm, seed=self.seed, hashfunc=_hash32,
                          permutations=self._permutations, scheme=SCHEME)
        m.update_batch([w.encode("utf-8", "surrogatepass") for w in words])
        return m.hashvalues.astype("<u4")

    def band_keys(self, signature: np.ndarray) -> list:
        """[(band index, 64-bit hash of the band's values)]: two signatures that share a key
        agree on that whole band."""
        r = self.rows
        return [(b, xxhash.xxh3_64_intdigest(signature[b * r:(b + 1) * r].tobytes()))
                for b in range(self.bands)]


def jaccard(a: bytes, b: bytes) -> float:
    """MinHash estimate of the Jaccard similarity of two packed signatures (`tobytes()`)."""
    x, y = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    if len(x) != len(y) or not len(x):
        raise ValueError("signatures of different lengths")
    return float(np.count_nonzero(x == y)) / len(x)


def sort_key(timestamp, conversation_id: str) -> tuple:
    """The representative rule's order: earliest timestamp (a datetime, epoch microseconds or
    None), then smallest conversation_id."""
    if timestamp is None:
        micros = NO_TIME
    elif isinstance(timestamp, int):
        micros = timestamp
    else:
        micros = (timestamp - _EPOCH) // _MICRO
    return micros, conversation_id


def node_id(key: tuple) -> int:
    """A signed 63-bit id of a conversation's sort key, to spread it over salts."""
    return xxhash.xxh3_64_intdigest(key[1].encode("utf-8", "surrogatepass")) >> 1

"""Hashed character n-gram and word features, vectorised with numpy (no Beam, no sklearn).

The same function feeds training (`tools/toxicity/train.py`) and scoring (`ngram.py`), so the
model sees at run time exactly the features it was trained on. Why our own featuriser rather
than sklearn's `HashingVectorizer(analyzer="char_wb")`: that one builds every n-gram as a Python
string, about 150 messages/s on a 1,000-character chat message; hashing the code points with
numpy is one pass of array arithmetic per n, fast enough to score every message of a release.

Features of one text (after `normalise`):
- every character n-gram, n = 1..5, of the text with a space at each end (word boundaries are
  part of the n-grams, as in `char_wb`), hashed into `2**bits` buckets;
- every word and pair of adjacent words (split on spaces), hashed into the same space;
- with a lexicon (the public LDNOOBW word lists, `data/ldnoobw.json`), one extra feature per
  occurrence of a listed term: the model learns one weight for "a listed bad word is here",
  which carries to listed words its training data never showed.
Values are counts divided by the square root of the number of features of the text, so a long
message does not score higher for being long; no sort, no de-duplication: the score is one
gather and one sum over the ids. Hashes are fixed arithmetic on code points
(no Python `hash`, no per-process salt): the same text gives the same features everywhere.
"""
from __future__ import annotations

import re

import numpy as np

__all__ = ["FEATURE_VERSION", "normalise", "features", "feature_ids", "window_of", "Lexicon",
           "load_lexicon"]

#: bump when the features change (the model must then be retrained and renamed)
FEATURE_VERSION = "charword_1_5_counts_windows_lex_v1"

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_REPEAT = re.compile(r"(.)\1{3,}", re.DOTALL)
_DIGITS = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"([^\w\s*])")  # "*" stays inside words: users mask with it ("f*ck")

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_BASE = np.uint64(1_000_003)
_WORD = np.uint64(0x5851F42D4C957F2D)
_PAIR = np.uint64(0x14057B7EF767814F)


def normalise(text: str) -> str:
    """Lower case; URLs and @mentions out (platform noise in tweets, absent from chat); runs of
    4+ identical characters cut to 3 ("fuuuuck" -> "fuuuck"); digits -> 0; punctuation set
    apart from words ("idiot!" -> "idiot !"), so a word is the same word wherever it stands;
    spaces collapsed."""
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = text.lower()
    text = _REPEAT.sub(r"\1\1\1", text)
    text = _DIGITS.sub("0", text)
    text = _PUNCT.sub(r" \1 ", text)
    return _SPACE.sub(" ", text).strip()


def _mix(h: np.ndarray) -> np.ndarray:
    # splitmix64 finaliser: spreads the low bits that the bucket mask keeps
    h = h ^ (h >> np.uint64(30))
    h = h * _MIX1
    h = h ^ (h >> np.uint64(27))
    h = h * _MIX2
    return h ^ (h >> np.uint64(31))


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def feature_ids(text: str, bits: int = 20, max_n: int = 5) -> np.ndarray:
    """Feature ids (int64, one per occurrence, unsorted) of an already normalised text; empty
    for ''."""
    return features(text, bits, max_n)[0]


def features(text: str, bits: int = 20, max_n: int = 5,
             lexicon: "Lexicon | None" = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, starts): every feature of an already normalised text and the position in the text
    where it starts (a character n-gram's first character, a word's or a pair's first word),
    so that one pass over a long text can score each of its windows (`window_of`). With a
    `lexicon`, each occurrence of one of its terms adds the extra feature `2**bits`."""
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    cp = _codepoints(" " + text + " ")
    size = len(cp)
    parts, starts = [], []
    positions = np.arange(size, dtype=np.int64) - 1  # padded index -> index in `text`
    with np.errstate(over="ignore"):
        h = np.zeros(size, dtype=np.uint64)
        for n in range(1, max_n + 1):
            if size < n:
                break
            # h[i] = hash of cp[i : i + n], built from the (n-1)-gram hash of the same start
            h = h[: size - n + 1] * _BASE + cp[n - 1:]
            parts.append(_mix(h ^ (np.uint64(n) * _MUL)))
            starts.append(positions[: size - n + 1])
        words, word_starts = _word_hashes(cp)
        if len(words):
            parts.append(_mix(words ^ _WORD))
            starts.append(positions[word_starts])
            if len(words) > 1:
                parts.append(_mix((words[:-1] * _BASE + words[1:]) ^ _PAIR))
                starts.append(positions[word_starts[:-1]])
    full = np.concatenate(parts)
    where = np.maximum(np.concatenate(starts), 0)
    ids = (full & np.uint64((1 << bits) - 1)).astype(np.int64)
    if lexicon is not None:
        hits = lexicon.hits(full)
        if len(hits):
            ids = np.concatenate((ids, np.full(len(hits), 1 << bits, dtype=np.int64)))
            where = np.concatenate((where, where[hits]))
    return ids, where


class Lexicon:
    """Terms of a public word list, as the full 64-bit hashes of the features that spell them:
    a one-word term is its word feature, a two-word term its word-pair feature, and a term of a
    script written without spaces between words (CJK, Hangul: no ASCII letter in it) the
    character n-gram of its first `max_n` characters, so it is found inside longer words.
    Lookup is one gather in a bucket table, then an exact check of the few candidates."""

    BUCKET_BITS = 20

    def __init__(self, terms, max_n: int = 5):
        full = set()
        for term in terms:
            term = normalise(term)
            if not term:
                continue
            cp = _codepoints(" " + term + " ")
            with np.errstate(over="ignore"):
                words, _ = _word_hashes(cp)
                if len(words) == 1 and not _ASCII_LETTER.search(term):
                    grams = _codepoints(term)[:max_n]
                    h = np.uint64(0)
                    for c in grams:
                        h = h * _BASE + c
                    full.add(int(_mix(np.array([h ^ (np.uint64(len(grams)) * _MUL)]))[0]))
                elif len(words) == 1:
                    full.add(int(_mix(words ^ _WORD)[0]))
                elif len(words) == 2:
                    full.add(int(_mix(np.array([words[0] * _BASE + words[1]]) ^ _PAIR)[0]))
        self.full = frozenset(full)
        self._buckets = np.zeros(1 << self.BUCKET_BITS, dtype=bool)
        mask = (1 << self.BUCKET_BITS) - 1
        for value in self.full:
            self._buckets[value & mask] = True

    def __len__(self):
        return len(self.full)

    def hits(self, full_hashes: np.ndarray) -> np.ndarray:
        """Indices of the hashes that are terms."""
        mask = np.uint64((1 << self.BUCKET_BITS) - 1)
        candidates = np.flatnonzero(self._buckets[(full_hashes & mask).astype(np.int64)])
        return np.array([i for i in candidates.tolist() if int(full_hashes[i]) in self.full],
                        dtype=np.int64)


_ASCII_LETTER = re.compile(r"[a-z]")


def load_lexicon(path: str, max_n: int = 5) -> Lexicon:
    """The word lists of every language in `path` (JSON {"terms": {lang: [term, ...]}})."""
    import json

    with open(path, encoding="utf-8") as f:
        terms = json.load(f)["terms"]
    return Lexicon([t for lang in sorted(terms) for t in terms[lang]], max_n)


def _word_hashes(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hash, start) of every space-separated word of the padded code points (polynomial over
    the word, from cumulative sums of per-position terms, so no Python loop over words)."""
    is_space = cp == 32
    starts = np.flatnonzero(~is_space & np.concatenate(([True], is_space[:-1])))
    if not len(starts):
        return np.zeros(0, dtype=np.uint64), starts
    ends = np.flatnonzero(~is_space & np.concatenate((is_space[1:], [True]))) + 1
    # Sum of cp[j] * m^(j) over a word, with a fixed odd multiplier m; wraps mod 2^64.
    weights = _powers(len(cp))
    terms = (cp + np.uint64(1)) * weights
    csum = np.concatenate(([np.uint64(0)], np.cumsum(terms, dtype=np.uint64)))
    sums = csum[ends] - csum[starts]
    # divide out the start offset: multiply by the inverse power (m is odd, so invertible)
    inv = _inverse_powers(len(cp))
    return (sums * inv[starts]) ^ (ends - starts).astype(np.uint64), starts


_M = np.uint64(0xD6E8FEB86659FD93)
_M_INV = np.uint64(pow(int(_M), -1, 1 << 64))
_POW_CACHE: dict = {}


def _powers(n: int) -> np.ndarray:
    return _power_table(n, _M, "p")


def _inverse_powers(n: int) -> np.ndarray:
    return _power_table(n, _M_INV, "i")


def _power_table(n: int, base: np.uint64, kind: str) -> np.ndarray:
    table = _POW_CACHE.get(kind)
    if table is None or len(table) < n:
        size = max(n, 4096)
        with np.errstate(over="ignore"):  # products wrap mod 2^64, on purpose
            table = np.concatenate(([np.uint64(1)],
                                    np.cumprod(np.full(size - 1, base, dtype=np.uint64))))
        _POW_CACHE[kind] = table
    return table[:n]


def window_of(starts: np.ndarray, size: int) -> np.ndarray:
    """The window (0, 1, ...) of each feature: windows are consecutive runs of `size`
    characters, and a feature belongs to the window it starts in. A message is as toxic as its
    worst window, so a short insult inside a long paste is not averaged away."""
    return starts // size

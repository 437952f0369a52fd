"""OpenAI Moderation API backend (`openai_moderation_v1`; models `omni-moderation-latest`,
`text-moderation-latest`).

- **Batching**: up to `batch_size` inputs per request (`"input": [...]`).
- **Rate limit**: at most `requests_per_minute` requests per worker process (requests are
  spaced evenly; divide your account's limit by the number of workers).
- **Retries**: 429, 5xx, timeouts and connection errors are retried up to `max_retries` times
  with exponential backoff and full jitter (`backoff_seconds * 2**attempt`, capped at
  `max_backoff_seconds`, honouring a `Retry-After` header). A 401/403 stops the run (bad key).
  Texts still unscored after the retries get no entry (their `toxic` stays null; counted).
- **Timeout**: `timeout_seconds` per request.
- **Cache**: results are kept in a SQLite file (`cache_path`) keyed by a hash of (model, text),
  so a rerun sends nothing already scored; it holds no text. Duplicate texts in a batch are
  sent once.
- **Long inputs**: texts longer than `max_input_chars` are split at whitespace, each part is
  scored, and the parts are merged as WildChat did: category flags ORed, scores maxed,
  `flagged` ORed.
- **Key**: read from the environment variable named by `api_key_env` in the worker's
  `setup()`, never passed through the pipeline graph, never logged.

Entry per message (WildChat-1M's `openai_moderation` element): {"categories": {name: bool},
"category_scores": {name: float}, "flagged": bool}, with WildChat's category names (the API's
`self-harm/intent` plus the `self_harm_intent` alias, ...).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.request

from transforms.toxicity.base import BackendUnavailable, ToxicityBackend

__all__ = ["OpenAIModerationBackend", "ModerationClient", "ModerationCache", "RateLimiter",
           "ModerationAuthError", "split_text", "merge_entries", "to_entry", "CATEGORIES",
           "API_CATEGORIES"]

log = logging.getLogger(__name__)

# The API's category names (omni-moderation adds illicit and illicit/violent).
API_CATEGORIES = ("harassment", "harassment/threatening", "hate", "hate/threatening", "illicit",
                  "illicit/violent", "self-harm", "self-harm/instructions", "self-harm/intent",
                  "sexual", "sexual/minors", "violence", "violence/graphic")
_ALIAS = {name: name.replace("/", "_").replace("-", "_") for name in API_CATEGORIES}
# WildChat's struct fields: every API name plus its underscore alias where it differs.
CATEGORIES = tuple(sorted(set(API_CATEGORIES) | set(_ALIAS.values())))
_RETRYABLE = {408, 409, 425, 429}


class ModerationAuthError(RuntimeError):
    """Fatal: the API refused the key (401/403). The message never contains the key."""


def split_text(text: str, max_chars: int) -> list[str]:
    """Parts of at most `max_chars` characters, cut at the last whitespace before the limit
    when there is one in its second half; joined back they give `text`."""
    if len(text) <= max_chars:
        return [text]
    parts, start = [], 0
    while len(text) - start > max_chars:
        end = start + max_chars
        cut = max((m.end() for m in re.finditer(r"\s+", text[start + max_chars // 2:end])), default=0)
        end = start + max_chars // 2 + cut if cut else end
        parts.append(text[start:end])
        start = end
    parts.append(text[start:])
    return parts


def to_entry(result: dict) -> dict:
    """WildChat's entry from one element of the API's `results`."""
    categories = result.get("categories") or {}
    scores = result.get("category_scores") or {}
    cats, vals = {}, {}
    for name in API_CATEGORIES:
        flag, score = categories.get(name), scores.get(name)
        cats[name] = cats[_ALIAS[name]] = None if flag is None else bool(flag)
        vals[name] = vals[_ALIAS[name]] = None if score is None else float(score)
    return {"categories": {k: cats[k] for k in CATEGORIES},
            "category_scores": {k: vals[k] for k in CATEGORIES},
            "flagged": bool(result.get("flagged"))}


def merge_entries(entries: list[dict]) -> dict:
    """One entry for a text scored in parts: flags ORed, scores maxed, flagged ORed."""
    if len(entries) == 1:
        return entries[0]

    def combine(values, how):
        values = [v for v in values if v is not None]
        return how(values) if values else None

    return {"categories": {k: combine([e["categories"][k] for e in entries], any) for k in CATEGORIES},
            "category_scores": {k: combine([e["category_scores"][k] for e in entries], max)
                                for k in CATEGORIES},
            "flagged": any(e["flagged"] for e in entries)}


class ModerationCache:
    """Persistent (model, text-hash) -> API result. SQLite: safe for several worker processes
    on one machine; on a cluster give each worker a local path (or a shared filesystem)."""

    def __init__(self, path: str | None):
        self._memory: dict = {}
        self._db = None
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self._db = sqlite3.connect(path, timeout=60, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS moderation (key BLOB PRIMARY KEY, result TEXT)")
            self._db.commit()
        self._lock = threading.Lock()

    @staticmethod
    def key(model: str, text: str) -> bytes:
        return hashlib.blake2b(f"{model}\x00{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def get(self, key: bytes):
        if key in self._memory:
            return self._memory[key]
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT result FROM moderation WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self._memory[key] = result = json.loads(row[0])
        return result

    def put_many(self, items: dict) -> None:
        self._memory.update(items)
        if self._db is not None and items:
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO moderation VALUES (?, ?)",
                                     [(k, json.dumps(v, sort_keys=True)) for k, v in items.items()])
                self._db.commit()

    def close(self):
        if self._db is not None:
            self._db.close()
            self._db = None


class RateLimiter:
    """Spaces request starts at least 60/requests_per_minute seconds apart."""

    def __init__(self, requests_per_minute: float, clock=time.monotonic, sleep=time.sleep):
        self._interval = 60.0 / requests_per_minute
        self._clock, self._sleep = clock, sleep
        self._next = None

    def wait(self):
        now = self._clock()
        if self._next is not None and now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self._interval


class ModerationClient:
    """Scores texts with the Moderation API: cache, batching, rate limit, retries, splitting.
    `sleep`, `clock` and `rng` are injectable so tests do not wait out real backoffs."""

    def __init__(self, url: str, model: str, api_key: str, *, batch_size: int = 32,
                 requests_per_minute: float = 500, max_retries: int = 6,
                 timeout_seconds: float = 30.0, backoff_seconds: float = 1.0,
                 max_backoff_seconds: float = 60.0, max_input_chars: int = 8000,
                 cache: ModerationCache | None = None, sleep=time.sleep, clock=time.monotonic,
                 rng: random.Random | None = None):
        self.url, self.model, self._key = url, model, api_key
        self.batch_size, self.max_retries, self.timeout = batch_size, max_retries, timeout_seconds
        self.backoff, self.max_backoff, self.max_input_chars = backoff_seconds, max_backoff_seconds, max_input_chars
        self.cache = cache or ModerationCache(None)
        self._sleep = sleep
        self._limiter = RateLimiter(requests_per_minute, clock, sleep)
        self._rng = rng or random.Random()
        self.stats = {"requests": 0, "retries": 0, "cache_hits": 0, "failed_inputs": 0, "split_texts": 0}

    def moderate(self, texts: list[str]) -> list[dict | None]:
        """One WildChat entry per text (None when the API kept failing for it)."""
        parts = [split_text(t, self.max_input_chars) for t in texts]
        self.stats["split_texts"] += sum(len(p) > 1 for p in parts)
        results, pending = {}, []
        for piece in dict.fromkeys(p for ps in parts for p in ps):
            key = self.cache.key(self.model, piece)
            hit = self.cache.get(key)
            if hit is not None:
                self.stats["cache_hits"] += 1
                results[piece] = hit
            else:
                pending.append(piece)
        for i in range(0, len(pending), self.batch_size):
            batch = pending[i:i + self.batch_size]
            answered = self._request(batch)
            if answered is None:
                self.stats["failed_inputs"] += len(batch)
                continue
            fresh = dict(zip(batch, answered))
            results.update(fresh)
            self.cache.put_many({self.cache.key(self.model, p): r for p, r in fresh.items()})
        out = []
        for ps in parts:
            if all(p in results for p in ps):
                out.append(merge_entries([to_entry(results[p]) for p in ps]))
            else:
                out.append(None)
        return out

    def _request(self, batch: list[str]) -> list[dict] | None:
        body = json.dumps({"model": self.model, "input": batch}).encode()
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.stats["retries"] += 1
            self._limiter.wait()
            self.stats["requests"] += 1
            retry_after = None
            try:
                req = urllib.request.Request(self.url, data=body, method="POST", headers={
                    "Content-Type": "application/json", "Authorization": f"Bearer {self._key}"})
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    payload = json.loads(resp.read())
                results = payload.get("results")
                if isinstance(results, list) and len(results) == len(batch):
                    return results
                problem = "a reply without one result per input"
            except urllib.error.HTTPError as err:
                if err.code in (401, 403):
                    raise ModerationAuthError(
                        f"OpenAI Moderation refused the API key (HTTP {err.code}) at {self.url}") from None
                if err.code < 500 and err.code not in _RETRYABLE:
                    log.warning("moderation request rejected (HTTP %s); %d inputs left unscored",
                                err.code, len(batch))
                    return None
                retry_after = _seconds(err.headers.get("Retry-After") if err.headers else None)
                problem = f"HTTP {err.code}"
            except (socket.timeout, TimeoutError):
                problem = "timeout"
            except (urllib.error.URLError, ConnectionError, json.JSONDecodeError) as err:
                problem = type(err).__name__
            if attempt == self.max_retries:
                log.warning("moderation request failed after %d attempts (%s); %d inputs left unscored",
                            attempt + 1, problem, len(batch))
                return None
            delay = self._rng.uniform(0, min(self.max_backoff, self.backoff * 2 ** attempt))
            self._sleep(min(self.max_backoff, max(delay, retry_after or 0)))
        return None


def _seconds(value):
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class OpenAIModerationBackend(ToxicityBackend):
    name = "openai_moderation_v1"
    column = "openai_moderation"
    languages = None  # the omni model is multilingual
    default_threshold = None  # the API's own `flagged`

    def __init__(self, client: ModerationClient):
        self.client = client

    @classmethod
    def from_config(cls, config):
        c = config.openai
        key = os.environ.get(c.api_key_env)
        if not key:
            raise BackendUnavailable(f"toxicity backend openai_moderation_v1 needs an API key in the "
                                     f"environment variable {c.api_key_env!r} (it is not set)")
        return cls(ModerationClient(
            c.url, c.model, key, batch_size=c.batch_size, requests_per_minute=c.requests_per_minute,
            max_retries=c.max_retries, timeout_seconds=c.timeout_seconds,
            backoff_seconds=c.backoff_seconds, max_backoff_seconds=c.max_backoff_seconds,
            max_input_chars=c.max_input_chars, cache=ModerationCache(c.cache_path)))

    def score(self, texts):
        return self.client.moderate(texts)

    def verdict(self, entry, threshold, language_code=None):
        if threshold is None:
            return bool(entry["flagged"])
        return any(v is not None and v > threshold for v in entry["category_scores"].values())

    @staticmethod
    def empty_entry():
        return {"categories": None, "category_scores": None, "flagged": None}

    def close(self):
        self.client.cache.close()

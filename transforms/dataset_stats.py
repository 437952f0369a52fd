"""Dataset statistics of a release (WildChat's Table 1 and more), computed with combiners over
the release rows, with small cells folded so no aggregate can single out a person.

`DatasetStatistics(k, top_n, pii_types)`: PCollection[release row dict] -> PCollection[dict]
holding exactly one element, the statistics document (see `summarize`); `WriteStatistics(path)`
writes it as JSON for the publish step (`pipelines/report.py`).

How it scales: each row becomes a few (cell key, counter dict) pairs, pre-aggregated within
the row, and one `CombinePerKey` sums the counters. Combiner lifting sums inside each bundle
before the shuffle, so hot keys (the all-rows cell, English) cost one small dict per bundle.
Only the per-cell results (bounded by the number of languages, models, countries, months,
turn counts and length buckets, never by the number of rows) meet on one worker, where
`summarize` folds and formats them.

- **Medians and p90** of prompt/response lengths come from a fixed log-bucket histogram (the
  mapping of DDSketch, Masson et al. 2019): a value x > 0 goes to bucket ceil(log_g(x)) with
  g = (1 + a) / (1 - a), and a bucket reports 2 g^i / (g + 1). Every reported quantile is
  within a relative error a = `RELATIVE_ACCURACY` (1%) of the exact lower quantile; zero
  (empty messages) has its own bucket. Buckets are exact integer counts, so merging is
  addition: the result does not depend on how the runner split the bundles (deterministic),
  and memory is bounded by the number of buckets (about 800 for lengths up to 10^7).
- **Turns per conversation** are counted per exact value (at most `max_messages / 2` keys),
  so their mean, median and p90 are exact.
- **Distinct users** (hashed IPs) are counted exactly: `Distinct` (a GroupByKey on the hashed
  IP, spread over workers by key) then `Count.Globally`. Only the count leaves the transform;
  the hashed IPs never reach the document.
- **Quantile convention**: the q-quantile of n values is the floor(q (n - 1))-th smallest
  (pandas' `interpolation="lower"`), for lengths and turns alike.
- **Small cells** (fewer than k conversations) are folded into `OTHER`: languages, models,
  countries, months, per-language lengths and PII counts, NER-coverage language codes, and the
  tails of the turns histogram (merged into the neighbouring bin). Countries and models keep
  at most `top_n` values besides `OTHER` and `UNKNOWN`.

Metrics (namespace "dataset_stats"): rows, messages.
"""
from __future__ import annotations

import json
import math
import re

import apache_beam as beam
from apache_beam.metrics import Metrics

__all__ = ["DatasetStatistics", "row_cells", "summarize", "quantile", "bucket_of",
           "bucket_value", "fold", "RELATIVE_ACCURACY", "OTHER", "UNKNOWN", "DIMENSIONS",
           "STATS_VERSION", "summarize_rows", "WriteStatistics"]

NS = "dataset_stats"
STATS_VERSION = "wchat-stats/1"
RELATIVE_ACCURACY = 0.01
_GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)
ZERO_BUCKET = -(2 ** 31)
OTHER, UNKNOWN = "(other)", "(unknown)"
# Conversation-level breakdowns: every row counts once under its own value of each.
DIMENSIONS = ("language", "model", "country", "month")
ROLES = ("user", "assistant")
MEASURES = ("chars", "tokens")
# Fixed edges of the reported turns histogram: 1..5 alone, then ranges; the last is open.
TURN_BINS = (1, 2, 3, 4, 5, 6, 11, 21, 51, 101)


# -- the log-bucket histogram ---------------------------------------------------------------

def bucket_of(x: float) -> int:
    return ZERO_BUCKET if x <= 0 else math.ceil(math.log(x) / _LOG_GAMMA)


def bucket_value(b: int) -> float:
    return 0.0 if b == ZERO_BUCKET else 2 * _GAMMA ** b / (_GAMMA + 1)


def _observe(acc: dict, x: int) -> None:
    """Add value x to a histogram counter: "n" and "sum" plus one int key per bucket."""
    b = bucket_of(x)
    acc["n"] = acc.get("n", 0) + 1
    acc["sum"] = acc.get("sum", 0) + x
    acc[b] = acc.get(b, 0) + 1


def quantile(histogram: dict, q: float, value=bucket_value):
    """The floor(q (n - 1))-th smallest value of a histogram counter (None when empty)."""
    n = histogram.get("n", 0)
    if not n:
        return None
    rank, seen = math.floor(q * (n - 1)), 0
    for b in sorted(k for k in histogram if isinstance(k, int)):
        seen += histogram[b]
        if seen > rank:
            return value(b)
    raise AssertionError("histogram counts do not add up to n")


# -- per-row cells ----------------------------------------------------------------------------

def _value(v) -> str:
    return UNKNOWN if v is None or v == "" else str(v)


def _month(ts) -> str:
    return UNKNOWN if ts is None else f"{ts.year:04d}-{ts.month:02d}"


def _add(cells: dict, key: tuple, **counts) -> None:
    cell = cells.setdefault(key, {})
    for name, n in counts.items():
        if n:
            cell[name] = cell.get(name, 0) + n


def placeholder_pattern(pii_types) -> re.Pattern:
    """Matches the scrubber's placeholders `[TYPE_N]` of the configured entity types."""
    names = "|".join(sorted(map(re.escape, pii_types), key=len, reverse=True)) or "(?!)"
    return re.compile(rf"\[({names})_\d+\]")


def row_cells(row: dict, placeholders: re.Pattern) -> list:
    """(cell key, counter dict) pairs of one release row, already summed within the row.

    Keys: ("conversations", dim, value) for dim in "all" + DIMENSIONS; ("turns", n);
    ("messages", language) over all messages and ("messages", language, role) per role, by
    the message's own language; ("length", role, language, measure) histograms;
    ("language_code", code) by the conversation's code and ("message_language_code", code)
    once per code among its messages.
    """
    cells: dict = {}
    messages = row.get("conversation") or []
    user = [m for m in messages if m.get("role") == "user"]
    toxic = row.get("toxic")
    conv = dict(conversations=1, turns=row.get("turn") or 0,
                orphan_conversations=int(bool(row.get("orphan"))),
                redacted_conversations=int(bool(row.get("redacted"))),
                toxicity_judged_conversations=int(toxic is not None),
                toxic_conversations=int(toxic is True),
                toxicity_judged_user_turns=sum(m.get("toxic") is not None for m in user),
                toxic_user_turns=sum(m.get("toxic") is True for m in user),
                exact_duplicate_conversations=int(row.get("duplicate_exact") is True),
                near_duplicate_conversations=int(row.get("duplicate_near") is True),
                duplicate_conversations=int(row.get("duplicate_of") is not None))
    values = {"all": "all", "language": _value(row.get("language")),
              "model": _value(row.get("model")), "country": _value(row.get("country")),
              "month": _month(row.get("timestamp"))}
    for dim, value in values.items():
        _add(cells, ("conversations", dim, value), **conv)
    _add(cells, ("turns", int(row.get("turn") or 0)), conversations=1)
    _add(cells, ("language_code", _value(row.get("language_code"))), conversations=1)
    for code in {_value(m.get("language_code")) for m in messages}:
        _add(cells, ("message_language_code", code), conversations=1)

    seen = set()
    for m in messages:
        role, lang, text = m.get("role"), _value(m.get("language")), m.get("content") or ""
        redactions: dict = {}
        for match in placeholders.finditer(text):
            name = f"pii.{match.group(1)}"
            redactions[name] = redactions.get(name, 0) + 1
        _add(cells, ("messages", lang), messages=1, redacted_messages=int(bool(m.get("redacted"))),
             **redactions)
        _add(cells, ("messages", lang, role), messages=1)
        for key in (("messages", lang), ("messages", lang, role)):
            if key not in seen:  # cell sizes count conversations, not messages
                seen.add(key)
                _add(cells, key, conversations=1)
        if role in ROLES:
            _observe(cells.setdefault(("length", role, lang, "chars"), {}), len(text))
            _observe(cells.setdefault(("length", role, lang, "tokens"), {}), len(text.split()))
    return list(cells.items())


# -- folding and the document ------------------------------------------------------------------

def _merge(into: dict, counts: dict) -> dict:
    for name, n in counts.items():
        into[name] = into.get(name, 0) + n
    return into


def fold(cells: dict, sizes: dict, k: int, top_n: int | None = None) -> list:
    """[(value, counts)]: values with at least k conversations (by `sizes`), largest first
    (at most `top_n` of them besides UNKNOWN), then OTHER holding the merged rest."""
    kept, other, listed = [], {}, 0
    for value in sorted(cells, key=lambda v: (-sizes.get(v, 0), v)):
        room = top_n is None or value == UNKNOWN or listed < top_n
        if sizes.get(value, 0) >= k and room and value != OTHER:
            kept.append((value, cells[value]))
            listed += value != UNKNOWN
        else:
            _merge(other, cells[value])
    if other:
        kept.append((OTHER, other))
    return kept


def _share(n, total):
    return round(n / total, 6) if total else None


def _rate(n, judged):
    return round(n / judged, 6) if judged else None


def _conversation_entry(value: str, c: dict, totals: dict) -> dict:
    return {
        "value": value,
        "conversations": c.get("conversations", 0),
        "conversation_share": _share(c.get("conversations", 0), totals["conversations"]),
        "turns": c.get("turns", 0),
        "turn_share": _share(c.get("turns", 0), totals["turns"]),
        "orphan_conversations": c.get("orphan_conversations", 0),
        "redacted_conversations": c.get("redacted_conversations", 0),
        "toxicity_judged_conversations": c.get("toxicity_judged_conversations", 0),
        "toxic_conversations": c.get("toxic_conversations", 0),
        "toxic_conversation_rate": _rate(c.get("toxic_conversations", 0),
                                         c.get("toxicity_judged_conversations", 0)),
        "toxicity_judged_user_turns": c.get("toxicity_judged_user_turns", 0),
        "toxic_user_turns": c.get("toxic_user_turns", 0),
        "toxic_user_turn_rate": _rate(c.get("toxic_user_turns", 0),
                                      c.get("toxicity_judged_user_turns", 0)),
        # transforms/dedup.py: conversations flagged (not kept) as duplicates
        "exact_duplicate_conversations": c.get("exact_duplicate_conversations", 0),
        "near_duplicate_conversations": c.get("near_duplicate_conversations", 0),
        "duplicate_conversations": c.get("duplicate_conversations", 0),
        "duplicate_share": _share(c.get("duplicate_conversations", 0), c.get("conversations", 0)),
    }


def _summary(histogram: dict, value=bucket_value) -> dict:
    n = histogram.get("n", 0)
    return {"mean": round(histogram["sum"] / n, 4) if n else None,
            "median": _round(quantile(histogram, 0.5, value)),
            "p90": _round(quantile(histogram, 0.9, value))}


def _round(x):
    return None if x is None else round(x, 2)


def _turn_bins(turns: dict, k: int) -> list:
    """Fixed TURN_BINS, then every bin with fewer than k conversations merged into its
    neighbour (the last bins downward, the others upward)."""
    edges = list(TURN_BINS)
    bins = [[lo, (edges[i + 1] - 1) if i + 1 < len(edges) else None, 0]
            for i, lo in enumerate(edges)]
    for n, count in turns.items():
        for b in reversed(bins):
            if n >= b[0]:
                b[2] += count
                break
        else:  # turn 0 cannot be released, but count it rather than drop it
            bins[0][2] += count
    while len(bins) > 1 and bins[-1][2] < k:  # fold the tail into the bin below
        last = bins.pop()
        bins[-1][1], bins[-1][2] = last[1], bins[-1][2] + last[2]
    i = 0
    while i < len(bins) - 1:  # fold small inner bins into the next one
        if bins[i][2] < k:
            nxt = bins.pop(i + 1)
            bins[i][1], bins[i][2] = nxt[1], bins[i][2] + nxt[2]
        else:
            i += 1
    return [{"bin": _bin_label(lo, hi), "min": lo, "max": hi, "conversations": c}
            for lo, hi, c in bins]


def _bin_label(lo, hi):
    if hi is None:
        return f">={lo}"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _exact(value):
    return value


def summarize(cells, users: int, k: int = 10, top_n: int = 20, pii_types=()) -> dict:
    """The statistics document from the combined cells (an iterable of (key, counts))."""
    by_key = dict(cells)
    totals = by_key.get(("conversations", "all", "all"), {})
    totals = {"conversations": totals.get("conversations", 0), "turns": totals.get("turns", 0),
              **totals}
    doc = {
        "stats_version": STATS_VERSION,
        "min_cell_conversations": k,
        "top_n": top_n,
        "quantiles": {"method": "log-bucket histogram (DDSketch mapping)",
                      "relative_error": RELATIVE_ACCURACY,
                      "rank": "floor(q * (n - 1))-th smallest (lower)"},
        "conversations": totals["conversations"],
        "turns": totals["turns"],
        "users": users,
    }
    turn_hist = {"n": 0, "sum": 0}
    for key, c in by_key.items():
        if key[0] == "turns":
            turn_hist[key[1]] = turn_hist.get(key[1], 0) + c["conversations"]
            turn_hist["n"] += c["conversations"]
            turn_hist["sum"] += key[1] * c["conversations"]
    doc["turns_per_conversation"] = dict(
        _summary(turn_hist, _exact),
        histogram=_turn_bins({n: turn_hist[n] for n in turn_hist if isinstance(n, int)}, k))

    overall = _conversation_entry("all", totals, totals)
    doc["toxicity"] = None if not overall["toxicity_judged_conversations"] else {
        name: overall[name] for name in (
            "toxicity_judged_conversations", "toxic_conversations", "toxic_conversation_rate",
            "toxicity_judged_user_turns", "toxic_user_turns", "toxic_user_turn_rate")}
    doc["orphan_conversations"] = overall["orphan_conversations"]
    doc["duplicates"] = {name: overall[name] for name in (
        "exact_duplicate_conversations", "near_duplicate_conversations", "duplicate_conversations",
        "duplicate_share")}
    doc["redacted_conversations"] = overall["redacted_conversations"]

    doc["by"] = {}
    for dim in DIMENSIONS:
        dim_cells = {key[2]: c for key, c in by_key.items() if key[:2] == ("conversations", dim)}
        sizes = {v: c.get("conversations", 0) for v, c in dim_cells.items()}
        folded = fold(dim_cells, sizes, k, top_n if dim in ("model", "country") else None)
        if dim == "month":
            folded.sort(key=lambda vc: (vc[0] in (OTHER, UNKNOWN), vc[0]))
        doc["by"][dim] = [_conversation_entry(v, c, totals) for v, c in folded]

    doc["lengths"] = _lengths(by_key, k)
    doc["lengths_overall"] = _lengths_overall(by_key)
    doc["pii"] = _pii(by_key, k, pii_types)
    # Codes present in at least k conversations: the card's language list (by conversation)
    # and the languages the NER-coverage table may name (by message).
    for family, name in (("language_code", "language_codes"),
                         ("message_language_code", "message_language_codes")):
        codes = {key[1]: c.get("conversations", 0) for key, c in by_key.items() if key[0] == family}
        doc[name] = sorted(c for c, n in codes.items() if n >= k and c not in (UNKNOWN, "und"))
    return doc


def _lengths_overall(by_key: dict) -> dict:
    """Per role, every language's histograms merged (no cell to fold: it is the total)."""
    out = {}
    for role in ROLES:
        merged = {m: {} for m in MEASURES}
        for key, c in by_key.items():
            if key[0] == "length" and key[1] == role:
                _merge(merged[key[3]], c)
        out[role] = {"messages": merged["chars"].get("n", 0),
                     **{m: _summary(merged[m]) for m in MEASURES}}
    return out


def _lengths(by_key: dict, k: int) -> dict:
    out = {}
    for role in ROLES:
        sizes = {key[1]: c.get("conversations", 0) for key, c in by_key.items()
                 if key[0] == "messages" and len(key) == 3 and key[2] == role}
        langs = {}
        for key, c in by_key.items():
            if key[0] == "length" and key[1] == role:
                langs.setdefault(key[2], {})[key[3]] = c
        merged = {lang: _flatten_measures(m) for lang, m in langs.items()}
        out[role] = []
        for lang, flat in fold(merged, sizes, k):
            measures = _split_measures(flat)
            out[role].append({"language": lang, "messages": measures["chars"].get("n", 0),
                              **{m: _summary(measures[m]) for m in MEASURES}})
    return out


def _flatten_measures(measures: dict) -> dict:
    """{measure: histogram} as one counter dict (keys tagged by measure) so `fold` can merge it."""
    return {(m, name): n for m, hist in measures.items() for name, n in hist.items()}


def _split_measures(flat: dict) -> dict:
    out = {m: {} for m in MEASURES}
    for (m, name), n in flat.items():
        out[m][name] = n
    return out


def _pii(by_key: dict, k: int, pii_types) -> dict:
    cells = {key[1]: c for key, c in by_key.items() if key[0] == "messages" and len(key) == 2}
    sizes = {lang: c.get("conversations", 0) for lang, c in cells.items()}
    by_language = []
    totals = {t: 0 for t in pii_types}
    for lang, c in fold(cells, sizes, k):
        redactions = {t: c.get(f"pii.{t}", 0) for t in pii_types}
        for t, n in redactions.items():
            totals[t] += n
        by_language.append({"language": lang, "messages": c.get("messages", 0),
                            "redacted_messages": c.get("redacted_messages", 0),
                            "redacted_message_share": _share(c.get("redacted_messages", 0),
                                                             c.get("messages", 0)),
                            "redactions": redactions})
    return {"redactions": totals, "by_language": by_language}


def summarize_rows(rows, k: int = 10, top_n: int = 20, pii_types=()) -> dict:
    """The same document without Beam, over rows in memory (tests, small inputs)."""
    placeholders, cells, users = placeholder_pattern(pii_types), {}, set()
    for row in rows:
        users.update(_hashed_ips(row))
        for key, counts in row_cells(row, placeholders):
            _merge(cells.setdefault(key, {}), counts)
    return summarize(cells.items(), len(users), k, top_n, pii_types)


# -- the transform ------------------------------------------------------------------------------

class _SumCountsFn(beam.CombineFn):
    """Sums counter dicts key by key (histograms are counter dicts too)."""

    def create_accumulator(self):
        return {}

    def add_input(self, acc, counts):
        return _merge(acc, counts)

    def merge_accumulators(self, accs):
        accs = iter(accs)
        out = next(accs)
        for acc in accs:
            _merge(out, acc)
        return out

    def extract_output(self, acc):
        return acc


class _RowCellsFn(beam.DoFn):
    def __init__(self, pii_types: tuple):
        self._pii_types = pii_types
        self._rows = Metrics.counter(NS, "rows")
        self._messages = Metrics.counter(NS, "messages")

    def setup(self):
        self._placeholders = placeholder_pattern(self._pii_types)

    def process(self, row):
        self._rows.inc()
        self._messages.inc(len(row.get("conversation") or []))
        yield from row_cells(row, self._placeholders)


def _hashed_ips(row: dict):
    ips = {m.get("hashed_ip") for m in row.get("conversation") or []}
    ips.add(row.get("hashed_ip"))
    ips.discard(None)
    return sorted(ips)


class DatasetStatistics(beam.PTransform):
    """PCollection[release row] -> PCollection[dict]: one statistics document."""

    def __init__(self, k: int = 10, top_n: int = 20, pii_types=()):
        super().__init__()
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k (min_cell_conversations) must be an integer >= 1, got {k!r}")
        if not isinstance(top_n, int) or isinstance(top_n, bool) or top_n < 1:
            raise ValueError(f"top_n must be an integer >= 1, got {top_n!r}")
        self._k, self._top_n, self._pii_types = k, top_n, tuple(pii_types)

    def expand(self, rows):
        cells = (
            rows
            | "RowCells" >> beam.ParDo(_RowCellsFn(self._pii_types))
            | "SumCells" >> beam.CombinePerKey(_SumCountsFn())
            | "GatherCells" >> beam.combiners.ToList()
        )
        users = (
            rows
            | "HashedIps" >> beam.FlatMap(_hashed_ips)
            | "DistinctIps" >> beam.Distinct()
            | "CountUsers" >> beam.combiners.Count.Globally()
        )
        return cells | "Summarize" >> beam.Map(
            summarize, beam.pvalue.AsSingleton(users), self._k, self._top_n, self._pii_types)


def _to_json(doc: dict) -> str:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False)


class WriteStatistics(beam.PTransform):
    """PCollection[dict] (one document) -> the JSON file `path` (one line)."""

    def __init__(self, path: str):
        super().__init__()
        self._path = path

    def expand(self, docs):
        return (docs
                | "ToJson" >> beam.Map(_to_json)
                | "Write" >> beam.io.WriteToText(self._path, num_shards=1, shard_name_template=""))

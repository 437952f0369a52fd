"""`MarkDuplicates(config, never_release)`: PCollection[release row] -> PCollection[release row]
(main output `rows`: every row, with `duplicate_exact`, `duplicate_near` and `duplicate_of`
set), plus tagged outputs `STATS` ((stat name, n) pairs) and `SIZES` ((step, n): the largest
group a grouping step held, per bundle). What counts as a duplicate and the representative
rule are in `transforms/dedup_core.py`.

A row's flags: `duplicate_exact` when another conversation with the same normalised text is
kept instead of it, `duplicate_near` when its first prompt is a near duplicate of a kept
conversation's, `duplicate_of` the conversation_id of the one it duplicates (the exact
cluster's representative, else the near one's), null for rows that are kept. Rows that
`never_release` withholds take no part (flags null): a withheld row never represents a cluster.

No step holds the corpus or a cluster in one worker: only compact records (sort keys, 64-bit
band hashes, 512-byte signatures) are shuffled, every minimum is a lifted combine, and each
join of a big key (a prompt pasted by thousands) is salted (`transforms/link_salt.py`):

  Sign           each row -> exact key, LSH band keys and signature of its first prompt
  exact          min sort key per exact key (combine); members meet their key's minimum in
                 a salted join -> flagged unless they are it
  near           min sort key per band bucket (combine), then `rounds` rounds of checked
                 min-label propagation over the conversation-bucket graph: each member of a
                 bucket is proposed the bucket's label (a salted join); every distinct
                 proposal (node, label earlier than the node) is checked against the label's
                 signature (a join per node, then a salted join keyed by the label) and passes
                 only if the estimated Jaccard is at least the threshold; a node's label is
                 the least it passed so far; the next round's bucket label is the least of its
                 members' (a join per node, a combine per bucket). A false band collision
                 therefore costs one failed check, never a missed duplicate, and a chain of
                 candidates never merges unlike prompts
  FlagRows       each row joined to its two verdicts by conversation_id (one of each per key)

Labels only decrease along `duplicate_of`, so every flagged conversation leads to a kept one:
each cluster keeps at least one representative (more when a member is not similar enough to
any label it was proposed). With few rounds, `duplicate_of` can name a conversation that is itself a
near duplicate of an earlier one (a chain longer than the rounds); the manifest counts nodes
whose label still moved in the last round (`duplicates.near_unsettled`).

Stats: duplicates.rows (rows that took part), duplicates.exact, duplicates.near (flagged rows;
a row can be both), duplicates.duplicate (either), duplicates.near_rejected (proposals that
failed the similarity check, over all rounds), duplicates.near_unsettled, duplicates.without_verdict (rows that
took part but got no exact verdict: must be 0, the publisher checks it).

Metrics (namespace "duplicates"): rows, signed_prompts, exact, near, near_rejected.
"""
from __future__ import annotations

from typing import Any, Tuple

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.dedup_core import (MinHasher, exact_key, first_prompt, jaccard, lsh_params,
                                   node_id, prompt_words, sort_key)
from transforms.group_sizes import LargestGroup
from transforms.link_salt import HOT_KEY_ITEMS, SALTS, SaltedCoGroupByKey
from transforms.variant_rules import variant_reasons

__all__ = ["MarkDuplicates", "STATS", "SIZES", "FLAG_COLUMNS", "unflagged"]

NS = "duplicates"
STATS, SIZES = "stats", "group_sizes"
FLAG_COLUMNS = ("duplicate_exact", "duplicate_near", "duplicate_of")
_EXACT, _BAND, _SIG = "exact", "band", "sig"


def unflagged(row: dict) -> dict:
    """A row with null duplicate columns (detection off, or a withheld row)."""
    return {**row, **dict.fromkeys(FLAG_COLUMNS)}


def _stat(name: str, n: int = 1):
    return beam.pvalue.TaggedOutput(STATS, (f"duplicates.{name}", n))


class _GroupFn(beam.DoFn):
    STEP = ""

    def start_bundle(self):
        self._largest = LargestGroup(self.STEP, SIZES)

    def finish_bundle(self):
        yield from self._largest.finish()


class _SignFn(beam.DoFn):
    """row -> (exact key, node), ((band, hash), node) per band, (node, signature)."""

    def __init__(self, num_perm, seed, bands, rows, min_words, never_release):
        self._params = (num_perm, seed, bands, rows)
        self._min_words, self._never = min_words, never_release
        self._rows = Metrics.counter(NS, "rows")
        self._signed = Metrics.counter(NS, "signed_prompts")

    def setup(self):
        self._hasher = MinHasher(*self._params)

    def process(self, row):
        if self._never and variant_reasons(row, {"full": ()}, self._never)["full"]:
            return
        self._rows.inc()
        messages = row.get("conversation") or []
        node = sort_key(row.get("timestamp"), row["conversation_id"])
        yield beam.pvalue.TaggedOutput(_EXACT, (exact_key(messages), node))
        yield _stat("rows")
        words = prompt_words(first_prompt(messages))
        if len(words) < self._min_words:
            return
        self._signed.inc()
        signature = self._hasher.signature(words)
        for band in self._hasher.band_keys(signature):
            yield beam.pvalue.TaggedOutput(_BAND, (band, node))
        yield beam.pvalue.TaggedOutput(_SIG, (node, signature.tobytes()))


class _ExactVerdictFn(_GroupFn):
    """((exact key, salt), {members, least}) -> (conversation_id, representative id or None)."""

    STEP = "exact"

    def process(self, element):
        _, grouped = element
        members, least = grouped["members"], list(grouped["least"])
        self._largest.saw(len(members))
        rep = least[0]
        for node in members:
            if node == rep:
                yield node[1], None
            else:
                Metrics.counter(NS, "exact").inc()
                yield node[1], rep[1]


class _LeastLabelFn(_GroupFn):
    """(key, {items, label}) -> (item, the least label) per item: a bucket's label to each of
    its members (step near_bucket, salted groups), or a node's label to each of its buckets
    (step near_node)."""

    def __init__(self, step: str):
        self.STEP = step

    def process(self, element):
        _, grouped = element
        items, labels = grouped["items"], list(grouped["label"])
        self._largest.saw(len(items))
        if not labels:  # a node without a verified label: its buckets keep theirs
            return
        label = min(labels)
        for item in items:
            yield item, label


def _pointing_away(node_label) -> bool:
    node, label = node_label
    return label < node


def _with_signature(element):
    """(node, {label, sig}) -> (label, (node, signature)) per candidate label of the node."""
    node, grouped = element
    sigs = list(grouped["sig"])
    for label in sorted(grouped["label"]) if sigs else ():
        yield label, (node, sigs[0])


def _member_node_id(value) -> int:
    return node_id(value[0])


class _VerifyFn(_GroupFn):
    """((label, salt), {members: [(node, signature)], rep: [signature]}) -> (node, label) for
    each member whose signature is similar enough to the label's."""

    STEP = "near_verify"

    def __init__(self, threshold: float):
        self._threshold = threshold

    def process(self, element):
        (label, _), grouped = element
        members, reps = grouped["members"], list(grouped["rep"])
        self._largest.saw(len(members))
        if not reps:  # cannot happen: every label is a signed node
            return
        for node, signature in members:
            if jaccard(signature, reps[0]) >= self._threshold:
                yield node, label
            else:
                Metrics.counter(NS, "near_rejected").inc()
                yield _stat("near_rejected")


def _settled(element):
    """(node, {before, after}) -> 1 if the node's label moved in the last round."""
    _, grouped = element
    if list(grouped["before"]) != list(grouped["after"]):
        yield "duplicates.near_unsettled", 1


def _ids(node_label):
    node, label = node_label
    Metrics.counter(NS, "near").inc()
    return node[1], label[1]


def _least_value(element):
    key, grouped = element
    return key, min(v for values in grouped.values() for v in values)


def _least(label: str, *pcolls):
    """Per key, the least value over keyed PCollections that hold at most one value per key."""
    return ({str(i): p for i, p in enumerate(pcolls)} | label >> beam.CoGroupByKey()
            | f"{label}Value" >> beam.Map(_least_value))


def _keyed_row(row):
    return row["conversation_id"], row


class _FlagRowsFn(beam.DoFn):
    """(conversation_id, {row, exact, near}) -> the row with its duplicate columns."""

    def __init__(self, never_release):
        self._never = never_release

    def process(self, element):
        _, grouped = element
        exact, near = list(grouped["exact"]), [n for n in grouped["near"] if n is not None]
        for row in grouped["row"]:
            if not exact:
                if not (self._never and variant_reasons(row, {"full": ()}, self._never)["full"]):
                    yield _stat("without_verdict")
                yield unflagged(row)
                continue
            exact_of, near_of = exact[0], (near[0] if near else None)
            out = {**row, "duplicate_exact": exact_of is not None,
                   "duplicate_near": near_of is not None,
                   "duplicate_of": exact_of if exact_of is not None else near_of}
            for name in ("exact", "near"):
                if out[f"duplicate_{name}"]:
                    yield _stat(name)
            if out["duplicate_of"] is not None:
                yield _stat("duplicate")
            yield out


class MarkDuplicates(beam.PTransform):
    """See the module docstring. `threshold`: Jaccard similarity of first prompts' word sets;
    `min_words`: distinct words a first prompt needs to take part in near detection."""

    def __init__(self, num_perm: int = 128, threshold: float = 0.7, min_words: int = 5,
                 seed: int = 1, rounds: int = 2, never_release=(), salts: int = SALTS,
                 hot_key_items: int = HOT_KEY_ITEMS):
        super().__init__()
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
        for name, value in (("num_perm", num_perm), ("min_words", min_words), ("rounds", rounds)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self._bands, self._rows = lsh_params(threshold, num_perm)
        self._num_perm, self._threshold, self._min_words = num_perm, threshold, min_words
        self._seed, self._rounds, self._never = seed, rounds, tuple(never_release)
        self._salting = dict(salts=salts, hot_key_items=hot_key_items)

    def expand(self, rows):
        signed = rows | "Sign" >> beam.ParDo(_SignFn(
            self._num_perm, self._seed, self._bands, self._rows, self._min_words, self._never)
        ).with_outputs(_EXACT, _BAND, _SIG, STATS, main="unused")
        exact, exact_sizes = self._exact(signed[_EXACT])
        near, near_stats, unsettled, near_sizes = self._near(signed)
        flagged = ({"row": rows | "KeyRows" >> beam.Map(_keyed_row), "exact": exact, "near": near}
                   | "JoinVerdicts" >> beam.CoGroupByKey()
                   | "FlagRows" >> beam.ParDo(_FlagRowsFn(self._never)).with_outputs(STATS, main="rows"))
        return {
            "rows": flagged.rows,
            STATS: (signed[STATS], near_stats, flagged[STATS], *unsettled)
            | "AllStats" >> beam.Flatten(),
            SIZES: (exact_sizes, *near_sizes) | "AllSizes" >> beam.Flatten(),
        }

    def _salted(self, label: str, pcolls: dict, spread_by=node_id, wide: str = "members"):
        return pcolls | label >> SaltedCoGroupByKey(wide, spread_by, **self._salting)

    def _exact(self, keyed):
        least = keyed | "ExactLeast" >> beam.CombinePerKey(min)
        verdicts = (self._salted("ExactGroups", {"members": keyed, "least": least})
                    | "ExactVerdicts" >> beam.ParDo(_ExactVerdictFn()).with_outputs(SIZES, main="v"))
        return verdicts.v, verdicts[SIZES]

    def _near(self, signed):
        """Each round: every member of a bucket proposes the bucket's label; each distinct
        proposal (node, label < node) is checked against the label's signature; a node's label
        is the least it passed (in any round). The next round's buckets take the least label
        of their members. Returns (verdicts, stats, [unsettled], [sizes])."""
        bands, sigs = signed[_BAND], signed[_SIG]
        by_node = bands | "BucketsByNode" >> beam.KvSwap()
        bucket_label = bands | "BucketLeast" >> beam.CombinePerKey(min)
        sizes, stats, best, previous = [], [], None, None
        for r in range(self._rounds):
            if r:
                # Beam's FnApiRunner leaves a later round's salted joins unscheduled ("watermark-
                # pending bundles") when their inputs come straight from the signing stage
                # (fused with it); a reshuffle gives each round inputs of its own.
                bands, sigs, by_node = (pc | f"{name}ForRound{r}" >> beam.Reshuffle()
                                        for name, pc in (("Bands", bands), ("Signatures", sigs),
                                                         ("BucketsByNode", by_node)))
                fed = ({"items": by_node, "label": best}
                       | f"NodeLabels{r}" >> beam.CoGroupByKey()
                       | f"BucketLabels{r}" >> beam.ParDo(_LeastLabelFn("near_node")).with_outputs(
                           SIZES, main="l"))
                sizes.append(fed[SIZES])
                bucket_label = _least(f"BucketLeast{r}", bucket_label, fed.l)
            learned = (self._salted(f"BucketGroups{r}", {"items": bands, "label": bucket_label},
                                    wide="items")
                       | f"MemberLabels{r}" >> beam.ParDo(_LeastLabelFn("near_bucket")).with_outputs(
                           SIZES, main="l"))
            proposals = (learned.l | f"PointingAway{r}" >> beam.Filter(_pointing_away)
                         | f"DistinctProposals{r}" >> beam.Distinct())
            candidates = ({"label": proposals, "sig": sigs}
                          | f"JoinSignatures{r}" >> beam.CoGroupByKey()
                          | f"WithSignature{r}" >> beam.FlatMap(_with_signature))
            verified = (self._salted(f"VerifyGroups{r}", {"members": candidates, "rep": sigs},
                                     _member_node_id)
                        | f"Verify{r}" >> beam.ParDo(_VerifyFn(self._threshold))
                        .with_output_types(Tuple[Any, Any]).with_outputs(STATS, SIZES, main="v"))
            sizes += [learned[SIZES], verified[SIZES]]
            stats.append(verified[STATS])
            passed = verified.v | f"LeastPassed{r}" >> beam.CombinePerKey(min)
            previous, best = best, (passed if best is None else
                                    _least(f"LeastPassedSoFar{r}", best, passed))
        unsettled = []
        if previous is not None:
            unsettled.append({"before": previous, "after": best}
                             | "LastRound" >> beam.CoGroupByKey()
                             | "Unsettled" >> beam.FlatMap(_settled))
        verdicts = best | "VerdictIds" >> beam.Map(_ids)
        return verdicts, stats | "NearStats" >> beam.Flatten(), unsettled, sizes

    @property
    def lsh(self) -> tuple:
        """(bands, rows) of the LSH split."""
        return self._bands, self._rows

"""Linking: the pure core (parents, retries, roots, trees) and the Beam transform end to end."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import Turn
from transforms.link import LinkConversations, chain_rounds
from transforms.link_core import (
    STAGE_A_TIERS, ParentIndex, chain_keys, collapse_retries, decode_plan, encode_plan,
    jump_pointers, to_link_rec, to_turn_meta, tree_plans,
)

UA = {"user-agent": "Firefox", "accept-language": "en"}
S = 1_000_000  # one second in microseconds


def turn(tid, ts, *exchanges, q, a, ip="h1", headers=UA, model="m", line=None):
    """A turn whose request is the given (user, assistant) exchanges plus question q."""
    msgs = tuple(m for u, r in exchanges for m in (("user", u), ("assistant", r))) + (("user", q),)
    return Turn(tid, ts * S, model, msgs, a, dict(headers), True, "f", line or tid, hashed_ip=ip)


def rec(*args, **kwargs):
    return to_link_rec(turn(*args, **kwargs))


def member(*args, **kwargs):
    t = turn(*args, **kwargs)
    return to_link_rec(t), to_turn_meta(t)


# -- the pure core -------------------------------------------------------------------------

def test_parent_key_of_a_child_is_the_key_of_its_parent():
    parent = rec(1, 0, q="hi", a="Hello!")
    child = rec(2, 10, ("hi", "Hello!"), q="haiku", a="rain")
    assert parent.parent_key is None and child.parent_key == parent.key
    other = rec(3, 10, ("hi", "Hello?"), q="haiku", a="rain")  # a different reply
    assert other.parent_key != parent.key


def test_line_endings_and_surrounding_space_are_normalized_for_matching():
    a = chain_keys((("user", "a\r\nb "),), "x")
    b = chain_keys((("user", "a\nb"),), "x")
    assert a == b
    assert chain_keys((("user", "a b"),), "x") != b  # inner whitespace is content


def index_of(*parents):
    return ParentIndex(STAGE_A_TIERS, parents)


def test_same_ip_beats_a_nearer_candidate_from_another_ip():
    mine, nearer = rec(1, 0, q="hi", a="H", ip="h1"), rec(2, 50, q="hi", a="H", ip="h2")
    child = rec(3, 100, ("hi", "H"), q="x", a="y", ip="h1")
    assert index_of(mine, nearer).choose(child, 60 * S) == (1, 0)


def test_ip_change_still_links_to_the_same_device():
    parent = rec(1, 0, q="hi", a="H", ip="h1")
    child = rec(2, 100, ("hi", "H"), q="x", a="y", ip="h9")
    assert index_of(parent).choose(child, 60 * S) == (1, 2)  # same device, same model


def test_same_model_is_preferred_then_the_nearest_earlier_wins():
    old_same = rec(1, 0, q="hi", a="H", model="m")
    new_other = rec(2, 50, q="hi", a="H", model="n")
    newer_same = rec(3, 70, q="hi", a="H", model="m")
    child = rec(4, 100, ("hi", "H"), q="x", a="y", model="m")
    assert index_of(old_same, new_other).choose(child, 0) == (1, 0)
    assert index_of(old_same, new_other, newer_same).choose(child, 0) == (3, 0)


def test_clock_skew_tolerance_bounds_a_later_parent():
    parent = rec(1, 130, q="hi", a="H")
    child = rec(2, 100, ("hi", "H"), q="x", a="y")
    assert index_of(parent).choose(child, 60 * S) == (1, 0)
    assert index_of(parent).choose(child, 10 * S) is None


def test_ties_break_to_the_smaller_turn_id():
    a, b = rec(7, 50, q="hi", a="H"), rec(5, 50, q="hi", a="H")
    child = rec(9, 100, ("hi", "H"), q="x", a="y")
    assert index_of(a, b).choose(child, 0) == (5, 0)


def test_retries_collapse_within_the_window_to_the_earliest():
    calls = [rec(3, 100, q="q", a="a"), rec(1, 0, q="q", a="a"), rec(2, 30, q="q", a="a"),
             rec(4, 2000, q="q", a="a")]
    kept, retries = collapse_retries(calls, 600 * S)
    assert [r.turn_id for r in kept] == [1, 4]
    assert sorted(r.turn_id for r in retries) == [2, 3]


def test_pointer_jumping_finds_roots_of_long_chains():
    parent_of = {i: (i - 1 if i > 1 else None) for i in range(1, 130)}
    parent_of[500] = None
    parent_of[501] = 500
    roots = jump_pointers(parent_of, chain_rounds(260))
    assert all(roots[i] == 1 for i in range(1, 130))
    assert roots[500] == 500 and roots[501] == 500


def test_every_leaf_of_a_tree_is_a_conversation_sharing_the_prefix():
    r1 = member(1, 0, q="hi", a="H")
    r2 = member(2, 10, ("hi", "H"), q="x", a="y")
    r3 = member(3, 12, ("hi", "H"), q="x", a="y2")  # regenerated answer
    r4 = member(4, 20, ("hi", "H"), ("x", "y"), q="z", a="w", ip="h7")
    plans = dict(tree_plans(1, [r1, r2, r3, r4], {1: None, 2: 1, 3: 1, 4: 2}))
    assert sorted(plans) == [3, 4]
    assert [p[0] for p in plans[4].path] == [1, 2, 4]
    assert [p[0] for p in plans[3].path] == [1, 3]
    assert not plans[4].orphan
    assert plans[4].path[2] == (4, 20 * S, "h7", (("accept-language", "en"), ("user-agent", "Firefox")), "m")
    assert (plans[4].leaf_source, plans[4].leaf_line) == ("f", 4)


def test_plans_travel_as_compact_bytes_and_decode_to_the_same_plan():
    r1, r2, r3 = member(1, 0, q="hi", a="H"), member(2, 10, ("hi", "H"), q="x", a="y", ip="h7"), \
        member(3, 20, ("hi", "H"), ("x", "y"), q="z", a="w", ip="h7")
    (_, plan), = tree_plans(1, [r1, r2, r3], {1: None, 2: 1, 3: 2})
    data = encode_plan(plan)
    assert isinstance(data, bytes) and data.count(b"h7") == 1  # repeated values stored once
    assert decode_plan(data, plan.leaf_source, plan.leaf_line) == plan


# -- the Beam transform --------------------------------------------------------------------

def _path_of(kv):
    plan = decode_plan(kv[1], "f", 0)
    return plan.conversation_id, tuple(p[0] for p in plan.path), plan.orphan


def paths_of(plans):
    return plans | beam.Map(_path_of)


def test_link_conversations_end_to_end():
    other = {"user-agent": "Safari", "accept-language": "fr"}
    turns = [
        # user A: hi -> x -> z, with an IP change at the last turn and a retry of turn 2
        turn(1, 0, q="hi", a="H"),
        turn(2, 10, ("hi", "H"), q="x", a="y"),
        turn(3, 15, ("hi", "H"), q="x", a="y"),  # client retry of 2
        turn(4, 30, ("hi", "H"), ("x", "y"), q="z", a="w", ip="h7"),
        # user B opens with the same "hi" on another device, then an edited prompt branch
        turn(10, 5, q="hi", a="H", ip="h2", headers=other),
        turn(11, 20, ("hi", "H"), q="p", a="r", ip="h2", headers=other),
        turn(12, 25, ("hi", "H"), q="p2", a="r2", ip="h2", headers=other),
        # an orphan: its first turn is not in the input
        turn(20, 50, ("lost", "gone"), q="more", a="ok", ip="h3"),
        # a third device continues the shared "hi" opening whose own first turn was lost: the
        # candidates come from two other devices, so it stays an orphan
        turn(30, 60, ("hi", "H"), q="mine", a="yours", ip="h9", headers={"user-agent": "Edge"}),
        # same browser as user A, new IP, continuing "hi" whose own first turn was lost: the
        # same-device candidates come from two IPs (A's h1 and C's h5), so no guess
        turn(50, 3, q="hi", a="H", ip="h5"),
        turn(51, 90, ("hi", "H"), q="other", a="thing", ip="h6"),
        # a device switch mid-conversation on a transcript only one device has: linked
        turn(40, 70, q="unique question", a="unique answer", ip="h4"),
        turn(41, 80, ("unique question", "unique answer"), q="next", a="sure", ip="h4",
             headers={"user-agent": "Chrome"}),
        # the same turn_id twice (an exact duplicate line)
        turn(20, 50, ("lost", "gone"), q="more", a="ok", ip="h3", line=99),
    ]
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations(max_messages=512)
        assert_that(paths_of(out["plans"]), equal_to([
            ("1-4", (1, 2, 4), False), ("10-11", (10, 11), False), ("10-12", (10, 12), False),
            ("20-20", (20,), True), ("30-30", (30,), True), ("40-41", (40, 41), False),
            ("50-50", (50,), False), ("51-51", (51,), True)]), label="plans")
        assert_that(out["duplicates"], equal_to([3, 20]), label="duplicates")
        assert_that(out["linked"], equal_to([1, 2, 4, 10, 11, 12, 20, 30, 40, 41, 50, 51]), label="linked")
        assert_that(out["tiers"], equal_to(
            ["root", "same_device_same_ip_same_model", "same_device_same_model", "root",
             "same_device_same_ip_same_model", "same_device_same_ip_same_model", "orphan", "orphan",
             "root", "any_device_same_model", "root", "orphan"]), label="tiers")


def test_linking_none_releases_every_turn_alone():
    turns = [turn(1, 0, q="hi", a="H"), turn(2, 10, ("hi", "H"), q="x", a="y")]
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations(strategy="none")
        assert_that(paths_of(out["plans"]), equal_to([("1-1", (1,), False), ("2-2", (2,), True)]))

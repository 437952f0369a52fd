"""Linking: the pure core (parents, retries, roots, trees) and the Beam transform end to end."""
from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import Turn
from transforms.link import LinkConversations, chain_rounds
from transforms.link_salt import salt_of, salts_for
from transforms.link_core import (
    STAGE_A_TIERS, DeviceCandidates, LeafHead, ParentIndex, PathPart, chain_keys, collapse_retries, decode_plan,
    encode_plan, plan_of, to_link_rec, to_node_info,
)

UA = {"user-agent": "Firefox", "accept-language": "en"}
S = 1_000_000  # one second in microseconds


def turn(tid, ts, *exchanges, q, a, ip="h1", headers=UA, model="m", line=None):
    """A turn whose request is the given (user, assistant) exchanges plus question q."""
    msgs = tuple(m for u, r in exchanges for m in (("user", u), ("assistant", r))) + (("user", q),)
    return Turn(tid, ts * S, model, msgs, a, dict(headers), True, "f", line or tid, hashed_ip=ip)


def rec(*args, **kwargs):
    return to_link_rec(turn(*args, **kwargs))


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


def entry(t):
    return to_node_info(t).entry


def test_a_plan_is_its_path_parts_in_order_and_an_orphan_when_the_root_came_late():
    r1, r2 = turn(1, 0, q="hi", a="H"), turn(2, 10, ("hi", "H"), q="x", a="y", ip="h7")
    r4 = turn(4, 20, ("hi", "H"), ("x", "y"), q="z", a="w", ip="h7", line=40)
    parts = [PathPart(2, entry(r4), 3), PathPart(0, entry(r1), 1), PathPart(1, entry(r2), 2)]
    plan = plan_of(4, LeafHead("f", 40, 3), parts)
    assert plan.conversation_id == "1-4" and not plan.orphan
    assert [p[0] for p in plan.path] == [1, 2, 4]
    assert plan.path[2] == (4, 20 * S, "h7", (("accept-language", "en"), ("user-agent", "Firefox")), "m", None)
    assert (plan.leaf_source, plan.leaf_line) == ("f", 40)
    assert plan_of(2, LeafHead("f", 2, 1), [PathPart(0, entry(r2), 2)]).orphan


def test_a_path_with_a_part_missing_stops_the_run():
    r1 = turn(1, 0, q="hi", a="H")
    with pytest.raises(RuntimeError, match="linking lost data for leaf turn 4"):
        plan_of(4, LeafHead("f", 4, 3), [PathPart(0, entry(r1), 1), PathPart(2, entry(r1), 1)])


def test_plans_travel_as_compact_bytes_and_decode_to_the_same_plan():
    r1, r2 = turn(1, 0, q="hi", a="H"), turn(2, 10, ("hi", "H"), q="x", a="y", ip="h7")
    r3 = turn(3, 20, ("hi", "H"), ("x", "y"), q="z", a="w", ip="h7")
    plan = plan_of(3, LeafHead("f", 3, 3), [PathPart(i, entry(t), i + 1) for i, t in enumerate((r1, r2, r3))])
    data = encode_plan(plan)
    assert isinstance(data, bytes) and data.count(b"h7") == 1  # repeated values stored once
    assert decode_plan(data, plan.leaf_source, plan.leaf_line) == plan


def test_a_plan_carries_each_turn_s_place_and_never_the_raw_ip():
    import dataclasses

    r1 = dataclasses.replace(turn(1, 0, q="hi", a="H"), country="Sweden", state="Stockholm")
    r2 = dataclasses.replace(turn(2, 10, ("hi", "H"), q="x", a="y", ip="h7"), country="Sweden")
    r3 = turn(3, 20, ("hi", "H"), ("x", "y"), q="z", a="w", ip="h8")  # unplaced
    plan = plan_of(3, LeafHead("f", 3, 3), [PathPart(i, entry(t), i + 1) for i, t in enumerate((r1, r2, r3))])
    assert [p[5] for p in plan.path] == [("Sweden", "Stockholm"), ("Sweden", None), None]
    assert decode_plan(encode_plan(plan), "f", 3) == plan


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
        # a device switch mid-conversation (a changed user agent, the same IP) on a transcript
        # only one device has: linked
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
             "root", "other_device_same_ip_same_model", "root", "orphan"]), label="tiers")


def test_linking_none_releases_every_turn_alone():
    turns = [turn(1, 0, q="hi", a="H"), turn(2, 10, ("hi", "H"), q="x", a="y")]
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations(strategy="none")
        assert_that(paths_of(out["plans"]), equal_to([("1-1", (1,), False), ("2-2", (2,), True)]))


# -- IP changes right after a shared opening (#13 item 5) -----------------------------------

def _churn_turns(second_hi_at):
    """Two users on the same browser say "hi" from their own IPs; the first user's next turn
    comes from a new IP at t=300. The other "hi" was sent at `second_hi_at`."""
    return [
        turn(1, 0, q="hi", a="H", ip="h1"),
        turn(2, second_hi_at, q="hi", a="H", ip="h2"),
        turn(3, 300, ("hi", "H"), q="tell me about rain", a="It falls.", ip="h3"),
    ]


def test_an_ip_change_after_a_shared_opening_links_to_the_only_recent_candidate():
    # the other user's "hi" is two hours older: the only one in the 15 minutes before turn 3
    with TestPipeline() as p:
        out = p | beam.Create(_churn_turns(-7200)) | LinkConversations(ip_change_window_seconds=900)
        assert_that(paths_of(out["plans"]), equal_to([("1-3", (1, 3), False), ("2-2", (2,), False)]),
                    label="plans")
        assert_that(out["tiers"], equal_to(["root", "root", "same_device_ip_changed_in_window"]),
                    label="tiers")


def test_two_candidates_in_the_window_are_still_refused():
    # the other "hi" came 100 s before turn 3: two same-device candidates in the window
    with TestPipeline() as p:
        out = p | beam.Create(_churn_turns(200)) | LinkConversations(ip_change_window_seconds=900)
        assert_that(paths_of(out["plans"]), equal_to(
            [("1-1", (1,), False), ("2-2", (2,), False), ("3-3", (3,), True)]), label="plans")
        assert_that(out["tiers"], equal_to(["root", "root", "orphan"]), label="tiers")


def test_a_candidate_outside_the_window_or_a_window_of_zero_is_no_match():
    late = _churn_turns(-7200)
    late[2] = turn(3, 1300, ("hi", "H"), q="tell me about rain", a="It falls.", ip="h3")  # 1300 s later
    for turns, window in ((late, 900), (_churn_turns(-7200), 0)):
        with TestPipeline() as p:
            out = p | beam.Create(turns) | LinkConversations(ip_change_window_seconds=window)
            assert_that(out["tiers"], equal_to(["root", "root", "orphan"]))


# -- hot keys and huge trees (#13 item 3) ----------------------------------------------------

def test_stage_b_combines_a_hot_opening_to_two_devices_never_to_its_calls():
    recs = [rec(i, i, q="hi", a="H", headers={"user-agent": f"UA{i % 50}"}) for i in range(1000)]
    parts = [DeviceCandidates.create() for _ in range(4)]
    for i, r in enumerate(recs):
        parts[i % 4] = DeviceCandidates.add(parts[i % 4], r)
    fps, cands = DeviceCandidates.extract(DeviceCandidates.merge(parts))
    assert len(fps) == 2 and cands is None
    one_device = DeviceCandidates.merge([DeviceCandidates.add(DeviceCandidates.create(), r) for r in recs[:3:50]])
    assert len(one_device[0]) == 1 and len(one_device[1]) == 1


def _largest(sizes, step):
    return (sizes | f"Only{step}" >> beam.Filter(lambda kv: kv[0] == step) | f"N{step}" >> beam.Values()
            | f"Max{step}" >> beam.CombineGlobally(lambda ns: max(ns, default=0)))


def test_a_hot_opening_from_many_devices_never_lands_whole_in_stage_b():
    # 300 users on 30 browsers say "hi"; a 31st browser continues a "hi" whose opening was lost
    turns = [turn(i, i, q="hi", a="H", ip=f"ip{i}", headers={"user-agent": f"UA{i % 30}"})
             for i in range(1, 301)]
    turns.append(turn(999, 400, ("hi", "H"), q="mine", a="ok", ip="x", headers={"user-agent": "other"}))
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations()
        assert_that(paths_of(out["plans"] | beam.Filter(lambda kv: decode_plan(kv[1], "", 0).conversation_id
                                                          == "999-999")),
                    equal_to([("999-999", (999,), True)]), label="orphan")
        # stage B held the child and one combined summary (two devices), not 300 calls
        assert_that(_largest(out["group_sizes"], "stage_b"), equal_to([1]), label="stage_b")
        assert_that(_largest(out["group_sizes"], "stage_a"), equal_to([10]), label="stage_a")


def _scripted_tree():
    """A script opens once and sends 500 follow-ups on that opening; 100 of them go one deeper.
    Returns the turns and the expected plans' paths."""
    opening = ("system prompt: you are a bot", "ok")
    turns = [turn(1, 0, q=opening[0], a=opening[1])]
    for i in range(2, 502):
        turns.append(turn(i, i, opening, q=f"question {i}", a=f"answer {i}"))
    for i in range(2, 102):
        turns.append(turn(1000 + i, 600 + i, opening, (f"question {i}", f"answer {i}"), q="more", a="sure"))
    expected = [(f"1-{i}", (1, i), False) for i in range(102, 502)] + \
        [(f"1-{1000 + i}", (1, i, 1000 + i), False) for i in range(2, 102)]
    return turns, expected


def test_a_scripted_tree_is_planned_leaf_by_leaf_without_grouping_the_tree():
    turns, expected = _scripted_tree()
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations()
        assert_that(paths_of(out["plans"]), equal_to(expected), label="plans")
        assert_that(out["turns_in_trees"] | beam.CombineGlobally(sum), equal_to([601]), label="members")
        # the plan step holds one leaf's head and path; the root answers 500 (leaf, position) pairs
        assert_that(_largest(out["group_sizes"], "plan"), equal_to([4]), label="plan")
        assert_that(_largest(out["group_sizes"], "serve"), equal_to([501]), label="serve")


def test_a_hot_key_is_spread_over_salts_with_the_same_plans():
    # the same scripted tree, with keys of more than 50 wide items salted (8 ways here): the root's
    # 500 children (stage A, the first jump round) and 500 leaves' requests (serve) are spread
    turns, expected = _scripted_tree()
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations(salts=8, hot_key_items=50)
        assert_that(paths_of(out["plans"]), equal_to(expected), label="plans")
        assert_that(out["turns_in_trees"] | beam.CombineGlobally(sum), equal_to([601]), label="members")
        assert_that(out["tiers"] | beam.combiners.Count.PerElement(), equal_to(
            [("root", 1), ("same_device_same_ip_same_model", 600)]), label="tiers")
        # each salt holds about 500 / 8 children or requests plus the replicated parent or entry
        for step in ("stage_a", "jump", "serve"):
            assert_that(_largest(out["group_sizes"], step) | f"Bounded{step}" >> beam.Map(lambda n: n < 100),
                        equal_to([True]), label=f"bounded_{step}")
        # the parent's count of children is combined: one number, not 500 ids
        assert_that(_largest(out["group_sizes"], "request"), equal_to([3]), label="request")


def test_stage_b_spreads_the_children_asking_for_one_transcript_over_salts():
    # "hi" from two browsers; 200 other browsers continue it (their own "hi" lost): each child
    # asks stage B, which refuses them all (two candidate devices). Salted 4 ways (50 per salt),
    # a group holds about 50 children and the combined candidates, and the outcome is the same.
    turns = [turn(i, i, q="hi", a="H", ip=f"ip{i}", headers={"user-agent": f"UA{i % 2}"}) for i in (1, 2)]
    turns += [turn(100 + i, 100 + i, ("hi", "H"), q=f"q{i}", a="a", ip=f"c{i}",
                   headers={"user-agent": f"child{i}"}) for i in range(200)]
    for salts, bound in ((8, 100), (1, 201)):
        with TestPipeline() as p:
            out = p | beam.Create(turns) | LinkConversations(salts=salts, hot_key_items=50)
            assert_that(out["tiers"] | beam.combiners.Count.PerElement(),
                        equal_to([("root", 2), ("orphan", 200)]), label="tiers")
            assert_that(paths_of(out["plans"]) | beam.Map(lambda p: p[1]),
                        equal_to([(1,), (2,)] + [(100 + i,) for i in range(200)]), label="paths")
            assert_that(_largest(out["group_sizes"], "stage_b") | beam.Map(lambda n, b=bound: n < b),
                        equal_to([True]), label="stage_b")


def test_a_hot_key_gets_salts_in_proportion_to_its_wide_items():
    assert salts_for(None, 64, 1024) == 0 and salts_for(1024, 64, 1024) == 0  # not hot
    assert salts_for(1025, 64, 1024) == 2 and salts_for(3000, 64, 1024) == 3
    assert salts_for(181_819, 64, 1024) == 64  # capped: about 2,841 children per salt
    spread = [salt_of(i, 8) for i in range(8000)]
    assert set(spread) == set(range(8)) and max(map(spread.count, range(8))) < 1100


def test_salting_settings_are_checked():
    with pytest.raises(ValueError, match="salts"):
        LinkConversations(salts=0)


# -- conflicting records (#14 item 2) ---------------------------------------------------------

def test_a_turn_id_repeated_with_other_content_is_a_dead_letter_and_an_identical_copy_a_duplicate():
    turns = [
        turn(7, 0, q="hi", a="H", line=1),
        turn(7, 0, q="hi", a="H", line=5),  # the same line again: a duplicate
        turn(7, 0, q="something else", a="H", line=9),  # another call under the same id
            turn(8, 1, q="x", a="y", line=3),
    ]
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations()
        assert_that(out["duplicates"], equal_to([7]), label="duplicates")
        assert_that(out["linked"], equal_to([7, 8]), label="linked")
        assert_that(out["deadletter"] | beam.Map(lambda d: (d["reason"], d["source"], d["line"], d["raw"])),
                    equal_to([("conflicting_turn_id", "f", 9, "")]), label="deadletter")
        assert_that(paths_of(out["plans"]), equal_to([("7-7", (7,), False), ("8-8", (8,), False)]),
                    label="plans")


def test_the_first_copy_by_source_and_line_is_kept():
    turns = [turn(7, 0, q="later copy", a="H", line=9), turn(7, 0, q="first copy", a="H", line=2)]
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations()
        assert_that(out["plans"] | beam.Map(lambda kv: decode_plan(kv[1], "f", 0).conversation_id),
                    equal_to(["7-7"]), label="plans")
        assert_that(out["deadletter"] | beam.Map(lambda d: d["line"]), equal_to([9]), label="dl")


# -- plans meet their leaf records by key (#13 items 2 and 4) ---------------------------------

def _raw(tid, ts, *exchanges, q, a):
    import orjson
    msgs = [{"role": r, "content": c} for u, rr in exchanges for r, c in (("user", u), ("assistant", rr))]
    return orjson.dumps({"turn_id": tid, "timestamp": 1_680_998_400 + ts, "model": "m", "messages": msgs + [
        {"role": "user", "content": q}], "response": a, "ip": "192.0.2.1", "headers": UA, "consent": True})


def test_each_plan_joins_its_leaf_record_and_a_plan_whose_record_is_gone_is_reported():
    from pipelines.reconcile import reconcile
    from transforms.assemble import AssembleConversations
    from transforms.stats import RunStats

    turns = [turn(1, 0, q="hi", a="H"), turn(2, 10, ("hi", "H"), q="x", a="y"),
             turn(3, 20, q="alone", a="ok")]
    # the second read brings back turns 1 (not a leaf) and 2, but line 3 is gone
    records = [("f", 1, _raw(1, 0, q="hi", a="H")), ("f", 2, _raw(2, 10, ("hi", "H"), q="x", a="y"))]
    with TestPipeline() as p:
        link = p | "Turns" >> beam.Create(turns) | LinkConversations()
        out = p | "Records" >> beam.Create(records) | AssembleConversations(link["plans"], ("user-agent",))
        assert_that(out["conversations"] | beam.Map(
            lambda c: (c["conversation_id"], [m["turn_identifier"] for m in c["messages"]])),
            equal_to([("1-2", [1, 1, 2, 2])]), label="conversations")
        assert_that(out["plans_without_record"], equal_to(["3-3"]), label="without_record")
    # the publisher's identity: 2 plans = 1 conversation + 1 plan without record, and the
    # plan without record alone refuses the run
    run = RunStats.from_lines([])
    run.flow.update(plans=2, conversations=1, plans_without_record=1, rows=1)
    assert "assemble: 1 plans found no leaf record on the second read (data lost)" in reconcile(run, 1)

"""Orphans the way real logs lose them: each released conversation holds exactly its own turns.

A conversation is an orphan when its first turn is missing from the logs (lost, not
consented, in an earlier snapshot): its first surviving turn still carries the lost
exchanges in its request, so it is released with them, their metadata null, and
`orphan = true`. What it must never do is borrow another conversation's turn, and what it
must never lose is one of its own.

Each scenario below is a few users' literal conversations; lost turns are written as
comments where they would have been. The expectation is the set of released conversations
as (conversation_id, turn ids on its path, orphan).
"""
from __future__ import annotations

import apache_beam as beam
import orjson
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas.input import Turn
from transforms.assemble import AssembleConversations
from transforms.link import LinkConversations
from transforms.link_core import decode_plan

S = 1_000_000  # one second in microseconds
EPOCH = 1_680_998_400  # 2023-04-09T00:00:00Z


class User:
    """One person: a browser (user agent) and an IP. `say` builds the turn they send."""

    def __init__(self, ua: str, ip: str, system: str | None = None):
        self.headers = {"user-agent": ua, "accept-language": "en"}
        self.ip, self.system = ip, system

    def say(self, tid: int, ts: int, history: list, q: str, a: str) -> Turn:
        """Turn `tid` at `ts` seconds: the request is the earlier (question, answer) pairs of
        `history` plus `q` (after this user's system message, if any); `a` is the reply."""
        msgs = (("system", self.system),) if self.system else ()
        msgs += tuple(m for u, r in history for m in (("user", u), ("assistant", r))) + (("user", q),)
        return Turn(tid, (EPOCH + ts) * S, "gpt-3.5-turbo", msgs, a, dict(self.headers), True,
                    "logs.jsonl", tid, hashed_ip=self.ip)


def _released(kv):
    plan = decode_plan(kv[1], "", 0)
    return plan.conversation_id, tuple(entry[0] for entry in plan.path), plan.orphan


def assert_released(turns, expected, duplicates=(), **link_args):
    with TestPipeline() as p:
        out = p | beam.Create(turns) | LinkConversations(**link_args)
        assert_that(out["plans"] | beam.Map(_released), equal_to(expected), label="released")
        assert_that(out["duplicates"], equal_to(list(duplicates)), label="duplicates")
        # nothing lost: every turn that is not a duplicate is on a released path
        assert_that(out["turns_in_trees"] | beam.CombineGlobally(sum),
                    equal_to([len(turns) - len(duplicates)]), label="members")


ANNA = User("Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0", "ip-anna")
BORIS = User("Mozilla/5.0 (Macintosh) Safari/16.4", "ip-boris")
CHEN = User("Mozilla/5.0 (Windows NT 10.0) Edg/112.0", "ip-chen")

# Anna plans a trip (her conversation, used by several scenarios below as the stranger's).
OSLO = [
    ANNA.say(100, 0, [], "Plan two days in Oslo", "Day 1: the fjord. Day 2: museums."),
    ANNA.say(101, 60, [("Plan two days in Oslo", "Day 1: the fjord. Day 2: museums.")],
             "And a day in Bergen?", "Take the morning train."),
]


def test_first_turn_missing():
    turns = [
        # Boris 200: "Write a haiku about rain" -> "Soft rain on the roof"   (lost)
        BORIS.say(201, 30, [("Write a haiku about rain", "Soft rain on the roof")],
                  "Now one about snow", "White hush on the field"),
        BORIS.say(202, 90, [("Write a haiku about rain", "Soft rain on the roof"),
                            ("Now one about snow", "White hush on the field")],
                  "And the sun?", "Gold on the water"),
    ]
    assert_released(turns, [("201-202", (201, 202), True)])


def test_first_two_turns_missing():
    h = [("Explain TCP", "A reliable stream."), ("And UDP?", "Datagrams, no guarantees.")]
    turns = [
        # Boris 300: "Explain TCP"   (lost)
        # Boris 301: "And UDP?"      (lost)
        BORIS.say(302, 200, h, "Which does DNS use?", "Mostly UDP."),
        BORIS.say(303, 260, h + [("Which does DNS use?", "Mostly UDP.")], "Why?", "Small queries."),
    ]
    assert_released(turns, [("302-303", (302, 303), True)])


def test_a_middle_turn_missing_splits_the_chain():
    h = [("Name a prime", "7"), ("Another", "11")]
    turns = [
        BORIS.say(400, 0, [], "Name a prime", "7"),
        # Boris 401: "Another" -> "11"   (lost: the chain breaks here)
        BORIS.say(402, 120, h, "Is 21 prime?", "No, 3 x 7."),
        BORIS.say(403, 180, h + [("Is 21 prime?", "No, 3 x 7.")], "Is 23?", "Yes."),
    ]
    # 400 is a conversation of its own as far as the logs tell; 402-403 is an orphan
    assert_released(turns, [("400-400", (400,), False), ("402-403", (402, 403), True)])


def test_an_orphan_whose_history_is_a_strangers_transcript_does_not_borrow_it():
    turns = OSLO + [
        # Chen 500: "Plan two days in Oslo" -> "Day 1: the fjord. Day 2: museums."   (lost:
        # the same question got the same answer as Anna's, on another browser and IP)
        CHEN.say(501, 3000, [("Plan two days in Oslo", "Day 1: the fjord. Day 2: museums.")],
                 "Is it expensive?", "Yes, budget 150 EUR a day."),
    ]
    assert_released(turns, [("100-101", (100, 101), False), ("501-501", (501,), True)])


def test_an_orphan_whose_history_is_a_prefix_of_a_strangers_conversation():
    # Chen's surviving turn repeats Anna's first two exchanges word for word (a copied
    # itinerary prompt); his own two turns were lost
    turns = OSLO + [
        CHEN.say(502, 4000, [("Plan two days in Oslo", "Day 1: the fjord. Day 2: museums."),
                             ("And a day in Bergen?", "Take the morning train.")],
                 "Where do I sleep?", "Near the station."),
    ]
    assert_released(turns, [("100-101", (100, 101), False), ("502-502", (502,), True)])


def test_an_orphan_continued_twice_is_two_conversations_sharing_its_turns():
    h = [("Translate 'cat' to French", "chat")]
    turns = [
        # Boris 600: "Translate 'cat' to French" -> "chat"   (lost)
        BORIS.say(601, 10, h, "And 'dog'?", "chien"),
        BORIS.say(602, 40, h + [("And 'dog'?", "chien")], "And 'bird'?", "oiseau"),
        BORIS.say(603, 50, h + [("And 'dog'?", "chien")], "And 'horse'?", "cheval"),  # edited prompt
    ]
    assert_released(turns, [("601-602", (601, 602), True), ("601-603", (601, 603), True)])


def test_identical_openings_of_different_users_stay_apart():
    hi = ("hi", "Hello! How can I assist you today?")
    turns = [
        ANNA.say(700, 0, [], *hi),
        ANNA.say(701, 30, [hi], "Recipe for pancakes?", "Flour, eggs, milk."),
        BORIS.say(710, 5, [], *hi),
        BORIS.say(711, 40, [hi], "What is a monad?", "A pattern for chaining."),
        # Chen 720: "hi" -> "Hello! ..."   (lost)
        CHEN.say(721, 50, [hi], "Best pizza in Naples?", "Da Michele."),
    ]
    assert_released(turns, [("700-701", (700, 701), False), ("710-711", (710, 711), False),
                            ("721-721", (721,), True)])


def test_an_orphan_of_a_shared_opening_takes_no_strangers_turn_from_one_other_browser():
    # only Anna said "hi" where the logs can see; Chen's own "hi" was lost: his continuation
    # shares nothing with Anna but the text (another browser, another IP)
    hi = ("hi", "Hello! How can I assist you today?")
    turns = [
        ANNA.say(730, 0, [], *hi),
        # Chen 740: "hi" -> "Hello! ..."   (lost)
        CHEN.say(741, 20, [hi], "Best pizza in Naples?", "Da Michele."),
    ]
    assert_released(turns, [("730-730", (730,), False), ("741-741", (741,), True)])


def test_a_changed_user_agent_on_the_same_ip_still_continues_its_own_conversation():
    # the contrast to the two scenarios above: Anna's browser updated itself between her turns
    # (another user agent, the same IP): the parent is hers, not a stranger's
    updated = User("Mozilla/5.0 (X11; Linux x86_64) Firefox/116.0", ANNA.ip)
    turns = [OSLO[0], updated.say(101, 60, [("Plan two days in Oslo", "Day 1: the fjord. Day 2: museums.")],
                                  "And a day in Bergen?", "Take the morning train.")]
    assert_released(turns, [("100-101", (100, 101), False)])


def test_an_orphan_s_first_surviving_turn_retried_and_regenerated():
    h = [("Summarize Hamlet", "A prince avenges his father.")]
    turns = [
        # Boris 800: "Summarize Hamlet"   (lost)
        BORIS.say(801, 100, h, "Shorter", "Revenge."),
        BORIS.say(802, 104, h, "Shorter", "Revenge."),  # the client retried: the same call
        BORIS.say(803, 110, h, "Shorter", "Prince, ghost, revenge."),  # regenerated answer
        BORIS.say(804, 150, h + [("Shorter", "Prince, ghost, revenge.")], "Who dies?", "Almost all."),
    ]
    assert_released(turns, [("801-801", (801,), True), ("803-804", (803, 804), True)],
                    duplicates=[802])


def test_orphans_whose_history_starts_with_a_system_message():
    bot = User("python-requests/2.31", "ip-bot", system="You are a terse assistant.")
    h = [("Capital of Peru?", "Lima.")]
    turns = [
        # bot 900: [system, "Capital of Peru?"] -> "Lima."   (lost)
        bot.say(901, 10, h, "Of Chile?", "Santiago."),
        bot.say(902, 20, h + [("Of Chile?", "Santiago.")], "Of Bolivia?", "Sucre."),
        # a whole conversation with the same system message, nothing lost
        bot.say(910, 30, [], "Largest ocean?", "Pacific."),
        bot.say(911, 40, [("Largest ocean?", "Pacific.")], "Smallest?", "Arctic."),
    ]
    assert_released(turns, [("901-902", (901, 902), True), ("910-911", (910, 911), False)])


def _record(t: Turn) -> tuple:
    raw = orjson.dumps({"turn_id": t.turn_id, "timestamp": t.timestamp_us // S, "model": t.model,
                        "messages": [{"role": r, "content": c} for r, c in t.messages],
                        "response": t.response, "ip": "192.0.2.1", "headers": t.headers,
                        "consent": True})
    return t.source, t.line, raw


def test_a_system_message_orphan_s_messages_carry_exactly_its_turn_ids():
    # the assembled rows: the lost exchange (and the system message before it) have no turn
    # id, every later message the id of the turn that produced it
    bot = User("python-requests/2.31", "ip-bot", system="You are a terse assistant.")
    h = [("Capital of Peru?", "Lima.")]
    turns = [bot.say(901, 10, h, "Of Chile?", "Santiago."),
             bot.say(902, 20, h + [("Of Chile?", "Santiago.")], "Of Bolivia?", "Sucre.")]
    with TestPipeline() as p:
        link = p | "Turns" >> beam.Create(turns) | LinkConversations()
        rows = (p | "Records" >> beam.Create([_record(t) for t in turns])
                | AssembleConversations(link["plans"], ("user-agent",)))
        assert_that(rows["conversations"] | beam.Map(
            lambda c: (c["conversation_id"], c["orphan"], [m["turn_identifier"] for m in c["messages"]])),
            equal_to([("901-902", True, [None, None, None, 901, 901, 902, 902])]))

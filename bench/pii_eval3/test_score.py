"""The pii_eval3 leak rule on tiny literal examples, the markup parser, and data checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pii_eval3 import score
from bench.pii_eval3.common import DATA_DIR, split_of
from bench.pii_eval3.markup import parse


def _leak(marked: str, output: str, kind: str | None = None) -> bool:
    text, spans = parse(marked)
    span = next(s for s in spans if kind is None or s["type"] == kind)
    return score.leaked(text, output, span, spans)


def _parts(marked: str, output: str) -> dict:
    text, spans = parse(marked)
    outside = score.outside_text(text, spans)
    block = next(s for s in spans if s["type"] == "STREET_ADDRESS")
    return {p["label"]: score.part_leaked(output, p, outside) for p in block["parts"]}


# --------------------------------------------------------------------------- markup

def test_markup_offsets_and_nesting():
    text, spans = parse("Hi [[PERSON|Ada Ng]], at [[STREET_ADDRESS|[[building_number|4]] [[street|Elm Row]]]]")
    assert text == "Hi Ada Ng, at 4 Elm Row"
    assert [(s["type"], text[s["start"]:s["end"]]) for s in spans] == [
        ("PERSON", "Ada Ng"), ("STREET_ADDRESS", "4 Elm Row")]
    assert [(p["label"], text[p["start"]:p["end"]]) for p in spans[1]["parts"]] == [
        ("building_number", "4"), ("street", "Elm Row")]


@pytest.mark.parametrize("bad", ["[[PERSON|Ada", "Ada]]", "[[street|Elm Row]]"])
def test_markup_refuses_unbalanced(bad):
    with pytest.raises(ValueError):
        parse(bad)


# --------------------------------------------------------------------------- PERSON

@pytest.mark.parametrize("output,expected", [
    ("Write to [PERSON] today", False),
    ("Write to Mr. [PERSON] today", False),
    ("Write to Orla [PERSON] today", True),      # the given name survives
    ("write to orla today", True),               # case-insensitive
    ("Write to Quennell's office", True),        # possessive
    ("Write to Quennellson", False),             # not the whole word
])
def test_person(output, expected):
    assert _leak("Write to Mr. [[PERSON|Orla Quennell]] today", output) is expected


def test_person_token_also_outside_is_not_a_leak():
    # "Rose" is also an ordinary word of the text outside the span
    assert not _leak("[[PERSON|Rose Abara]] planted a rose", "[PERSON] Rose planted a rose")


def test_cjk_person_by_parts():
    marked = "我叫[[PERSON|[[last|王]][[first|建军]]]]。"
    assert _leak(marked, "我叫建军。")
    assert not _leak(marked, "我叫王某。")  # a one-character surname alone does not count


def test_cyrillic_inflection():
    assert _leak("Это [[PERSON|Светлана Морозова]].", "Передай Морозовой привет")


# --------------------------------------------------------------------------- patterns

def test_phone_digits_any_format():
    marked = "call [[PHONE_NUMBER|+44 20 7946 0321]]"
    assert _leak(marked, "call 020-7946-0321")
    assert not _leak(marked, "call ***-***-0321")


def test_card_bin_kept_is_a_leak():
    marked = "card [[CREDIT_CARD|4111 1111 1111 1111]]"
    assert _leak(marked, "card 411111******")
    assert not _leak(marked, "card ************1111")


def test_email_local_part():
    marked = "mail [[EMAIL_ADDRESS|nia.okoro@mailbox.org]]"
    assert _leak(marked, "mail nia.okoro@[DOMAIN]")
    assert not _leak(marked, "mail [EMAIL]")


def test_ip_any_notation():
    marked = "from [[IP_ADDRESS|2001:db8:0:0:0:0:0:1]]"
    assert _leak(marked, "from 2001:db8::1")
    assert not _leak(marked, "from [IP]")


# --------------------------------------------------------------------------- addresses

_BLOCK = ("Send it to [[STREET_ADDRESS|[[building_number|17]] [[street|Marlowe Crescent]]\n"
          "[[unit|Flat 4b]]\n[[city|Dunmore]]\n[[postcode|DN4 7QX]]]] please")


def test_address_parts_each_scored():
    out = "Send it to [ADDRESS]\nFlat 4b\nDunmore\nDN4 7QX please"
    assert _parts(_BLOCK, out) == {"building_number": False, "street": False, "unit": True,
                                   "city": True, "postcode": True}
    assert not _leak(_BLOCK, out)  # the block's street line is gone


def test_address_postcode_spacing_ignored_and_generic_words_do_not_count():
    parts = _parts(_BLOCK, "Send it to 17 [STREET] Crescent\n[UNIT]\n[CITY]\nDN47QX please")
    assert parts == {"building_number": True, "street": False, "unit": False, "city": False,
                     "postcode": True}


def test_city_also_named_outside_is_not_a_leak():
    marked = ("I grew up in [[LOCATION|Dunmore]]. Now: [[STREET_ADDRESS|[[building_number|3]] "
              "[[street|Pell Road]], [[city|Dunmore]]]]")
    assert _parts(marked, "I grew up in Dunmore. Now: [ADDRESS], Dunmore") == {
        "building_number": False, "street": False, "city": False}


def test_house_number_is_not_a_placeholder_index():
    marked = "at [[STREET_ADDRESS|[[street|Nørrebrogade]] [[building_number|1]], [[unit|2. th.]]]]"
    assert _parts(marked, "at [STREET_ADDRESS_1], [UNIT_2]") == {
        "street": False, "building_number": False, "unit": False}
    assert _parts(marked, "at [STREET] 1, 2. th.") == {
        "street": False, "building_number": True, "unit": True}


def test_cjk_address_parts_without_spaces():
    marked = "快递员说[[STREET_ADDRESS|[[city|西夏区]][[street|潮州路]][[building_number|282号]]]]找不到"
    assert _parts(marked, "快递员说西夏区潮州路282号找不到") == {
        "city": True, "street": True, "building_number": True}
    assert _parts(marked, "快递员说[ADDRESS]找不到") == {
        "city": False, "street": False, "building_number": False}


def test_po_box_and_military():
    assert _parts("[[STREET_ADDRESS|PO Box [[po_box|4471]]\n[[city|Oban]]]]", "PO Box 4471\n[CITY]") == {
        "po_box": True, "city": False}
    assert _leak("[[STREET_ADDRESS|[[military|PSC 3108, Box 7741]]\nAPO [[region|AE]] [[postcode|09123]]]]",
                 "PSC [X], Box 7741\nAPO AE [ZIP]")


# --------------------------------------------------------------------------- data

def test_split_is_stable():
    assert split_of("tpl-0123456789") == split_of("tpl-0123456789")
    assert {split_of(f"t{i}") for i in range(20)} == {"tune", "heldout"}


@pytest.mark.parametrize("set_name", [s for s in score.SETS if s != "technical"])
def test_offsets_match_values(set_name):
    path = DATA_DIR / f"{set_name}.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path.name} not built yet")
    for split in ("tune", "heldout"):
        for rec in score.load(set_name, split):
            texts = [m["content"] for m in rec["messages"]] if "messages" in rec else [rec["text"]]
            for span in rec["spans"]:
                text = texts[span.get("message_index", 0)]
                assert text[span["start"]:span["end"]] == span["value"], rec["id"]
                for part in span.get("parts", []):
                    assert text[part["start"]:part["end"]] == part["value"], rec["id"]


@pytest.mark.parametrize("set_name", ["tpl", "native", "replies"])
def test_split_by_template(set_name):
    path = DATA_DIR / f"{set_name}.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path.name} not built yet")
    sides: dict[str, set] = {}
    for split in ("tune", "heldout"):
        for rec in score.load(set_name, split):
            sides.setdefault(rec["template"], set()).add(split)
    assert sides and all(len(s) == 1 for s in sides.values())


def test_build_reproduces_the_committed_bytes(tmp_path):
    """A fresh build (own process, hash seed pinned by build.py itself) gives the same files."""
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    subprocess.run([sys.executable, "-m", "bench.pii_eval3.build", "--out", str(tmp_path)],
                   cwd=root, env=env, check=True, capture_output=True)
    for set_name in score.SETS:
        assert (tmp_path / f"{set_name}.jsonl.gz").read_bytes() == \
            (DATA_DIR / f"{set_name}.jsonl.gz").read_bytes(), set_name


@pytest.mark.parametrize("set_name,split", [("tpl", "tune"), ("tpl", "heldout"), ("indep", "heldout"),
                                            ("native", "tune"), ("native", "heldout")])
def test_identity_leaks_every_value_and_blank_none(set_name, split):
    """The rule sees every labelled value in its own text (unless the same token also stands
    outside every span, e.g. a unit '12' beside a date '12/03/1991'), and nothing in ''."""
    import re

    for rec in score.load(set_name, split):
        text, spans = rec["text"], rec["spans"]
        outside = score.outside_text(text, spans)
        for span in spans:
            if span["type"] not in score.SCORED:
                continue
            items = [(span, score.leaked(text, text, span, spans), score.leaked(text, "", span, spans))]
            items += [(p, score.part_leaked(text, p, outside), score.part_leaked("", p, outside))
                      for p in span.get("parts", []) if p["label"] in score.PARTS]
            for item, same, blank in items:
                assert not blank, (rec["id"], item["value"])
                if not same:
                    tokens = re.findall(r"[^\W_]+", item["value"])
                    assert any(re.search(rf"(?<![^\W_]){re.escape(t)}(?![^\W_])", outside) for t in tokens), \
                        (rec["id"], item["value"])


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_replies_identity_leaks_all_and_blank_none(split):
    records = score.load("replies", split)
    same = score.evaluate_replies(lambda ms: ms, records)
    blank = score.evaluate_replies(lambda ms: [dict(m, content="") for m in ms], records)
    for role in ("assistant", "user"):
        assert same[role]["all"]["leaked"] == same[role]["all"]["n"] > 0
        assert blank[role]["all"]["leaked"] == 0


def test_compare_report_prints_every_set(capsys):
    from bench.pii_eval3 import compare

    result = {"split": "tune", "sets": {}, "speed": {s: {"chars": 1, "seconds": 1, "chars_per_s": 1}
                                                     for s in compare.SIDES}}
    ident, blank = (lambda t: list(t)), (lambda t: ["" for _ in t])
    for set_name in ("tpl", "native"):
        recs = score.load(set_name, "tune")
        group = "lang" if set_name == "native" else None
        result["sets"][set_name] = {"records": len(recs),
                                    "project": score.evaluate_spans(blank, recs, group),
                                    "naive": score.evaluate_spans(ident, recs, group)}
    recs = score.load("technical", "tune")
    result["sets"]["technical"] = {"records": len(recs), "project": score.evaluate_technical(ident, recs),
                                   "naive": score.evaluate_technical(blank, recs)}
    recs = score.load("replies", "tune")
    conv = score.evaluate_replies
    result["sets"]["replies"] = {"records": len(recs),
                                 "project": conv(lambda ms: [dict(m, content="") for m in ms], recs),
                                 "naive": conv(lambda ms: ms, recs)}
    compare.report(result)
    out = capsys.readouterr().out
    assert "== tpl (tune)" in out and "zh project" in out and "byte-identical" in out
    assert "assistant (restated), all" in out and "100.0%" in out

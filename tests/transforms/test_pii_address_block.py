"""Address blocks as a unit: a street line anchors a block, and every line of the block that
identifies the place (unit, postal code, town) goes with it; cities and countries on their own
stay. Street forms in more languages, post-office boxes and military lines."""
from __future__ import annotations

import pytest

from tests.transforms.test_pii import conv
from transforms.pii.findings import TextView
from transforms.pii.recognizers import build_recognizers
from transforms.pii.recognizers.address_block import AddressBlockRecognizer

BLOCKS = AddressBlockRecognizer()


def found(text):
    return [text[f.start:f.end] for f in BLOCKS.find(TextView(text))]


@pytest.mark.parametrize("text, values", [
    # the unit, town, state and postal lines under a street line, after quote marks too
    ("Ship to:\n920 Orchard Trail Suite 380\nPellowtown\n, IA\n 47606\nThanks!",
     ["920 Orchard Trail Suite 380\nPellowtown\n, IA\n 47606"]),
    ("> Wren Okafor\n> 512 Quarry Lane\n> Apt. 19\n> East Dunmore\n> Portugal 76037",
     ["512 Quarry Lane\n> Apt. 19\n> East Dunmore\n> Portugal 76037"]),
    ("??? 8607 Tamsin Light\n??? Apt. 95\n??? Holtport\n??? New Zealand 39732",
     ["8607 Tamsin Light\n??? Apt. 95\n??? Holtport\n??? New Zealand 39732"]),
    # one blank line, then a postal line; then the block ends at the phone lines
    ("7705 Olsen Cliffs\n Suite 419\n East Brackton\n\n Saint Pierre and Miquelon 27293\nTel: 555 0100",
     ["7705 Olsen Cliffs\n Suite 419\n East Brackton\n\n Saint Pierre and Miquelon 27293"]),
    ("    7285 Johnston Ford Suite 072\n   Port Velmar\n    MD\n    32664\n",
     ["7285 Johnston Ford Suite 072\n   Port Velmar\n    MD\n    32664"]),
    # the last line of a block goes on with the sentence
    ("Send a taxi to 355 Harrow Dam\nBellridge\n, AK\n Brazil 85664. Please call me when you're here.",
     ["355 Harrow Dam\nBellridge\n, AK\n Brazil 85664"]),
    ("We meet at Ravistraat 51\n5386 NB\nHavelte after the concert.", ["Ravistraat 51\n5386 NB\nHavelte"]),
    ("It is at Kailaan 81\n4587 UT\nBeers NB. It serves great food.", ["Kailaan 81\n4587 UT\nBeers NB"]),
    # the town on the street's own line, and a town the street pattern cut inside a word
    ("Here's my address: 2845 Gladu Estates Suite 089 Sedmore Delaware",
     ["2845 Gladu Estates Suite 089 Sedmore Delaware"]),
    ("Tomas lives at 0334 Petran Rapid, Odenview", ["0334 Petran Rapid, Odenview"]),
    ("Schreib an Anka-Pergande-Allee 51, 60638 Bad Brückenau.", ["Anka-Pergande-Allee 51, 60638 Bad Brückenau"]),
    ("Expéditeur :\n19, chemin Lamy\n65519 Sainte Laurent-la-Forêt\nTél. : 04 27 59 33 15",
     ["19, chemin Lamy\n65519 Sainte Laurent-la-Forêt"]),
    ("Consegna: Vicolo Verona, 56, 29010 Pra' Catinat. Grazie", ["Vicolo Verona, 56, 29010 Pra' Catinat"]),
    ("abito in Strada Necci, 1 Appartamento 62\n88040, Pianopoli (CZ). Mi aiuti?",
     ["Strada Necci, 1 Appartamento 62\n88040, Pianopoli (CZ)"]),
    # all lower case: the town line below the street
    ("address:\n6338 rikke spur apt. 605\nczarneckiville\n, tn\n israel 94482.",
     ["6338 rikke spur apt. 605\nczarneckiville\n, tn\n israel 94482"]),
    # a street line without a number, shown by its unit line and the town lines under it
    ("Eliza Emmett\nIchita Route Vinicius Avenue\n Suite 671\n Gairbekport\n Romania 78446\nMobile: 463 5424",
     ["Ichita Route Vinicius Avenue\n Suite 671\n Gairbekport\n Romania 78446"]),
    # a signature block (a fax line and another phone line): a number and a name over a town
    ("Wren Okafor\nAcme Ltd.\n45 Harbourside\nPortsmouth PO1 3AB\nTel: 023 9283 1234\nFax: 023 9283 1235",
     ["45 Harbourside\nPortsmouth PO1 3AB"]),
    ("Hut 8 Mining Corp.\n12 Quarrymen\nBallinfoyle\nIreland 12345\n082 656 1595 office\n+41 88 608 21 44 fax",
     ["12 Quarrymen\nBallinfoyle\nIreland 12345"]),
])
def test_every_line_of_a_block_goes_with_its_street(text, values):
    assert found(text) == values


@pytest.mark.parametrize("text, values", [
    ("Η διεύθυνσή μου είναι Οδός Ερμού 25, 105 63 Αθήνα", ["Οδός Ερμού 25, 105 63 Αθήνα"]),
    ("Λεωφ. Κηφισίας 120, 115 26 Αθήνα", ["Λεωφ. Κηφισίας 120, 115 26 Αθήνα"]),
    ("I stayed at Odos Ermou 25, Athens", ["Odos Ermou 25, Athens"]),
    ("Bydlím v ulici Karlova 12, 110 00 Praha 1", ["Karlova 12, 110 00 Praha 1"]),
    ("nám. Míru 15, 120 00 Praha 2", ["nám. Míru 15, 120 00 Praha 2"]),
    ("Adresa: Vinohradská 1511/230, 100 00 Praha 10", ["Vinohradská 1511/230, 100 00 Praha 10"]),
    ("Jeg bor på Vesterbrogade 12, 1620 København V", ["Vesterbrogade 12, 1620 København V"]),
    ("Nørregade 7 2. tv, 1165 København K", ["Nørregade 7 2. tv, 1165 København K"]),
    ("Moro na R. Augusta, 100, 1100-053 Lisboa", ["R. Augusta, 100, 1100-053 Lisboa"]),
    ("R Augusta 100, Lisboa", ["R Augusta 100, Lisboa"]),
    ("Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200",
     ["Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200"]),
    ("Vivo en C/ Mayor 12, 2º B, 28013 Madrid", ["C/ Mayor 12, 2º B, 28013 Madrid"]),
    ("Ich wohne in der Hauptstr. 5, 10115 Berlin", ["Hauptstr. 5, 10115 Berlin"]),
    ("12 avenue Victor Hugo, 69002 Lyon", ["12 avenue Victor Hugo, 69002 Lyon"]),
    ("Send it to boulevard Olivier Valette\n97163 Brunel?", ["boulevard Olivier Valette\n97163 Brunel"]),
    ("Viale Monza 45, 20125 Milano", ["Viale Monza 45, 20125 Milano"]),
    # post-office boxes and military lines
    ("Postfach 10 01 23, 10115 Berlin", ["Postfach 10 01 23, 10115 Berlin"]),
    ("Caixa Postal 1234, 01059-970 São Paulo", ["Caixa Postal 1234, 01059-970 São Paulo"]),
    ("Apartado de Correos 45, 29600 Marbella", ["Apartado de Correos 45, 29600 Marbella"]),
    ("Unit 2050 Box 4190\nAPO AP 96278-2050", ["Unit 2050 Box 4190\nAPO AP 96278-2050"]),
    ("USNS Mercy\nFPO AP 96672", ["USNS Mercy\nFPO AP 96672"]),
    ("Mail goes to my husband, DPO AE 09498, until June.", ["DPO AE 09498"]),
])
def test_street_forms_in_more_languages_boxes_and_military_lines(text, values):
    assert found(text) == values


@pytest.mark.parametrize("text", [
    # cities and countries on their own stay
    "We flew from Lisboa to Praha, then on to København and Athens.",
    "Portugal 2, Greece 1: what a match in Porto.",
    # a street, then the sentence goes on: the next words are no town
    # (the street itself is found; nothing after it is)
    # years, versions and products are no streets
    "During 1968, Gap Inc. invested heavily in new designs.",
    "Windows 10, 2004 Update broke my drivers.",
    "Use R Markdown 2 or Python 3.11 for the report.",
    "The test Suite 4 runs first.\nThen Suite 5.",
    # a number and a name over a town, but no signature block (no fax line)
    "Top picks:\n45 Harbourside\nPortsmouth\nTel: 023 9283 1234",
    "```\nship_to = '920 Orchard Trail Suite 380\\nPellowtown, IA 47606'\n```",
])
def test_no_block_without_a_street(text):
    assert found(text) == []


@pytest.mark.parametrize("text, values", [
    ("I live at 12 Baker Street with my wife in Leeds.", ["12 Baker Street"]),
    ("Meet me at 12 Baker Street\nThanks, Priya", ["12 Baker Street"]),
    ("Office: 40 Quay Road\nMobile: 0412 555 019", ["40 Quay Road"]),
    ("Try 14 rue des Lilas, it is lovely.", ["14 rue des Lilas"]),
    ("Ship to 77 Elm Court, Monday please.", ["77 Elm Court"]),
])
def test_a_block_stops_where_the_place_ends(text, values):
    assert found(text) == values


def test_the_scrubber_uses_the_block_recognizer():
    assert any(isinstance(r, AddressBlockRecognizer) for r in build_recognizers(("STREET_ADDRESS",), None))


def test_a_block_gets_one_placeholder_and_the_signature_keeps_its_phones(pii_scrubber):
    text = ("Wren Okafor\nQuarrymen Ltd.\n920 Orchard Trail Suite 380\nPellowtown\n, IA\n 47606\n"
            "082 656 1595 office\n+41 88 608 21 44 fax\n")
    out = pii_scrubber.scrub_conversations([conv(text)]).conversations[0]["messages"][0]["content"]
    assert "Pellowtown" not in out and "47606" not in out and "IA" not in out
    assert out.count("[STREET_ADDRESS_1]") == 1 and "[STREET_ADDRESS_2]" not in out
    assert out.endswith("[PHONE_NUMBER_1] office\n[PHONE_NUMBER_2] fax\n")


def test_the_same_text_gives_the_same_blocks():
    text = "> 512 Quarry Lane\n> Apt. 19\n> East Dunmore\n> Portugal 76037"
    assert [BLOCKS.find(TextView(text)) for _ in range(3)] == [AddressBlockRecognizer().find(TextView(text))] * 3


def test_a_reply_loses_the_street_and_postal_lines_but_keeps_a_country_named_alone(pii_scrubber):
    user = "Please send it to:\n512 Quarry Lane\nApt. 19\nEast Dunmore\nUnited Kingdom\nThanks!"
    reply = "Sure: 512 Quarry Lane, Apt. 19 it is. Shipping to the United Kingdom takes a week."
    out = pii_scrubber.scrub_conversations([conv(user, reply)]).conversations[0]["messages"]
    assert out[0]["content"] == "Please send it to:\n[STREET_ADDRESS_1]\nThanks!"
    assert "Quarry" not in out[1]["content"] and "the United Kingdom takes a week" in out[1]["content"]

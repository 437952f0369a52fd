"""CREDIT_CARD: 12 to 19 digits, optionally grouped by single spaces or dashes, Luhn-valid.

15 to 19 digits with a card-network prefix (Visa 4, Mastercard 51-55/2221-2720, Amex 34/37,
Discover 6011/644-65, JCB 3528-3589, Diners 30/36/38/39, UnionPay 62, Maestro 50/56-69) are
cards on their own; 12 to 14 digits (Maestro, Diners) and other prefixes need a card word
nearby ("card", "cc", "visa", "Karte", "tarjeta", "карта", ...), because numeric IDs of that
length are common and one in ten random numbers passes Luhn. Inside code, a card word is
always needed (IDs and timestamps in code are not cards).
"""
from __future__ import annotations

import regex

from transforms.pii.recognizers.base import Recognizer, near, words_regex

__all__ = ["CardRecognizer", "luhn"]

_CANDIDATE = regex.compile(r"(?<![A-Za-z0-9_.,-])\d(?:[ -]?\d){11,18}(?![A-Za-z0-9_-]|[.,]\d)")
_CUE = words_regex([
    r"cards?", r"cc", r"ccn", r"credit", r"debit", r"visa", r"master\s?card", r"amex",
    r"american\s+express", r"maestro", r"jcb", r"discover", r"diners", r"unionpay",
    r"carte", r"cartes", r"karte", r"kreditkarte\w*", r"kartennummer", r"creditcard\w*", r"bankpas\w*",
    r"pinpas\w*", r"betaalpas\w*", r"kortnummer\w*", r"kreditkort\w*", r"tarjeta", r"carta", r"cartão",
    r"kort", r"kortnummer", r"karta", r"kaart", r"карта", r"карты", r"карту", r"kart", r"kartı",
    r"信用卡", r"银行卡", r"卡号", r"クレジットカード", r"카드"], prefix=r"(?<![^\W\d_])", suffix=r"(?![^\W\d_])")


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _network(digits: str) -> bool:
    n, two, four = len(digits), int(digits[:2]), int(digits[:4])
    if digits[0] == "4":
        return n in (16, 19) or n == 13
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16
    if two in (34, 37):
        return n == 15
    if digits.startswith("6011") or 644 <= int(digits[:3]) <= 649 or two == 65:
        return n >= 16
    if 3528 <= four <= 3589:
        return n >= 15
    if two in (30, 36, 38, 39):
        return n >= 14
    if two == 62:
        return n >= 16
    if two == 50 or 56 <= two <= 69:
        return n >= 15
    return False


def _grouping_ok(value: str) -> bool:
    """One separator kind, groups of 3 to 6 digits (4-4-4-4, 4-6-5, 4-4-4-4-3, ...)."""
    seps = {ch for ch in value if not ch.isdigit()}
    if not seps:
        return True
    if len(seps) > 1:
        return False
    groups = value.split(seps.pop())
    return all(3 <= len(g) <= 6 for g in groups)


class CardRecognizer(Recognizer):
    entity, name = "CREDIT_CARD", "card"

    def find(self, view):
        text, out = view.text, []
        for m in _CANDIDATE.finditer(text):
            value = m.group()
            digits = "".join(ch for ch in value if ch.isdigit())
            if not (_grouping_ok(value) and luhn(digits)) or len(set(digits)) == 1:
                continue
            cue = near(text, m.start(), m.end(), _CUE, 50, 25)
            if cue:
                out.append(self.finding(m.start(), m.end(), 0.95, "cue"))
            elif len(digits) >= 15 and _network(digits) and not view.in_code(m.start(), m.end()):
                out.append(self.finding(m.start(), m.end(), 0.85, "network"))
        return out

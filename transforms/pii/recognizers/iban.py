"""IBAN_CODE: country code, check digits and the account number, upper or lower case, with or
without spaces/dashes between groups. Valid when the length matches the country's IBAN length
and the ISO 7064 mod-97 checksum holds. Unspaced lower-case candidates inside code are skipped
(hex digests)."""
from __future__ import annotations

import regex

from transforms.pii.recognizers.base import Recognizer

__all__ = ["IbanRecognizer", "iban_valid"]

# IBAN lengths per country (SWIFT IBAN registry).
LENGTHS = dict(
    AD=24, AE=23, AL=28, AT=20, AZ=28, BA=20, BE=16, BG=22, BH=22, BI=27, BR=29, BY=28, CH=21, CR=22,
    CY=28, CZ=24, DE=22, DJ=27, DK=18, DO=28, EE=20, EG=29, ES=24, FI=18, FK=18, FO=18, FR=27, GB=22,
    GE=22, GI=23, GL=18, GR=27, GT=28, HN=28, HR=21, HU=28, IE=22, IL=23, IQ=23, IS=26, IT=27, JO=30,
    KW=30, KZ=20, LB=28, LC=32, LI=21, LT=20, LU=20, LV=21, LY=25, MC=27, MD=24, ME=22, MK=19, MN=20,
    MR=27, MT=31, MU=30, NI=28, NL=18, NO=15, OM=23, PK=24, PL=28, PS=29, PT=25, QA=29, RO=24, RS=22,
    RU=33, SA=24, SC=31, SD=18, SE=24, SI=19, SK=24, SM=27, SO=23, ST=25, SV=28, TL=23, TN=24, TR=26,
    UA=29, VA=22, VG=24, XK=20, YE=30,
)
_CANDIDATE = regex.compile(r"(?<![A-Za-z0-9_-])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9_])")


def iban_valid(value: str) -> bool:
    iban = "".join(ch for ch in value if ch.isalnum()).upper()
    if LENGTHS.get(iban[:2]) != len(iban) or not iban[2:4].isdigit():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _prefixes(value: str):
    """The candidate, then shorter cuts at separators (a word may follow the last group)."""
    yield value
    for i in range(len(value) - 1, 3, -1):
        if value[i] in " -":
            yield value[:i]


class IbanRecognizer(Recognizer):
    entity, name = "IBAN_CODE", "iban"

    def find(self, view):
        text, out = view.text, []
        for m in _CANDIDATE.finditer(text):
            for value in _prefixes(m.group()):
                if iban_valid(value):
                    plain = value.replace(" ", "").replace("-", "")
                    if plain.islower() and plain == value and view.in_code(m.start(), m.start() + len(value)):
                        break
                    out.append(self.finding(m.start(), m.start() + len(value), 0.95))
                    break
        return out

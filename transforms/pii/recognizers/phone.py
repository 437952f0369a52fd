"""PHONE_NUMBER in international and local formats.

A candidate is a run of digit groups (optional +CC/00CC prefix, "(0)", "(area)", single
spaces, dots, dashes or slashes between groups, an optional extension "x123"). It is a phone
number when
  - a phone word is near (call, phone, tel, mobile, cell, fax, office, desk, contact, WhatsApp,
    "my number", "registered number", and the same in the top chat languages), or an e-mail
    address (a contact block), and it has 6 to 15 digits; or
  - it has an international prefix and libphonenumber finds it possible with at least 8 digits;
  - or it has the North American shape (NNN) NNN-NNNN / NNN-NNN-NNNN / NNN.NNN.NNNN; or
  - it is a Chinese mobile number as one run of 11 digits (1[3-9]...) within three
    characters of a Han character, outside code; or
  - libphonenumber says it is a valid number of one of REGIONS, written in groups with a
    trunk prefix 0 or at least 9 digits, or as 10-11 digits after a trunk 0 (a bare run of
    digits, or "4455 6677", is more often an ID without a cue).
Inside code only the last two count (code is full of numbers next to the word "call").
Dates, decimals, SSNs and version strings are never phone numbers.
"""
from __future__ import annotations

import regex

from transforms.pii.recognizers.base import Recognizer, near, words_regex

__all__ = ["PhoneRecognizer", "REGIONS"]

REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "BR", "IN", "CA", "AU", "IL", "CN", "JP", "RU", "KR",
           "MX", "TR", "PL", "SE", "NO", "DK", "FI", "AT", "CH", "BE", "PT", "IE", "NZ", "ZA")
_CANDIDATE = regex.compile(r"""
    (?<![A-Za-z0-9_.+/:-])(?<!\d,)
    (?:\+\s?|00)?
    (?:[(（]\d{1,5}[)）][ \t-]?)?
    \d{1,15}
    (?:(?:[ .\-/]|\s?\(\d{1,5}\)\s?|[ ]?-[ ]?)\d{1,12}){0,7}
    (?:\s?(?:x|ext\.?|extension|доб\.?|poste|durchwahl)\s?\d{1,6})?
    (?![A-Za-z0-9_]|[.\-/:,]\d)
""", regex.X | regex.I)
_EXTENSION = regex.compile(r"\s?(?:x|ext\.?|extension|доб\.?|poste|durchwahl)\s?\d{1,6}$", regex.I)
_NANP = regex.compile(r"^(?:\+?1[ .-]?|001[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}$")
_NOT_PHONE = regex.compile(r"""^(?:
      \d{4}[-/.]\d{1,2}[-/.]\d{1,2}            # 2023-04-05
    | \d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}          # 05.04.2023
    | \d{3}-\d{2}-\d{4}                        # SSN
    | \d{1,3}(?:\.\d{1,3}){3}                  # IPv4
    | \d+\.\d+                                  # decimal
    | (?:19|20)\d{2}\s?[-/]\s?(?:19|20)?\d{2}  # year range
    | 10\.\d{4,}/\d+                           # DOI
)$""", regex.X)
_CUE = words_regex([
    r"call(?:ing)?", r"ring", r"phone", r"phones", r"telephone", r"tel", r"tel\.", r"tlf", r"mobile", r"mob",
    r"cell(?:phone)?", r"fax", r"office", r"whats\s?app", r"viber", r"telegram", r"signal", r"sms", r"text\s+me",
    r"hotline", r"landline", r"dial", r"contact", r"reach", r"reached", r"desk", r"registered", r"answer(?:ing)?", r"switchboard",
    r"(?:my|your|his|her|our|their|registered|home|work|direct|private|personal|new|old)\s+(?:phone\s+|mobile\s+|contact\s+)?(?:number|no\.?|#)",
    r"telefon\w*", r"handy", r"mobil\w*", r"rufnummer", r"anrufen", r"ruf", r"erreichbar",
    r"t[ée]l[ée]phone", r"t[ée]l\.?", r"portable", r"num[ée]ro", r"appel(?:le[zr]?|er)",
    r"tel[ée]fono", r"m[óo]vil", r"celular", r"n[úu]mero", r"llam(?:a|ar|ame|ame)", r"ll[áa]mame",
    r"cellulare", r"numero", r"chiam(?:a|ami|are)", r"telefone", r"ligue?", r"ligar",
    r"telefoon", r"mobiel", r"bel", r"ring", r"komórk\w*", r"numer", r"zadzwoń",
    r"телефон\w*", r"тел\.?", r"мобильн\w*", r"номер\w*", r"звон\w*", r"позвон\w*", r"сотов\w*",
    r"numara\w*", r"ara", r"arayın",
    r"هاتف", r"جوال", r"رقم", r"फ़ोन", r"फोन", r"मोबाइल"],
    prefix=r"(?<![^\W\d_])", suffix=r"(?![^\W\d_])")
# CJK has no spaces: the cue is a substring ("我的手机号是…").
_CJK_CUE = regex.compile(r"电话|電話|手机|手機|号码|號碼|致电|联系|聯繫|聯絡|联络|微信|短信|打给|打我|拨打|撥打|携帯|番号|連絡"
                         r"|전화|휴대폰|핸드폰|번호|연락")
# A mainland Chinese mobile number written as one run of 11 digits (13x-19x), next to Han text:
# in Chinese chat that shape is a phone number with or without a cue ("有问题打13812345678").
_CN_MOBILE = regex.compile(r"^1[3-9]\d{9}$")
_HAN_NEAR = regex.compile(r"\p{Han}")


def _digits(value: str) -> str:
    return "".join(ch for ch in _EXTENSION.sub("", value) if ch.isdigit())


class PhoneRecognizer(Recognizer):
    entity, name = "PHONE_NUMBER", "phone"

    def __init__(self, regions=REGIONS):
        import phonenumbers

        self._pn, self._regions = phonenumbers, tuple(regions)

    def _parses(self, value: str, region) -> bool:
        try:
            number = self._pn.parse(value, region)
        except self._pn.NumberParseException:
            return False
        return self._pn.is_valid_number(number)

    def _international(self, value: str) -> bool:
        try:
            value = value.replace("(0)", "")
            number = self._pn.parse("+" + value[2:] if value.startswith("00") else value, None)
        except self._pn.NumberParseException:
            return False
        return self._pn.is_possible_number(number)

    def find(self, view):
        text, out = view.text, []
        for m in _CANDIDATE.finditer(text):
            value = m.group()
            digits = _digits(value)
            core = _EXTENSION.sub("", value)
            if not 6 <= len(digits) <= 15 or _NOT_PHONE.match(core):
                continue
            in_code = view.in_code(m.start(), m.end())
            grouped = any(not ch.isdigit() for ch in core.lstrip("+"))
            rule = None
            cue = near(text, m.start(), m.end(), _CUE, 40, 15) or near(text, m.start(), m.end(), _CJK_CUE, 20, 10) \
                or "@" in text[max(0, m.start() - 40):m.end() + 40]
            if not in_code and cue and (grouped or len(digits) >= 9 or digits[0] == "0" and len(digits) >= 7):
                rule = "cue"
            elif value.startswith(("+", "00")) and len(digits) >= 8 and self._international(core):
                rule = "international"
            elif not in_code and _NANP.match(core):
                rule = "nanp"
            elif not in_code and _CN_MOBILE.match(core) and _HAN_NEAR.search(text, max(0, m.start() - 3), m.end() + 3) \
                    and self._parses(core, "CN"):
                rule = "cn_mobile"
            elif ("/" not in core and (grouped and (len(digits) >= 9 or digits[0] == "0")
                                       or digits[0] == "0" and 10 <= len(digits) <= 11)
                  and any(self._parses(core, r) for r in self._regions)):
                rule = "valid"
            if rule:
                out.append(self.finding(m.start(), m.end(), 0.8 if rule == "cue" else 0.7, rule))
        return out

"""STREET_ADDRESS written the Chinese, Japanese and Korean way, as one span from the largest
administrative unit down to the room, with the postcode.

These addresses run from the province to the door with no line breaks, so the block is one
match (the street line alone would leave the city, the building and the room behind):
- Chinese: 省/市/区/县 ... 路/街/道/巷/弄 + 号, then 栋/幢/座/号楼, 单元, 室 ("东城区许街83号
  1栋6单元2601室"); a postcode after 邮编 in the same text as an address;
- Japanese: an optional 〒NNN-NNNN, the prefecture (都/道/府/県), at least one city, ward, county,
  town or village (市/区/郡/町/村), the district name and the block number "4-12-7" or
  "1丁目2番3号", then a building with its room (…602号室); a 〒 postcode on its own;
- Korean road and lot addresses: the province or metropolitan city, at least one 시/군/구, the
  road (…로, …대로, …길, …번길) and its number, then 동/호/층 and the postcode or the
  neighbourhood in brackets ("(31633)", "(우동)"); lot addresses "…동 123-4번지"; a postcode after
  우편번호.
A Chinese or Korean address needs an administrative unit before the street, or a unit after
the number, so a bare "中山路" or "세로 3" is not an address. Outside code only.
"""
from __future__ import annotations

import regex

from transforms.pii.recognizers.base import Recognizer

__all__ = ["EastAsianAddressRecognizer"]

_D = r"[\d０-９]"
# A place name is Han characters, but not the verbs and pronouns that lead into it ("我住在",
# "寄到", "送到"): Chinese writes no space between them and the address.
_HAN = r"(?:(?![在到至于是往给把的我你他她住寄送发请])\p{Han})"
_ZH_ADMIN = rf"(?:{_HAN}{{1,6}}?(?:省|自治区|市|区|區|县|縣|镇|鎮|乡|鄉))"
_ZH_UNIT = rf"(?:{_D}{{1,3}}(?:栋|幢|座|号楼|號樓))?(?:{_D}{{1,2}}单元)?(?:{_D}{{1,5}}(?:室|号房))?"
_ZH = regex.compile(
    rf"{_ZH_ADMIN}*{_HAN}{{1,8}}?(?:路|街|道|巷|弄|胡同|大街|大道|里){_D}{{1,5}}(?:号|號)(?:楼|樓)?{_ZH_UNIT}"
    rf"(?:[（(]邮编[ \t]*\d{{6}}[）)])?")
_ZH_POSTCODE = regex.compile(r"(?<=(?:邮编|郵編|邮政编码)[ \t:：]*)\d{6}(?!\d)")

_JA_NUM = rf"{_D}{{1,4}}(?:[-−ー－]{_D}{{1,4}}){{1,2}}|{_D}{{1,2}}丁目{_D}{{1,3}}(?:番地?|[-−－]){_D}{{1,3}}号?"
_JA_POSTCODE = r"〒[ \t　]?\d{3}[-−－]\d{4}"
_JA = regex.compile(
    rf"(?:{_JA_POSTCODE}[ \t　]*)?"
    rf"(?:[\p{{Han}}]{{2,3}}(?:都|道|府|県))?"
    rf"(?:[\p{{Han}}\p{{Katakana}}ー]{{1,6}}?(?:市|区|郡|町|村)){{1,3}}"
    rf"[\p{{Han}}\p{{Katakana}}\p{{Hiragana}}ー]{{0,8}}?(?:{_JA_NUM})"
    rf"(?:[ \t　]*[\p{{Han}}\p{{Katakana}}ー\p{{Latin}}]{{1,12}}?{_D}{{1,4}}号室|{_D}{{0,4}}号室)?")
_JA_POSTCODE_ALONE = regex.compile(_JA_POSTCODE)

_KO_ADMIN = (r"(?:[가-힣]{1,6}(?:특별시|광역시|특별자치시|특별자치도|도|시)[ \t]+)?"
             r"(?:[가-힣]{1,6}(?:시|군|구)[ \t]+){1,3}")
# then the building (its name, 동, 호, 층) and the postcode or neighbourhood in brackets
_KO_TAIL = (r"(?:,?[ \t]*(?:[가-힣A-Za-z]{1,15}[ \t]+)?(?=[A-Za-z가-힣]?\d{0,4}동|\d{1,5}호|\d{1,3}층)"
            r"(?:[A-Za-z가-힣]{0,2}\d{0,4}동[ \t]*)?(?:\d{1,5}호[ \t]*)?(?:\d{1,3}층)?)?"
            r"(?:[ \t]*\((?:\d{5}|[가-힣]{1,6}동(?:,[ \t]*[가-힣0-9 ]{1,12})?)\))?")
_KO = regex.compile(
    rf"{_KO_ADMIN}(?:[가-힣0-9]{{1,12}}(?:대로|로|길)(?:[ \t]?\d{{1,4}}(?:번길|번안길))?[ \t]?\d{{1,4}}(?:-\d{{1,4}})?"
    rf"|[가-힣0-9]{{1,8}}(?:동|리|가)[ \t]+\d{{1,4}}(?:-\d{{1,4}})?(?:번지)?){_KO_TAIL}")
_KO_POSTCODE = regex.compile(r"(?<=우편번호[ \t:：]*)\d{5}(?!\d)")


class EastAsianAddressRecognizer(Recognizer):
    entity, name = "STREET_ADDRESS", "address_east_asia"

    def __init__(self, gazetteer=None):
        pass

    def find(self, view):
        text, out = view.text, []

        def add(m, rule, score=0.75):
            if m.end() > m.start() and not view.in_code(m.start(), m.end()):
                out.append(self.finding(m.start(), m.end(), score, rule))

        if regex.search(r"\p{Han}", text):
            zh = [m for m in _ZH.finditer(text) if regex.search(_ZH_ADMIN, m.group()) or
                  regex.search(r"(?:栋|幢|座|单元|室)", m.group())]
            for m in zh:
                add(m, "zh")
            if zh:
                for m in _ZH_POSTCODE.finditer(text):
                    add(m, "zh_postcode", 0.7)
            for m in _JA.finditer(text):
                add(m, "ja")
            for m in _JA_POSTCODE_ALONE.finditer(text):
                add(m, "ja_postcode", 0.7)
        if regex.search(r"[가-힣]", text):
            for m in _KO.finditer(text):
                add(m, "ko")
            for m in _KO_POSTCODE.finditer(text):
                add(m, "ko_postcode", 0.7)
        return out

"""STREET_ADDRESS: a street line, its unit and the postal-code/city line of the same block.

A home address identifies a person as well as a name does. Street lines:
  - house number + street name + street type (USPS Publication 28 suffixes and their
    abbreviations, UK types): "4211 Oak Ridge Road", "12 Kings Cl.";
  - street word + house number where the type is part of the word or comes first:
    "Hauptstraße 5", "Karl-Marx-Allee 12", "Storgatan 17", "Keizersgracht 12", "Via Roma 3",
    "Calle de Alcalá 45", "Rua Augusta 100", "ul. Długa 5/7", "ул. Ленина, д. 5";
  - house number + type + name: "14 rue des Lilas", "3 avenue Victor Hugo";
  - US military and box addresses: "PSC 1234, Box 5678", "USNS Mercy", "P.O. Box 123".
The match extends over a unit ("Apt. 4B", "Suite 200", "lgh 1102", "Piso 3", "кв. 12") and over
a postal-code/city line that follows on the same or the next line ("Springfield, IL 62704",
"10115 Berlin", "75002 Paris", "SW1A 1AA London", "APO AE 09012"). Cities and countries on
their own stay (utility). Code is never searched.
"""
from __future__ import annotations

import regex

from transforms.pii.names import has_name_shape
from transforms.pii.recognizers.base import Recognizer
from transforms.pii.technical import is_tool_word

__all__ = ["AddressRecognizer"]

# USPS street suffixes (Publication 28, C1) and common UK street types, with abbreviations.
SUFFIXES = """
Alley Aly Annex Anx Arcade Arc Avenue Ave Av Bayou Beach Bch Bend Bluff Bluffs Bottom Boulevard Blvd Branch
Brg Bridge Brook Brooks Burg Burgs Bypass Byp Camp Canyon Cape Causeway Cswy Center Ctr Centers Circle Cir
Circles Cliff Cliffs Close Cl Club Common Commons Corner Corners Course Court Ct Courts Cove Coves Creek Crk
Crescent Cres Crest Crossing Xing Crossroad Curve Dale Dam Divide Drive Dr Drives Estate Estates Expressway
Expy Extension Ext Falls Ferry Field Fields Flat Flats Ford Fords Forest Forge Forges Fork Forks Fort
Freeway Fwy Garden Gardens Gdns Gateway Glen Glens Green Greens Grove Grv Groves Harbor Harbors Haven Heights
Hts Highway Hwy Hill Hills Hollow Inlet Island Islands Isle Junction Jct Junctions Key Keys Knoll Knolls Lake
Lakes Land Landing Lane Ln Light Lights Loaf Lock Locks Lodge Loop Mall Manor Manors Meadow Meadows Mews Mill
Mills Mission Motorway Mount Mountain Mountains Mtn Neck Orchard Oval Overpass Park Parks Parkway Pkwy
Parkways Pass Passage Path Pike Pine Pines Place Pl Plain Plains Plaza Plz Point Pt Points Port Ports
Prairie Radial Ramp Ranch Rapid Rapids Rest Ridge Rdg Ridges River Riv Road Rd Roads Route Rte Row Rue Run
Shoal Shoals Shore Shores Skyway Spring Springs Spur Spurs Square Sq Squares Station Sta Stravenue Stream
Street St Streets Summit Terrace Ter Terr Throughway Trace Track Trafficway Trail Trl Trailer Tunnel Turnpike
Tpke Underpass Union Unions Valley Vly Valleys Via Viaduct View Views Village Vlg Villages Ville Vista Walk
Walks Wall Way Ways Well Wells Wynd
""".split()
_DIRECTION = r"(?:[NSEW]|N[EW]|S[EW]|North|South|East|West)\.?"
_CAP = r"\p{Lu}[\p{L}'’.-]*"
_LOW = r"\p{Ll}[\p{Ll}'’-]*"
_NUMBER = r"\d{1,6}(?:[-/]\d{1,4})?[A-Za-z]?"
_SUFFIX = "|".join(sorted(SUFFIXES, key=len, reverse=True))
# Types written into the street word (German, Dutch, Nordic, ...); the strong ones also in lower
# case ("walterweg 39"); "ring", "gate", "tie", "str" are endings of common words ("string 10").
_GLUED_STRONG = (r"stra(?:ß|ss)e|weg|gasse|platz|allee|damm|ufer|chaussee|steig|pfad|markt|graben|kamp|"
                 r"straat|laan|plein|gracht|dijk|singel|steeg|dreef|vägen|gatan|gränd|stigen|torget|vej|gade|"
                 r"veien|vegen|gata|katu|kuja|utca|boulevard")
_GLUED = _GLUED_STRONG + r"|str\.|ring|kade|pad|hof|baan|gate|tie|út|tér"
# Types that come first. The distinctive ones (not English words) mark a street even without a
# house number ("rue Delattre"); the others need a number or a postal line.
_LEADING_DISTINCT = (
    r"rue|chemin|allée|impasse|quai|ruelle|sentier|calle|c/|avenida|avda\.?|paseo|camino|carrera|"
    r"carretera|travesía|callejón|glorieta|pasaje|pasadizo|cuesta|cañada|vial|acceso|bajada|urbanización|"
    r"viale|piazza|piazzale|vicolo|contrada|strada|lungomare|incrocio|rotonda|canale|stretto|rua|travessa|praça|"
    r"ulica|ul\.|aleja|osiedle|"
    r"ул\.|улица|проспект|пр-т|переулок|пер\.|бульвар|бул\.|шоссе|набережная|наб\.|площадь|аллея|алл\.|проезд|"
    r"пр-д|тупик|пр\.|ш\.|пл\.|bulevardul|calea|"
    r"sokak|sok\.|cadde|caddesi|mahallesi|mah\.")
_LEADING = _LEADING_DISTINCT + (
    r"|c\.|avenue|av\.|boulevard|bd|bld|place|route|cours|passage|square|voie|résidence|pza\.?|plaza|ronda|vía|"
    r"rambla|via|corso|largo|borgo|alameda|estrada|al\.|os\.|pl\.|plac")
_PARTICLES = r"(?i:de|del|della|dei|degli|di|da|das|do|dos|des|du|la|le|les|l'|d'|der|den|van|von)"
_NAME_PART = r"(?:\p{L}[\p{L}'’.-]*|\d{1,3}(?:st|nd|rd|th|e|er|o|a)?)"
# A street name that starts with a date or an ordinal after a distinctive leading type:
# "пер. 1 Мая", "наб. 70 лет Октября", "Calle 5 de Mayo".
_NUMBERED_NAME = r"\d{1,3}(?:-?[\p{Ll}]{1,2})?[ \t]+(?:\p{Ll}{1,5}[ \t]+)?"
_CAP_NAME = rf"(?:{_PARTICLES}[ \t]+)*\p{{Lu}}[\p{{L}}'’.-]*(?:[ \t]+(?:{_PARTICLES}[ \t]+)*\p{{Lu}}[\p{{L}}'’.-]*){{0,3}}"
# Where a street named without a house number is an address: "lives on", "corner of", "at".
_PLACE_CUE = (r"(?i:(?:lives?|living|located|situated|based|moved|staying|meet(?:ing)?|is|are|was|be)[ \t]+"
              r"(?:on|at|in|to)|(?:corner|side|end|part)[ \t]+of|address[ \t]*(?:is|:)|on|at|and|near|along|off|"
              r"in|to|from)[ \t]+(?:the[ \t]+)?")
STREETS = (
    ("number_name_suffix",
     rf"(?<![\w/.-]){_NUMBER}[ \t]+(?:{_DIRECTION}[ \t]+)?(?:{_CAP}[ \t]+){{0,3}}{_CAP}[ \t]+(?:{_SUFFIX})\.?"
     rf"(?:[ \t]+{_DIRECTION})?(?![\p{{L}}])"),
    ("number_name_suffix_lower",
     rf"(?<![\w/.-]){_NUMBER}[ \t]+(?P<name>(?:{_LOW}[ \t]+){{0,2}}{_LOW})[ \t]+(?i:{_SUFFIX})\.?(?![\p{{L}}])"),
    ("glued_type_number",
     rf"(?<![\w-])(?:\p{{Lu}}[\p{{L}}'’.]*[ -])*(?:\p{{Lu}}[\p{{L}}'’.-]+?(?i:{_GLUED})|\p{{Ll}}[\p{{L}}'’.-]+?(?:{_GLUED_STRONG}))"
     rf"[ \t]+{_NUMBER}(?![\w])"),
    ("number_glued_type",
     rf"(?<![\w/.-]){_NUMBER},?[ \t]+(?:\p{{Lu}}[\p{{L}}'’.-]+?(?i:{_GLUED})|\p{{Ll}}[\p{{L}}'’.-]+?(?:{_GLUED_STRONG}))(?![\w])"),
    ("number_leading_type",
     rf"(?<![\w/.-]){_NUMBER},?[ \t]+(?i:{_LEADING})[ \t]+(?:{_NAME_PART}[ \t]+){{0,4}}?{_NAME_PART}"
     rf"(?:[ \t]+{_NUMBER})?(?=[ \t]*(?:[,\n.;]|$))"),
    ("leading_type_number",
     rf"(?<![\w/-])(?:(?i:{_LEADING_DISTINCT})[ \t]+(?:{_NUMBERED_NAME})?|(?i:{_LEADING})[ \t]+)(?:{_PARTICLES}[ \t]+)*\p{{Lu}}[\p{{L}}'’.-]*(?:[ \t]+{_NAME_PART}){{0,4}}?"
     rf",?[ \t]+(?:(?i:nº|n°|no\.?|núm\.?|nr\.?|д\.|дом)[ \t]*)?{_NUMBER}(?![\w])"),
    ("distinct_type_lower_number",
     rf"(?<![\w/-])(?i:{_LEADING_DISTINCT})[ \t]+(?:{_NAME_PART}[ \t]+){{0,4}}?{_NAME_PART},?[ \t]+{_NUMBER}(?![\w])"),
    ("leading_type_name",
     rf"(?<![\w/-])(?i:{_LEADING_DISTINCT})[ \t]+{_CAP_NAME}(?![\w])"),
    ("name_suffix_after_cue",
     rf"(?<={_PLACE_CUE})(?P<name>{_CAP}(?:[ \t]+{_CAP}){{0,2}})[ \t]+(?:{_SUFFIX})\.?(?![\p{{L}}])"),
    ("military", r"(?<![\w])(?:(?:PSC|CMR|Unit)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{3,5}|(?:USNS|USS|USNV|USCGC)[ \t]+\p{Lu}\p{L}+)"),
    ("po_box", r"(?<![\w])(?i:p\.?[ \t]?o\.?[ \t]+box|post[ \t]+office[ \t]+box|postfach|apartado(?:[ \t]+de[ \t]+correos)?|"
               r"boîte[ \t]+postale|casella[ \t]+postale)[ \t]+\d{1,6}(?![\w])"),
)
_STREETS = tuple((name, regex.compile(p)) for name, p in STREETS)
# Chinese and Japanese addresses: province/city/district, street, number ("东城区许街83号",
# "渋谷区神南1丁目2番3号"), with a trailing postcode in brackets.
_CJK_ADDRESS = regex.compile(
    r"(?:(?:(?![在到至于是往给把的我你他她住寄送发请])\p{Han}){1,6}(?:省|市|区|區|县|縣|镇|鎮|乡|鄉|都|道|府|県|町|村))*"
    r"(?:(?:(?![在到至于是往给把的我你他她住寄送发请])\p{Han}){1,8}(?:路|街|道|巷|弄|胡同|大街|大道|里)[\d０-９一二三四五六七八九十百]+号(?:楼|樓)?"
    r"(?:[\d０-９]+(?:室|号房))?"
    r"|[\p{Han}\p{Katakana}\p{Hiragana}]{0,6}[\d０-９]{1,2}丁目[\d０-９]{1,3}(?:番地?|-)[\d０-９]{1,3}号?)"
    r"(?:[（(]邮编[ \t]*\d{6}[）)])?")
_UNIT = regex.compile(
    r"(?:,[ \t]*|[ \t]*\n[ \t>]*|[ \t]+)(?:(?i:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|#|box|"
    r"lgh|piso|puerta|planta|escalera|esc\.|int\.|interno|scala|étage|etage|app\.|appartement|bâtiment|bât\.|"
    r"whg\.|wohnung|og|кв\.|квартира|корп\.|корпус|стр\.|oda|daire)\.?[ \t]*#?[ \t]*[\w-]{1,6}(?![\w])"
    r"|\d{1,3}\.[ \t]*(?i:og|etage|stock|piso|planta|étage))")
_CITY_WORD = r"(?:\p{Lu}\p{L}{0,3}\.(?=[ \t]\p{Lu})|\p{Lu}[\p{L}'’-]*\p{L})"
_CITY_WORDS = rf"{_CITY_WORD}(?:[ \t-]+(?:{_CITY_WORD}|de|del|la|le|les|sur|am|an|im|upon|on)(?=[ \t]|,|$|-))*"
# After a postal code the city may be lower case ("31965 laporte").
_ANY_CITY = r"\p{L}[\p{L}'’-]*\p{L}(?:[ \t-]+\p{L}[\p{L}'’-]*\p{L}){0,3}"
_BREAK = r"(?:[ \t]*,[ \t]*|[ \t]*\n[ \t>]*|[ \t]*,[ \t]*\n[ \t>]*)"
_POSTAL_LINE = regex.compile(
    rf"{_BREAK}(?:"
    rf"{_CITY_WORDS},?[ \t]+[A-Z]{{2}}[ \t]+\d{{5}}(?:-\d{{4}})?"  # Springfield, IL 62704
    rf"|(?:[A-Z]{{1,2}}-)?\d{{4,5}},?(?:[ \t]+|[ \t]*\n[ \t>]*)(?:{_CITY_WORDS}|{_ANY_CITY})(?:[ \t]+\([A-Za-z]{{2}}\))?"  # 10115 Berlin, 62027, Cesolo (MC)
    rf"|\d{{3}}[ \t]\d{{2}}[ \t]+{_CITY_WORDS}"  # 114 55 Stockholm
    rf"|\d{{4}}[ \t]?[A-Z]{{2}}(?:[ \t]+|[ \t]*\n[ \t>]*){_CITY_WORDS}"  # 1012 AB Amsterdam
    rf"|\d{{2}}-\d{{3}}[ \t]+{_CITY_WORDS}"  # 00-950 Warszawa
    rf"|(?:{_CITY_WORDS}[ \t,]+)?[A-Z]{{1,2}}\d[A-Z\d]?[ \t]*\d[A-Z]{{2}}(?:[ \t]+{_CITY_WORDS})?"  # UK postcode
    rf"|(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{{5}}"
    rf"|{_CITY_WORDS}(?:{_BREAK}{_CITY_WORDS})?,?[ \t]+(?:[A-Z]{{1,2}}[ \t]+)?\d{{4,6}}"  # Almería, 27125 / Town\nCountry 46760
    r")(?![\w])")
# Words that cannot be part of a street name in lower-case text ("5 dogs in the park").
_NOT_STREET_NAME = frozenset("""
a an the in on at of to and or for with by from into onto my your his her our their its this that these those
is are was were be been am i you he she we they it me us them big small new old more most some any all each
every other same few many much very times days years hours minutes people things items dogs cats cars
""".split())


def _lower_name_ok(m, gaz) -> bool:
    return not any(w in _NOT_STREET_NAME for w in m.group("name").split())


def _cue_name_ok(m, gaz) -> bool:
    """A street named without a number ("lives on Baranova Inlet") needs a name-like word."""
    words = m.group("name").split()
    return all(not is_tool_word(w) for w in words) and any(
        gaz is not None and gaz.is_name(w) or has_name_shape(w) or w.casefold().endswith(_GLUED_ENDINGS)
        for w in words)


_CHECKS = {"number_name_suffix_lower": _lower_name_ok, "name_suffix_after_cue": _cue_name_ok}
# Words that every street pattern contains: only windows around them are searched.
_TYPE_WORDS = frozenset(w.casefold() for w in SUFFIXES) | frozenset(
    w.casefold().rstrip(".?") for w in _LEADING.replace("\\.", ".").split("|")) | {
    "c", "psc", "cmr", "unit", "usns", "uss", "usnv", "uscgc", "box", "postfach", "apartado", "boîte", "casella"}
_GLUED_ENDINGS = tuple(e.casefold() for e in _GLUED.replace("(?:ß|ss)", "ss").replace("\\.", "").split("|"))
_STRONG_ENDINGS = tuple(e.casefold() for e in _GLUED_STRONG.replace("(?:ß|ss)", "ss").split("|"))
_BEFORE, _AFTER = 160, 220


def _windows(view) -> list:
    """Merged [start, end) windows around street-type words."""
    spans = []
    text = view.masked
    for start, end, word in view.tokens:
        if word in _TYPE_WORDS or (word.endswith(_GLUED_ENDINGS) and (len(word) > 5 or text[start - 1:start] == "-")
                                   and (text[start].isupper() or word.endswith(_STRONG_ENDINGS))):
            lo, hi = max(0, start - _BEFORE), end + _AFTER
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = hi
            else:
                spans.append([lo, hi])
    return spans


class AddressRecognizer(Recognizer):
    entity, name = "STREET_ADDRESS", "address"

    def __init__(self, gazetteer=None):
        self.gaz = gazetteer

    def find(self, view):
        text, found = view.masked, {}
        for lo, hi in _windows(view):
            for name, pattern in _STREETS:
                check = _CHECKS.get(name)
                for m in pattern.finditer(text, lo, min(hi, len(text))):
                    if check and not check(m, self.gaz):
                        continue
                    end = m.end()
                    unit = _UNIT.match(text, end)
                    if unit:
                        end = unit.end()
                    postal = _POSTAL_LINE.match(text, end)
                    if postal:
                        end = postal.end()
                    found[(m.start(), end)] = (0.75 if postal or unit else 0.65, name)
        if "号" in text or "丁目" in text:
            for m in _CJK_ADDRESS.finditer(text):
                found[m.span()] = (0.75, "cjk")
        spans = sorted(found, key=lambda se: (se[0], -se[1]))
        outer = [se for i, se in enumerate(spans) if not any(s <= se[0] and se[1] <= e for s, e in spans[:i])]
        return [self.finding(start, end, *found[(start, end)]) for start, end in outer]

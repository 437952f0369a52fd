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

from transforms.pii.recognizers.base import Recognizer

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
_NUMBER = r"\d{1,6}(?:[-/]\d{1,4})?[A-Za-z]?"
_SUFFIX = "|".join(sorted(SUFFIXES, key=len, reverse=True))
# Types written into the street word (German, Dutch, Nordic, ...), and types that come first.
_GLUED = (r"stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad|markt|graben|kamp|"
          r"straat|laan|plein|gracht|kade|dijk|singel|steeg|vägen|gatan|gränd|stigen|torget|backen|vej|gade|"
          r"veien|vegen|gata|gate|tie|katu|kuja|utca|út|tér")
_LEADING = (r"rue|avenue|av\.|boulevard|bd|bld|chemin|allée|place|impasse|quai|route|cours|passage|square|"
            r"voie|résidence|calle|c/|avenida|avda\.?|paseo|pza\.?|plaza|camino|carretera|ronda|travesía|"
            r"callejón|glorieta|vía|rambla|urbanización|via|viale|piazza|piazzale|corso|largo|vicolo|strada|"
            r"borgo|contrada|lungomare|rua|travessa|praça|alameda|estrada|ul\.|ulica|al\.|aleja|os\.|osiedle|"
            r"pl\.|plac|ул\.|улица|пр\.|пр-т|проспект|пер\.|переулок|бул\.|бульвар|ш\.|шоссе|наб\.|набережная|"
            r"пл\.|площадь|bulevardul|calea|sokak|sok\.|cadde|caddesi|mahallesi|mah\.")
_PARTICLES = r"(?i:de|del|della|dei|degli|di|da|das|do|dos|des|du|la|le|les|l'|d'|der|den|van|von)"
_NAME_PART = r"(?:\p{L}[\p{L}'’.-]*|\d{1,3}(?:st|nd|rd|th|e|er|o|a)?)"
STREETS = (
    ("number_name_suffix",
     rf"(?<![\w/.-]){_NUMBER}[ \t]+(?:{_DIRECTION}[ \t]+)?(?:{_CAP}[ \t]+){{0,3}}{_CAP}[ \t]+(?:{_SUFFIX})\.?"
     rf"(?:[ \t]+{_DIRECTION})?(?![\p{{L}}])"),
    ("glued_type_number",
     rf"(?<![\w-])(?:\p{{Lu}}[\p{{L}}'’.]*[ -])*\p{{Lu}}[\p{{L}}'’.-]+?(?i:{_GLUED})[ \t]+{_NUMBER}(?![\w])"),
    ("number_leading_type",
     rf"(?<![\w/.-]){_NUMBER},?[ \t]+(?i:{_LEADING})[ \t]+(?:{_NAME_PART}[ \t]+){{0,4}}?{_NAME_PART}"
     rf"(?:[ \t]+{_NUMBER})?(?=[ \t]*(?:[,\n.;]|$))"),
    ("leading_type_number",
     rf"(?<![\w/-])(?i:{_LEADING})[ \t]+(?:{_PARTICLES}[ \t]+)*\p{{Lu}}[\p{{L}}'’.-]*(?:[ \t]+{_NAME_PART}){{0,4}}?"
     rf",?[ \t]+(?:(?i:nº|n°|no\.?|núm\.?|nr\.?|д\.|дом)[ \t]*)?{_NUMBER}(?![\w])"),
    ("military", r"(?<![\w])(?:(?:PSC|CMR|Unit)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{3,5}|(?:USNS|USS|USNV|USCGC)[ \t]+\p{Lu}\p{L}+)"),
    ("po_box", r"(?<![\w])(?i:p\.?[ \t]?o\.?[ \t]+box|post[ \t]+office[ \t]+box|postfach|apartado(?:[ \t]+de[ \t]+correos)?|"
               r"boîte[ \t]+postale|casella[ \t]+postale)[ \t]+\d{1,6}(?![\w])"),
)
_STREETS = tuple((name, regex.compile(p)) for name, p in STREETS)
_UNIT = regex.compile(
    r",?[ \t]*(?:(?i:apt|apartment|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|#|box|lgh|piso|puerta|"
    r"planta|escalera|esc\.|int\.|interno|scala|étage|etage|app\.|appartement|bâtiment|bât\.|whg\.|wohnung|"
    r"кв\.|квартира|корп\.|корпус|стр\.|oda|daire|no)\.?[ \t]*#?[ \t]*[\w-]{1,6}(?![\w]))+")
_CITY_WORD = r"(?:\p{Lu}\p{L}{0,3}\.(?=[ \t]\p{Lu})|\p{Lu}[\p{L}'’-]*\p{L})"
_CITY_WORDS = rf"{_CITY_WORD}(?:[ \t]+(?:{_CITY_WORD}|de|del|la|le|sur|am|an|im|upon|on)(?=[ \t]|,|$))*"
_POSTAL_LINE = regex.compile(
    r"[ \t]*(?:,[ \t]*|\n[ \t]*|,[ \t]*\n[ \t]*)(?:"
    rf"{_CITY_WORDS},?[ \t]+[A-Z]{{2}}[ \t]+\d{{5}}(?:-\d{{4}})?"  # Springfield, IL 62704
    rf"|(?:[A-Z]{{1,2}}-)?\d{{4,5}}[ \t]+{_CITY_WORDS}"  # 10115 Berlin, F-75002 Paris
    rf"|\d{{3}}[ \t]\d{{2}}[ \t]+{_CITY_WORDS}"  # 114 55 Stockholm
    rf"|\d{{4}}[ \t]?[A-Z]{{2}}[ \t]+{_CITY_WORDS}"  # 1012 AB Amsterdam
    rf"|\d{{2}}-\d{{3}}[ \t]+{_CITY_WORDS}"  # 00-950 Warszawa
    rf"|(?:{_CITY_WORDS}[ \t,]+)?[A-Z]{{1,2}}\d[A-Z\d]?[ \t]*\d[A-Z]{{2}}(?:[ \t]+{_CITY_WORDS})?"  # UK postcode
    rf"|(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{{5}}"
    rf"|{_CITY_WORDS}(?:,[ \t]*{_CITY_WORDS})?[ \t]+\d{{4,6}}"  # Bergen 5003, Moscow, 101000
    r")(?![\w])")


# Words that every street pattern contains: only windows around them are searched.
_TYPE_WORDS = frozenset(w.casefold() for w in SUFFIXES) | frozenset(
    w.casefold().rstrip(".?") for w in _LEADING.replace("\\.", ".").split("|")) | {
    "c", "psc", "cmr", "unit", "usns", "uss", "usnv", "uscgc", "box", "postfach", "apartado", "boîte", "casella"}
_GLUED_ENDINGS = tuple(e.casefold() for e in _GLUED.replace("(?:ß|ss)", "ss").replace("\\.", "").split("|"))
_BEFORE, _AFTER = 160, 220


def _windows(view) -> list:
    """Merged [start, end) windows around street-type words."""
    spans = []
    for start, end, word in view.tokens:
        if word in _TYPE_WORDS or (len(word) > 4 and word.endswith(_GLUED_ENDINGS)):
            lo, hi = max(0, start - _BEFORE), end + _AFTER
            if spans and lo <= spans[-1][1]:
                spans[-1][1] = hi
            else:
                spans.append([lo, hi])
    return spans


class AddressRecognizer(Recognizer):
    entity, name = "STREET_ADDRESS", "address"

    def find(self, view):
        text, found = view.masked, {}
        for lo, hi in _windows(view):
            for name, pattern in _STREETS:
                for m in pattern.finditer(text, lo, min(hi, len(text))):
                    end = m.end()
                    unit = _UNIT.match(text, end)
                    if unit:
                        end = unit.end()
                    postal = _POSTAL_LINE.match(text, end)
                    if postal:
                        end = postal.end()
                    found[(m.start(), end)] = (0.75 if postal or unit else 0.65, name)
        return [self.finding(start, end, score, name) for (start, end), (score, name) in sorted(found.items())]

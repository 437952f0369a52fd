"""Street lines that `address.py` does not know, and the shapes of the lines of an address block.

Street lines written with a type word that comes first, in more languages:
  - Greek: "Οδός Ερμού 25", "Οδ. Πανεπιστημίου 10", "Λεωφ. Κηφισίας 120", "Odos Ermou 25";
  - Czech: "ulice Karlova 12", "nám. Míru 15", "třída Míru 7", "nábřeží Kpt. Jaroše 3";
  - Portuguese: "R. Augusta, 100", "R Augusta 100", "Av. Paulista, 1578", "Tv. do Carmo 5";
  - a street name and number followed by a postal code and a town, whatever the language
    ("Vinohradská 1511/230, 100 00 Praha 10", "Ερμού 25, 105 63 Αθήνα"): the postal code and town
    make it an address even without a type word;
  - a type that is also an English word, then a name, then a postal code and a town:
    "boulevard Olivier Valette\n97163 Brunel", "avenue Laporte, 84739 Pruvostville";
  - more post-office boxes: "Postfach 10 01 23", "Caixa Postal 1234", "Postbus 123", "Apdo. 45",
    "Casilla 123", "BP 123", "P.O.Box 12";
  - military lines on their own: "APO AE 09012", "FPO AP 96672-1234", "DPO AA 34005".
`LINE_SHAPES` says what a line next to a street line is: a unit ("Apt. 605", "Suite 419",
"9. OG", "2º B", "2. tv"), a postal line ("Kingborough, AK 14696", "Egypt 47606",
"1100-053 Lisboa", "110 00 Praha 1") or a town line ("East Jerrytown", ", IA").
"""
from __future__ import annotations

import regex

__all__ = ["EXTRA_STREETS", "EXTRA_TRIGGERS", "UNIT_LINE", "POSTAL_LINE", "TOWN_LINE", "SAME_LINE_TOWN",
           "POSTCODE", "TOWN_STOP_WORDS"]

_NUMBER = r"\d{1,6}(?:[-/]\d{1,5})?[A-Za-z]?"
_CAP = r"\p{Lu}[\p{L}\p{M}'’.-]*"
_PARTICLE = r"(?:da|do|das|dos|de|del|la|las|los|el|e|y|na|nad|pod|u|v|ve|tou|της|του|των)"
_NAME = rf"(?:{_PARTICLE}[ \t]+)*{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_CAP}){{0,3}}"
_NO = r"(?:(?i:n\.?[º°o]\.?|nr\.?|αρ\.|č\.(?:[ \t]*p\.)?)[ \t]*)?"
POSTCODE = (r"(?:(?:[A-Z]{1,2}-)?\d{4,6}(?:-\d{3,4})?|\d{3}[ \t]\d{2}|\d{2}-\d{3}|\d{4}[ \t]?[A-Z]{2}(?![\p{L}])"
            r"|[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d"
            r"|(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}(?:-\d{4})?)")
# A town word, or an abbreviation with its dot ("St.", "Ste.", "NB."); a longer word's dot ends the sentence.
_TOWN = r"\p{Lu}\p{L}{0,3}\.|\p{Lu}(?:[\p{L}\p{M}'’-]*\p{L})?['’]?"
_CONNECTOR = r"(?:and|of|the|de|del|della|di|da|do|dos|das|des|du|la|le|les|sur|sous|am|an|im|in|upon|on|y|e|et|en|bei|ob)"
# Words are separated by blanks only and a hyphen stays inside a word ("Laurent-la-Forêt"): a
# hyphen that could be either would make matching a long hyphenated run exponential.
_TOWN_WORDS = rf"(?:{_TOWN})(?:[ \t]+(?:(?:{_CONNECTOR})[ \t]+)*(?:{_TOWN})){{0,5}}"
_TOWN_GROUPS = (rf"{_TOWN_WORDS}(?:[ \t]*\([^()\n]{{1,40}}\))?(?:[ \t]+\d{{1,2}}(?![\d]))?"
                rf"(?:(?:[ \t]*,[ \t]*|[ \t]+-[ \t]+){_TOWN_WORDS}(?:[ \t]*\([^()\n]{{1,40}}\))?){{0,3}}")

EXTRA_STREETS = (
    ("greek_type",
     rf"(?<![\w])(?:Οδός|Οδος|ΟΔΟΣ|οδός|Οδ\.|Λεωφόρος|Λεωφ\.|Πλατεία|Πλ\.|(?i:odos|leoforos|leof\.|plateia))[ \t]+{_NAME},?[ \t]+{_NO}{_NUMBER}(?![\w])"),
    ("czech_type",
     rf"(?<![\w])(?i:ulice|ul\.|náměstí|nám\.|třída|tř\.|nábřeží|nábř\.|sídliště|sídl\.)[ \t]+{_NAME},?[ \t]+{_NO}{_NUMBER}(?![\w])"),
    ("portuguese_type",
     rf"(?<![\w/.-])(?:R\.?|Rua|Av\.|Avenida|Tv\.|Travessa|Pç\.|Praça|Al\.|Alameda|Estr\.|Estrada|Rod\.|Rodovia|Lgo\.|Largo)"
     rf"[ \t]+{_NAME},?[ \t]+{_NO}{_NUMBER}(?![\w])"),
    ("name_number_postcode",
     rf"(?<![\w/.-]){_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_CAP}){{0,3}}[ \t]+{_NO}{_NUMBER},?(?=[ \t]*(?:,[ \t]*|\n[ \t>]*)"
     rf"(?:\d{{3}}[ \t]\d{{2}}|\d{{4}}-\d{{3}}|\d{{5}}-\d{{3}}|\d{{2}}-\d{{3}})[ \t]+\p{{Lu}})"),
    ("type_name_postcode",
     rf"(?<![\w/.-])(?i:boulevard|bd|avenue|av\.|place|route|cours|passage|square|quai|voie|viale|corso|piazza|largo|"
     rf"plaza|paseo|rambla|ronda|alameda|estrada|allee|allée)[ \t]+{_NAME}(?=[ \t]*(?:,[ \t]*|\n[ \t>]*)\d{{4,5}},?[ \t]+\p{{Lu}})"),
    ("po_box_more",
     r"(?<![\w])(?:(?i:postfach|caixa[ \t]+postal|postbus|apdo\.|casilla|p\.o\.box|pob)[ \t]*\d{1,6}(?:[ \t]\d{2}){0,3}"
     r"|BP[ \t]+\d{1,5})(?![\w])"),
    ("military_line", r"(?<![\w])(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}(?:-\d{4})?(?![\w])"),
)
EXTRA_STREETS = tuple((name, regex.compile(p)) for name, p in EXTRA_STREETS)
# Case-folded words without which a pattern above cannot match (only then is it searched).
EXTRA_TRIGGERS = {
    "greek_type": frozenset("οδός οδος οδ λεωφόρος λεωφ πλατεία πλ odos leoforos leof plateia".split()),
    "czech_type": frozenset("ulice ul náměstí nám třída tř nábřeží nábř sídliště sídl".split()),
    "portuguese_type": frozenset("r rua av avenida tv travessa pç praça al alameda estr estrada rod rodovia lgo largo".split()),
    "name_number_postcode": None,  # a postal code with a separator: searched when the text has one
    "type_name_postcode": frozenset("boulevard bd avenue av place route cours passage square quai voie viale corso piazza "
                                    "largo plaza paseo rambla ronda alameda estrada allee allée".split()),
    "po_box_more": frozenset("postfach caixa postbus apdo casilla p pob bp".split()),
    "military_line": frozenset("apo fpo dpo".split()),
}
_UNIT_WORD = (r"(?i:apt|apartment|appt|app|appartement|suite|ste|unit|flat|floor|fl|room|rm|bldg|building|lgh|piso|"
              r"puerta|planta|escalera|esc|int|interno|scala|étage|etage|bâtiment|bât|whg|wohnung|byt|διαμέρισμα|"
              r"όροφος|кв|квартира|корп|корпус|oda|daire|dept|departamento|depto|andar|sala|bloco|bl|apto|appartamento|piano|bus|hoog)")
_FLOOR = (r"\d{1,2}(?:\.|º|ª|°|st|nd|rd|th|e|er)?[ \t]*(?i:og|etage|stock|piso|planta|étage|andar|floor|tv|th|mf|sal|izq|izqda|"
          r"dcha|dcho|der|esq|dto|dt)\.?|\d{1,2}[º°ª][ \t]*[A-Za-z]?|\d{1,2}-(?i:hoog)|(?i:st)\.[ \t]*(?i:tv|th|mf)")
_UNIT = rf"(?:{_UNIT_WORD}\.?[ \t]*(?:#|n[º°o]\.?)?[ \t]*[\w-]{{1,6}}|#[ \t]*\d{{1,5}}[A-Za-z]?|{_FLOOR})(?![\w])"
# Each line shape is matched on a line without its quote marks and surrounding blanks.
UNIT_LINE = regex.compile(rf"{_UNIT}(?:[ \t]*[,/-]?[ \t]*{_UNIT}){{0,2}}[ \t]*[.,]?")
POSTAL_LINE = regex.compile(
    rf"[ \t,]*(?:{_TOWN_GROUPS}[ \t]*[,-]?[ \t]*)?{POSTCODE}(?:[ \t]*[,-]?[ \t]*{_TOWN_GROUPS})?"
    rf"(?:[ \t]*[,-]?[ \t]*(?:{POSTCODE}))?[ \t]*[.,]?")
TOWN_LINE = regex.compile(rf"[ \t,]*{_TOWN_GROUPS}[ \t]*[.,]?")
# What may follow a street on its own line: a unit, a postal code, a town; then the line must end
# or a clause break must come.
SAME_LINE_TOWN = regex.compile(
    rf"(?:[ \t]*,[ \t]*|[ \t]+-[ \t]+|[ \t]+)(?:{_UNIT}|{POSTCODE}(?:[ \t]*,?[ \t]*{_TOWN_GROUPS})?|{_TOWN_GROUPS}(?:[ \t]*,?[ \t]*{POSTCODE})?)"
    r"(?=[ \t]*(?:[.;:!?)]|,[ \t]|\n|$))")
# Capitalized words that start a line after an address without being a town.
TOWN_STOP_WORDS = frozenset("""
thanks thank regards best sincerely cheers yours kind warm hi hello dear tel phone fax email e-mail mobile
cell office desk web website tél tlf tfn telefon téléphone teléfono telefono handy mob courriel correo www http https home work note ps p.s mr mrs ms dr please and or but the this
that i we you he she they it my our your his her their ok okay yes no also then so if when where what why
how who which is are was were be to for from with without by at in on of as send call contact attn attention
""".split())

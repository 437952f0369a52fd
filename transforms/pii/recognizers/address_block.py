"""STREET_ADDRESS as a block: once a street line is found, every line of its block that
identifies the place is redacted with it.

A street line (from `address.py`, or one of the forms of `address_forms.py`: Greek, Czech,
Portuguese types, a name and number before a postal code, more post-office boxes, APO/FPO/DPO
lines) anchors a block. The block then grows:
  - on the same line, over a unit, a postal code and a town that end the line or a clause
    ("2845 Gladu Estates Suite 089 Sedušakfurt Delaware", "..., 60638 Bad Brückenau.");
  - over the next lines, as long as each is a unit ("Apt. 191", "9. OG"), a postal line
    ("Guatemala 76037", ", IA", "110 00 Praha 1") or a town line ("East Jerrytown"), after quote
    marks ("> ", "??? ") and one blank line at most (then only a postal line);
A unit line on its own, between a street-shaped line ("Ichita Route Vinicius Avenue") and a
postal or town line, anchors a block too; so does, in a signature block (a paragraph with a fax
line and another phone line), a house number and capitalized words above the phone lines with
a postal or town line under it ("45 Harbourside\nPortsmouth PO1 3AB\nTel: …\nFax: …"). The block is one finding, so it gets one placeholder.
Cities and countries outside a block stay (utility). Code is never searched.
"""
from __future__ import annotations

import regex

from transforms.pii.gazetteer import stop_words
from transforms.pii.names import NOT_NAMES, NOT_PERSON_WORDS
from transforms.pii.recognizers.address import SUFFIXES, AddressRecognizer
from transforms.pii.recognizers.address_forms import (
    EXTRA_STREETS, EXTRA_TRIGGERS, POSTAL_LINE, SAME_LINE_TOWN, TOWN_LINE, TOWN_STOP_WORDS, UNIT_LINE)
from transforms.pii.recognizers.base import Recognizer
from transforms.pii.technical import TOOLS, is_technical, is_tool_word

__all__ = ["AddressBlockRecognizer", "grow_block"]

# Quote marks and bullets that start a line of a quoted or pasted block.
_PREFIX = regex.compile(r"[ \t]*(?:(?:>|\?{1,3}|\||\*|•|·)[ \t]*)*")
_WORD_TAIL = regex.compile(r"(?:['’-]?[\p{L}\p{M}]+)+['’]?|['’](?=[ \t])")
_NO_SPACES = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")
_CUT = regex.compile(r"[.!?;,](?=[ \t]|$)|(?=[ \t]+\p{Ll})")
_SEPARATED_POSTCODE = regex.compile(r"\d{3}[ \t]\d{2}(?!\d)|\d{4,5}-\d{3}(?!\d)|(?<!\d)\d{2}-\d{3}(?!\d)")
_WORD = regex.compile(r"[\p{L}\p{M}'’.-]+")
_STREETISH = regex.compile(
    r"(?:(?P<lead>\d{1,6}[A-Za-z]?),?[ \t]+)?(?:\p{Lu}[\p{L}\p{M}'’.-]*[ \t]+){0,4}(?P<last>\p{Lu}[\p{L}\p{M}'’.-]*)"
    r"(?:[ \t]+(?P<trail>\d{1,6}[A-Za-z]?))?")
_UNIT_TOKENS = frozenset("""apt apartment appt app appartement suite ste unit flat room rm bldg lgh piso puerta
planta int interno scala étage etage whg wohnung byt apto depto andar bloco""".split())
# What may follow the last line of a block on the same line: a sentence going on.
_AFTER_POSTAL = regex.compile(r"[.,;:!?](?:[ \t]|$)|[ \t]+\p{Ll}")
_AFTER_TOWN = regex.compile(r"[.!?;](?:[ \t]|$)|[ \t]+(?:for|after|before|until|tomorrow|today|tonight|next|on|at|by|"
                            r"and|when|if|so|is|please)(?![\p{L}])")
_LABEL = regex.compile(r"\.?[ \t]*:")
_FAX_WORDS = frozenset(("fax", "telefax", "téléfax"))
_PARAGRAPH = regex.compile(r"(?:[^\n]+\n?)+")
_PHONE_LINE = regex.compile(r"^[^\n]*\d[\d \t().+/-]{5,}\d[^\n]*$", regex.M)
_FAX_LINE = regex.compile(r"(?i:\b(?:fax|telefax|téléfax)\b)")
_SUFFIX_WORDS = frozenset(w.casefold() for w in SUFFIXES)
_MAX_NEXT_LINES, _MAX_TOWN_LINES, _MAX_LINE = 6, 3, 80


def _words_ok(segment: str) -> bool:
    """Town words: the first not a closing, a cue word or a stop word; none a weekday, a month
    or a tool. State codes ("OR", "HI", "BE") are towns."""
    words = [w.strip(".") for w in _WORD.findall(segment)]
    if not words:
        return True
    first = words[0].casefold()
    if not (len(words[0]) == 2 and words[0].isupper()) and (first in TOWN_STOP_WORDS or first in stop_words(("en",))):
        return False
    return not any(w.casefold() in NOT_NAMES or w.casefold() in TOOLS for w in words)


def _line(text: str, pos: int) -> tuple:
    """(content start, content end, next line start or -1) of the line starting at `pos`."""
    nl = text.find("\n", pos)
    end = len(text) if nl < 0 else nl
    start = _PREFIX.match(text, pos, end).end()
    stop = end
    while stop > start and text[stop - 1] in " \t\r":
        stop -= 1
    return start, stop, (nl + 1 if nl >= 0 else -1)


def _kind(text: str, start: int, end: int) -> tuple:
    """(kind of the line [start, end), where the block stops in it): "unit", "postal" or
    "town" when the whole line is one; "postal_end" or "town_end" when the line starts with one
    and then the sentence goes on ("Brazil 85664. Please call me", "Havelte after the concert")."""
    line = text[start:end]
    if end - start > _MAX_LINE or "@" in line:
        return "", end
    # A labelled line ("Tel.: ...", "Fax: ...") is no place line as a whole; its head may be one.
    if ":" not in line:
        if UNIT_LINE.fullmatch(text, start, end):
            return "unit", end
        if POSTAL_LINE.fullmatch(text, start, end) and _words_ok(line):
            return "postal", end
        if TOWN_LINE.fullmatch(text, start, end) and _words_ok(line):
            return "town", end
    for cut in reversed(list(_CUT.finditer(text, start, end))):  # the longest head that is a postal or town line
        stop = _trim(text, start, cut.start())
        for kind, pattern, rest in (("postal_end", POSTAL_LINE, _AFTER_POSTAL), ("town_end", TOWN_LINE, _AFTER_TOWN)):
            if stop > start and ":" not in text[start:stop] and pattern.fullmatch(text, start, stop) \
                    and rest.match(text, stop, end) and not _LABEL.match(text, stop, end) \
                    and _words_ok(text[start:stop]):
                return kind, stop
    return "", end


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in ".,; \t":
        end -= 1
    return end


def _finish_word(text: str, end: int) -> int:
    """A town cut inside a word by the street patterns ("Laurent-la" + "-Forêt", "Pra" + "'")."""
    if 0 < end < len(text) and text[end - 1].isalpha() and not text[end].isspace() \
            and not _NO_SPACES.match(text, end - 1):  # scripts without spaces: the word is not a town
        m = _WORD_TAIL.match(text, end)
        if m:
            return m.end()
    return end


def grow_block(text: str, end: int, after_comma_only: bool = False) -> int:
    """The end of the block whose street line ends at `end` in `text` (cased, code masked)."""
    end = _finish_word(text, end)
    while True:
        m = SAME_LINE_TOWN.match(text, end, min(len(text), end + _MAX_LINE))  # bounded: a town is short
        if not m or (after_comma_only and not m.group().lstrip(" \t").startswith(",")) or not _words_ok(m.group()):
            break
        if _trim(text, end, m.end()) <= end:
            break
        end = _trim(text, end, m.end())
    end = _finish_word(text, end)
    nl = text.find("\n", end)
    if nl < 0 or text[end:nl].strip(" \t.,;\r"):
        return end
    pos, blank, towns = nl + 1, 0, 0
    for _ in range(_MAX_NEXT_LINES + 1):
        start, stop, nxt = _line(text, pos)
        if start == stop:
            blank += 1
            if blank > 1 or nxt < 0:
                break
            pos = nxt
            continue
        kind, stop = _kind(text, start, stop)
        if not kind or (blank and not kind.startswith("postal")):
            break
        towns += kind.startswith("town")
        if towns > _MAX_TOWN_LINES:
            break
        end, blank = _trim(text, start, stop), 0
        if nxt < 0 or kind.endswith("_end"):
            break
        pos = nxt
    return end


def _previous_line(text: str, pos: int) -> tuple | None:
    """(content start, content end) of the line before the one starting at `pos`."""
    if pos <= 0:
        return None
    begin = text.rfind("\n", 0, pos - 1) + 1
    start, stop, _ = _line(text, begin)
    return (start, stop) if start < stop else None


class AddressBlockRecognizer(Recognizer):
    entity, name = "STREET_ADDRESS", "address"

    def __init__(self, gazetteer=None):
        self.streets = AddressRecognizer(gazetteer)
        stop_words(("en",))  # loaded once here, not inside the first text

    def _extra_streets(self, view) -> list:
        words = {w for _, _, w in view.tokens}
        text, out = view.masked, []
        for name, pattern in EXTRA_STREETS:
            trigger = EXTRA_TRIGGERS[name]
            if trigger is None:
                if not _SEPARATED_POSTCODE.search(text) or is_technical(view):
                    continue
            elif words.isdisjoint(trigger):
                continue
            for m in pattern.finditer(text):
                if name in ("name_number_postcode", "portuguese_type") and any(
                        is_tool_word(w) for w in _WORD.findall(m.group()) if len(w) > 2):
                    continue
                out.append(self.finding(m.start(), m.end(), 0.7, name))
        return out

    def _unit_anchors(self, view) -> list:
        """Street lines that only their unit line shows: "Ichita Route Vinicius Avenue\\n Suite 671"."""
        if "\n" not in view.masked or not any(w in _UNIT_TOKENS for _, _, w in view.tokens):
            return []
        text, out, pos = view.cased, [], 0
        while pos >= 0:
            start, stop, nxt = _line(text, pos)
            if start < stop and UNIT_LINE.fullmatch(text, start, stop) and text[start].isalpha():
                prev = _previous_line(text, pos)
                m = prev and _STREETISH.fullmatch(text, *prev)
                if m and (m.group("lead") or m.group("trail") or m.group("last").casefold() in _SUFFIX_WORDS) \
                        and _words_ok(text[prev[0]:prev[1]].lstrip("0123456789 \t,")):
                    end = grow_block(text, _trim(text, start, stop))
                    if end > stop:
                        out.append(self.finding(prev[0], end, 0.75, "unit_line"))
            pos = nxt
        return out

    def _signature_anchors(self, view, taken: list) -> list:
        """In a signature block (a paragraph with a fax line and another phone line), a line of a
        house number and capitalized words above the phone lines is a street line when a postal
        or town line follows it ("45 Harbourside\nPortsmouth PO1 3AB\nTel: ...\nFax: ...")."""
        if not any(w in _FAX_WORDS for _, _, w in view.tokens):
            return []
        text, out = view.cased, []
        for para in _PARAGRAPH.finditer(text):
            phones = [m.start() for m in _PHONE_LINE.finditer(text, para.start(), para.end())]
            if len(phones) < 2 or not _FAX_LINE.search(text, para.start(), para.end()):
                continue
            pos = para.start()
            while 0 <= pos < phones[0]:
                start, stop, nxt = _line(text, pos)
                m = _STREETISH.fullmatch(text, start, stop)
                if m and m.group("lead") and not any(s < stop and start < e for s, e in taken) and not any(
                        w.casefold() in NOT_PERSON_WORDS for w in text[start:stop].split()) \
                        and _words_ok(text[start:stop].lstrip("0123456789 \t,")):
                    end = grow_block(text, stop)
                    if end > stop:
                        out.append(self.finding(start, end, 0.75, "signature"))
                pos = nxt
        return out

    def find(self, view):
        # "During 1968" is no street: a street word glued to its type is no stop word.
        anchors = [f for f in self.streets.find(view) if not (
            f.source.endswith(":glued_type_number")
            and view.masked[f.start:f.end].split()[0].casefold() in stop_words(("en",)))]
        anchors += self._extra_streets(view)
        text = view.cased
        lowered = text is not view.masked  # an all-lower-case text, capitalized
        grown = [(f.start, grow_block(text, f.end, after_comma_only=lowered), f) for f in anchors]
        grown += [(f.start, f.end, f) for f in self._unit_anchors(view)]
        grown += [(f.start, f.end, f) for f in self._signature_anchors(view, [(s, e) for s, e, _ in grown])]
        out: list = []
        for start, end, f in sorted(grown, key=lambda g: (g[0], -g[1])):
            if out and start < out[-1].end:  # overlapping street lines make one block
                last = out[-1]
                if end > last.end:
                    out[-1] = self.finding(last.start, end, max(last.score, f.score), last.source.split(":", 1)[-1])
                continue
            score = f.score if end == f.end else max(f.score, 0.75)
            out.append(self.finding(start, end, score, f.source.split(":", 1)[-1]))
        return out

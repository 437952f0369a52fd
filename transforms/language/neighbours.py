"""Which languages lingua checks when langdetect is sure of an answer: the answer's neighbours.

langdetect names 55 languages. Text in a language it cannot name comes out, often with full
confidence, as a neighbour: Bosnian and Serbian as Croatian or Macedonian, Belarusian, Kazakh
and Mongolian as Russian or Ukrainian, Azerbaijani as Turkish, Malay as Indonesian, Nynorsk
and Bokmål as "no", Icelandic as Norwegian or Danish, Irish as English, Latin, Basque and
Esperanto as a Romance, Baltic or Finnic language, Yoruba as Vietnamese, and the Bantu
languages as Swahili, Indonesian or Tagalog. Languages it can name get mixed up too (Czech and
Slovak, Hindi and Marathi, short English as French or Welsh).

So when langdetect is sure of X, lingua is asked to choose among NEIGHBOURS[X] only: a lingua
detector restricted to a dozen languages is about 10x faster than one over all 75, and the
answer cannot drift to an unrelated language. Groups follow language families and scripts,
plus the scatter above; English is in every Latin-script group.
"""
from __future__ import annotations

__all__ = ["NEIGHBOURS"]

_BANTU_AND_MORE = {"sw", "so", "lg", "sn", "xh", "zu", "ts", "st", "tn", "yo", "mi"}
_SCATTERED = {"eu", "eo", "la", "ga"}  # langdetect gives these to a Romance/Baltic/Finnic guess

NEIGHBOURS: dict = {}


def _group(answers, members):
    for answer in answers:
        NEIGHBOURS[answer] = frozenset(members) | {answer}


_group(["en"], {"en", "ga", "cy", "la"})
_group(["cy"], {"cy", "ga", "en"})
_group(["hr", "sl", "sk", "cs", "pl"], {"hr", "bs", "sr", "sl", "cs", "sk", "pl", "eo", "en"})
_group(["ru", "uk", "bg", "mk"], {"ru", "uk", "be", "bg", "mk", "sr", "kk", "mn"})
_group(["tr"], {"tr", "az", "en"})
_group(["id", "tl", "sw", "so"], {"id", "ms", "tl", "en"} | _BANTU_AND_MORE | _SCATTERED)
_group(["af", "nl", "de"], {"af", "nl", "de", "en", "eu", "zu", "tn"})
_group(["no", "da", "sv"], {"da", "nb", "nn", "sv", "is", "en"})
_group(["es", "pt", "it", "ca", "fr", "ro"], {"es", "pt", "it", "ca", "fr", "ro", "en"} | _SCATTERED)
_group(["lt", "lv", "et", "fi", "hu"], {"lt", "lv", "et", "fi", "hu", "is", "en"} | _SCATTERED | _BANTU_AND_MORE)
_group(["vi"], {"vi", "yo", "en"})
_group(["sq"], {"sq", "mi", "en"})
_group(["ar", "fa", "ur"], {"ar", "fa", "ur"})
_group(["hi", "mr"], {"hi", "mr"})

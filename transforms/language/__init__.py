"""Language of every message and every conversation (strategy `langdetect_lingua_v3`).

One idea per module:
  names.py         English names and ISO 639-1 codes of every language either detector names
  text.py          cleaning (code, URLs, e-mail addresses, digit runs) and the script rule
  own_text.py      the mixed-message rule (quoted text and payloads are not the writer's)
  detectors.py     langdetect (seeded) and lingua (deterministic), ranked scores
  letters.py       letter evidence: Cyrillic letters a language never writes rule it out
  message.py       one message: script rule, langdetect first, lingua's second opinion
  hidden.py        when a sure langdetect still needs lingua (lingua_when: unsure)
  conversation.py  the conversation's language and messages too short to have their own
  transform.py     the Beam transform `DetectLanguage`
"""
from transforms.language.conversation import annotate_languages, conversation_language
from transforms.language.message import Engines, LanguageDetector, combine
from transforms.language.names import NAMES, UNKNOWN, named
from transforms.language.own_text import own_text
from transforms.language.text import clean_for_detection, letter_count, script_language
from transforms.language.transform import DetectLanguage

__all__ = ["DetectLanguage", "LanguageDetector", "Engines", "annotate_languages", "combine",
           "conversation_language", "clean_for_detection", "letter_count", "script_language",
           "own_text", "named", "NAMES", "UNKNOWN"]

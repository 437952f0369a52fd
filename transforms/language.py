"""Language of every message and every conversation (strategy `langdetect_v1`).

Per message:
  1. Clean: drop fenced and inline code, URLs, e-mail addresses and runs of 4+ digits.
  2. If the script holding at least half of the letters names one language, it decides
     (Hangul: Korean; kana, with or without Han: Japanese; Han alone: Chinese; Thai, Hebrew,
     Greek, Armenian, Georgian, Bengali, Tamil, ...): rule "script". This also covers short
     CJK prompts ("你好").
  3. Otherwise, with at least `min_letters` (default 20) letters, langdetect (seeded,
     deterministic) runs on a prefix holding at most `max_letters` (default 300) letters:
     rule "detector". langdetect is not trusted on fewer letters ("hi" is not Swahili).
  4. Otherwise the message takes its conversation's language (rule "conversation"); when the
     conversation has no message of rules 2-3, it is "Unknown" / "und" (rule "unknown").
Per conversation: the language with the most letters over its user messages of rules 2-3
(ties: the language of the earliest such message); "Unknown" / "und" when there is none.

Values: `language` is an English name as in WildChat ("English", "Chinese"); `language_code`
is ISO 639-1 ("en", "zh"; langdetect's zh-cn/zh-tw both map to "zh"), or "und".
Each distinct cleaned text is detected once per worker (LRU cache).

`DetectLanguage`: PCollection[Conversation] -> PCollection[Conversation].
Metrics (namespace "language"): messages, rule_<rule>, cache_hits.
"""
from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.code_spans import FENCED_CODE, inline_code

__all__ = ["DetectLanguage", "annotate_languages", "clean_for_detection", "letter_count", "script_language",
           "LanguageDetector", "conversation_language", "NAMES", "UNKNOWN"]

UNKNOWN = ("Unknown", "und")
NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "kn": "Kannada", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi",
    "ne": "Nepali", "nl": "Dutch", "no": "Norwegian", "pa": "Punjabi", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "so": "Somali", "sq": "Albanian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
    "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese", "hy": "Armenian", "ka": "Georgian",
}

_INLINE = inline_code(200)
_URL = re.compile(r"\b(?:https?://|ftp://|www\.)\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_DIGITS = re.compile(r"\d[\d\s.,:/-]{2,}\d")
_SPACE = re.compile(r"\s+")

# Unicode script (from the character name's first word) -> the one language it names.
_SCRIPT_LANG = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "THAI": "th", "HEBREW": "he",
                "GREEK": "el", "ARMENIAN": "hy", "GEORGIAN": "ka", "GUJARATI": "gu",
                "KANNADA": "kn", "MALAYALAM": "ml", "TAMIL": "ta", "TELUGU": "te",
                "GURMUKHI": "pa", "BENGALI": "bn"}


def clean_for_detection(text: str) -> str:
    """Text without code, URLs, e-mail addresses and long digit runs."""
    for pattern in (FENCED_CODE, _INLINE, _URL, _EMAIL, _DIGITS):
        text = pattern.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def _prefix_letters(text: str, max_letters: int) -> str:
    if len(text) <= max_letters:
        return text
    seen = 0
    for i, ch in enumerate(text):
        if ch.isalpha():
            seen += 1
            if seen >= max_letters:
                return text[: i + 1]
    return text


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return "HAN" if name.startswith("CJK") else name.split(" ", 1)[0]


def script_language(text: str) -> str | None:
    """The language named by the script that holds most of the text's letters, when that
    script belongs to one language (Han with kana is Japanese; Han alone is Chinese)."""
    counts: dict = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    if not total:
        return None
    kana = counts.get("HIRAGANA", 0) + counts.get("KATAKANA", 0)
    han = counts.get("HAN", 0)
    if counts.get("HANGUL", 0) * 2 >= total:
        return "ko"
    if kana and (kana + han) * 2 >= total:
        return "ja"
    if han * 2 >= total:
        return "zh"
    script, n = max(counts.items(), key=lambda kv: kv[1])
    return _SCRIPT_LANG.get(script) if n * 2 >= total else None


class LanguageDetector:
    """Seeded langdetect (own factory, `trials` random trials per text instead of its default
    7: same accuracy on our labeled set, 2.3x faster) behind a per-worker LRU cache.
    Build it in `setup()`; it loads langdetect's profiles from its package, offline."""

    def __init__(self, seed: int = 0, min_letters: int = 20, max_letters: int = 300,
                 trials: int = 3, cache_size: int = 100_000):
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.set_seed(seed)
        self.min_letters, self.max_letters, self.trials = min_letters, max_letters, trials
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self.cache_hits = 0

    def _langdetect(self, sample: str) -> str | None:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.n_trial = self.trials
        detector.append(sample)
        try:
            code = detector.detect()
        except LangDetectException:
            return None
        return None if code == "unknown" else ("zh" if code.startswith("zh") else code)

    def detect(self, text: str) -> tuple[str | None, str, int]:
        """(ISO 639-1 code or None, rule, letters) for one message; rule is one of
        script, detector, short."""
        cleaned = clean_for_detection(text)
        letters = letter_count(cleaned)
        sample = _prefix_letters(cleaned, self.max_letters)
        code = script_language(sample) if letters >= 2 else None
        if code:
            return code, "script", letters
        if letters < self.min_letters:
            return None, "short", letters
        if sample in self._cache:
            self._cache.move_to_end(sample)
            self.cache_hits += 1
            code = self._cache[sample]
        else:
            code = self._langdetect(sample)
            self._cache[sample] = code
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return (code, "detector", letters) if code else (None, "short", letters)


def conversation_language(user_results: list) -> str | None:
    """Most letters over the user messages that have a language; ties go to the earliest."""
    weights, first = {}, {}
    for i, (code, letters) in enumerate(user_results):
        if code is None:
            continue
        weights[code] = weights.get(code, 0) + max(letters, 1)
        first.setdefault(code, i)
    if not weights:
        return None
    return max(weights, key=lambda c: (weights[c], -first[c]))


def _named(code):
    return (NAMES.get(code, code), code) if code else UNKNOWN


def annotate_languages(conv: dict, detector: LanguageDetector) -> tuple[dict, dict]:
    """Return (conversation with language fields set, {rule: message count})."""
    results = [detector.detect(m["content"]) for m in conv["messages"]]
    user = [(code, letters) for (code, _, letters), m in zip(results, conv["messages"])
            if m["role"] == "user"]
    conv_code = conversation_language(user)
    if conv_code is None:  # no user message decided: any message may
        conv_code = conversation_language([(c, n) for c, _, n in results])
    rules, messages = {}, []
    for m, (code, rule, _) in zip(conv["messages"], results):
        if code is None:
            code, rule = conv_code, ("conversation" if conv_code else "unknown")
        name, iso = _named(code)
        messages.append(dict(m, language=name, language_code=iso))
        rules[rule] = rules.get(rule, 0) + 1
    name, iso = _named(conv_code)
    return dict(conv, messages=messages, language=name, language_code=iso), rules


class _DetectLanguageFn(beam.DoFn):
    def __init__(self, seed: int, min_letters: int, max_letters: int):
        self._args = (seed, min_letters, max_letters)
        self._messages = Metrics.counter("language", "messages")
        self._hits = Metrics.counter("language", "cache_hits")

    def setup(self):
        self._detector = LanguageDetector(*self._args)

    def process(self, conv):
        hits_before = self._detector.cache_hits
        out, rules = annotate_languages(conv, self._detector)
        stats = dict(conv.get("stats", {}))
        for rule, n in rules.items():
            Metrics.counter("language", f"rule_{rule}").inc(n)
            stats[f"language.messages_by_rule.{rule}"] = n
        stats[f"language.conversations.{out['language']}"] = 1
        self._messages.inc(len(out["messages"]))
        self._hits.inc(self._detector.cache_hits - hits_before)
        out["stats"] = stats
        yield out


class DetectLanguage(beam.PTransform):
    def __init__(self, config):
        super().__init__()
        if config.min_letters < 1 or config.max_letters < config.min_letters:
            raise ValueError(f"language: need 1 <= min_letters <= max_letters, got "
                             f"{config.min_letters!r}, {config.max_letters!r}")
        self._fn = _DetectLanguageFn(config.seed, config.min_letters, config.max_letters)

    def expand(self, conversations):
        return conversations | "DetectPerMessage" >> beam.ParDo(self._fn)

"""The names and codes the release uses: an English name as in WildChat ("English", "Basque")
and an ISO 639-1 code ("en", "eu"), or "Unknown" / "und".

WildChat labelled its languages with lingua and released lingua's names; the languages that
langdetect already named keep the names earlier releases used ("Slovenian", "Norwegian").
Norwegian is "nb" / "nn" when the detector tells Bokmål from Nynorsk, "no" otherwise; Serbian
is "sr" in either script; langdetect's zh-cn / zh-tw are both "zh".
"""
from __future__ import annotations

__all__ = ["NAMES", "UNKNOWN", "named", "from_langdetect", "from_lingua"]

UNKNOWN = ("Unknown", "und")

NAMES = {
    # named by langdetect (kept as released before)
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
    # named by lingua only (its names, as WildChat released them)
    "az": "Azerbaijani", "be": "Belarusian", "bs": "Bosnian", "eo": "Esperanto", "eu": "Basque",
    "ga": "Irish", "is": "Icelandic", "kk": "Kazakh", "la": "Latin", "lg": "Ganda", "mi": "Maori",
    "mn": "Mongolian", "ms": "Malay", "nb": "Bokmal", "nn": "Nynorsk", "sn": "Shona",
    "sr": "Serbian", "st": "Sotho", "tn": "Tswana", "ts": "Tsonga", "xh": "Xhosa", "yo": "Yoruba",
    "zu": "Zulu",
}


def named(code: str | None) -> tuple[str, str]:
    """(English name, ISO 639-1 code) of a code, or UNKNOWN for None."""
    if code is None:
        return UNKNOWN
    try:
        return NAMES[code], code
    except KeyError:
        raise ValueError(f"language code {code!r} has no name in transforms/language/names.py") from None


def from_langdetect(code: str) -> str | None:
    """langdetect's code as ours ("zh-cn" -> "zh"); None for "unknown"."""
    if code == "unknown":
        return None
    return "zh" if code.startswith("zh") else code


def from_lingua(language) -> str:
    """A `lingua.Language` as our code (its ISO 639-1 code: BOKMAL -> "nb")."""
    return language.iso_code_639_1.name.lower()

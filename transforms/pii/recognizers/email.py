"""EMAIL_ADDRESS: local@domain whose suffix is a real public suffix (tldextract's bundled list,
never fetched: see README)."""
from __future__ import annotations

import os

import regex

from transforms.pii.recognizers.base import Recognizer

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

__all__ = ["EmailRecognizer"]

_EMAIL = regex.compile(
    r"(?<![\w.+%-])[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@(?:[\w-]+\.)+[\w-]{2,}(?![\w-])")


class EmailRecognizer(Recognizer):
    entity, name = "EMAIL_ADDRESS", "email"

    def __init__(self):
        import tldextract

        self._extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    def find(self, view):
        text = view.text
        if "@" not in text:
            return []
        return [self.finding(m.start(), m.end(), 0.9) for m in _EMAIL.finditer(text)
                if self._extract(m.group().rsplit("@", 1)[1]).suffix]

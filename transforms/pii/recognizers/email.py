"""EMAIL_ADDRESS: local@domain whose suffix is a real public suffix (tldextract's bundled list,
never fetched: see README)."""
from __future__ import annotations

import os

import regex

from transforms.pii.recognizers.base import Recognizer

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

__all__ = ["EmailRecognizer"]

# Local parts in Latin script (a CJK sentence often runs straight into an address: "邮箱是a.b@c.com").
_LOCAL = r"[A-Za-z0-9\u00C0-\u024F!#$%&'*+/=?^`{|}~_-]"
_EMAIL = regex.compile(
    rf"(?<![A-Za-z0-9\u00C0-\u024F.+%-]){_LOCAL}+(?:\.{_LOCAL}+)*@(?:[A-Za-z0-9\u00C0-\u024F-]+\.)+"
    rf"[A-Za-z][A-Za-z0-9-]+(?![A-Za-z0-9-])")


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

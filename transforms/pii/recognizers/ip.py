"""IP_ADDRESS: IPv4 and IPv6 addresses that route on the public internet. Loopback, private,
link-local, documentation and other reserved ranges name no one and stay; so do version
numbers ("version 1.2.3.4")."""
from __future__ import annotations

import ipaddress

import regex

from transforms.pii.recognizers.base import Recognizer

__all__ = ["IpRecognizer"]

_V4 = regex.compile(r"(?<![A-Za-z0-9_.])(?:\d{1,3}\.){3}\d{1,3}(?![A-Za-z0-9_]|\.\d)")
_V6 = regex.compile(r"(?<![A-Za-z0-9_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![A-Za-z0-9_:])")
_VERSION = regex.compile(r"\b(?:v|version|release|build|ver\.?)\s*$", regex.I)


def _public(value: str) -> bool:
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        return ip.ipv4_mapped.is_global
    return ip.is_global


class IpRecognizer(Recognizer):
    entity, name = "IP_ADDRESS", "ip"

    def find(self, view):
        text, out = view.text, []
        if "." in text:
            for m in _V4.finditer(text):
                if _public(m.group()) and not _VERSION.search(text, max(0, m.start() - 12), m.start()):
                    out.append(self.finding(m.start(), m.end(), 0.9, "v4"))
        if "::" in text or text.count(":") >= 7:
            for m in _V6.finditer(text):
                value = m.group()
                # "a::b" or "dead::beef" in code are not addresses: ask for digits and 4+ hex digits
                if (value.count(":") >= 2 and any(c.isdigit() for c in value)
                        and sum(c not in ":." for c in value) >= 4 and _public(value)):
                    out.append(self.finding(m.start(), m.end(), 0.9, "v6"))
        return out

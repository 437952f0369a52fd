"""What counts as code in a chat message, shared by the stages that treat code apart
(language detection drops it, PII NER skips it): fenced blocks (an unclosed fence runs to the
end of the text) and inline `spans`."""
from __future__ import annotations

import re

__all__ = ["FENCED_CODE", "inline_code"]

FENCED_CODE = re.compile(r"```.*?(?:```|\Z)", re.S)


def inline_code(max_chars: int) -> re.Pattern:
    """Inline code of 1..max_chars characters on one line."""
    return re.compile(rf"`[^`\n]{{1,{max_chars}}}`")

"""Write labelled rows as a deterministic gzip TSV (text, label, source_id).

One idea: every collector hands rows here, so cleaning (tabs/newlines to spaces,
empty rows dropped, exact duplicates removed) and the byte-stable gzip (mtime 0)
are done the same way for every file.
"""
from __future__ import annotations

import gzip
import io
import re
from pathlib import Path
from typing import Iterable

HEADER = "text\tlabel\tsource_id\n"
_WS = re.compile(r"[\t\r\n\v\f]+")


def clean(text: str) -> str:
    """Tabs and newlines become spaces; runs of spaces collapse; ends stripped."""
    return re.sub(r" {2,}", " ", _WS.sub(" ", text)).strip()


def write(path: Path, rows: Iterable[tuple[str, int, str]]) -> dict[str, int]:
    """Write rows (text, label 0/1, source_id); return counts {total, 1, 0, dropped}."""
    seen: set[str] = set()
    buf = io.StringIO()
    buf.write(HEADER)
    counts = {"total": 0, "1": 0, "0": 0, "dropped": 0}
    for text, label, sid in rows:
        text = clean(text)
        if not text or text in seen or label not in (0, 1):
            counts["dropped"] += 1
            continue
        seen.add(text)
        buf.write(f"{text}\t{label}\t{clean(str(sid))}\n")
        counts["total"] += 1
        counts[str(label)] += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as gz:
            gz.write(buf.getvalue().encode("utf-8"))
    return counts

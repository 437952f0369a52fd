"""Shared by the builders and the scorer: the template split, byte-stable files, no network."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import socket
import sys
from pathlib import Path
from typing import Iterable

DATA_DIR = Path(__file__).resolve().parent / "data"
SPLITS = ("tune", "heldout")


def split_of(key: str) -> str:
    """'tune' or 'heldout' from a hash of a template id (or a text id where there is no
    template): stable, independent of order, count and of bench/pii_eval's salt."""
    digest = hashlib.sha256(f"pii-eval3/{key}".encode()).digest()
    return "heldout" if digest[1] % 2 else "tune"


def dump_jsonl(records: Iterable[dict], path: Path) -> None:
    """JSON lines, gzip with mtime 0 and no file name: the same records give the same bytes."""
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(lines.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def forbid_network() -> None:
    """Any socket connect fails loudly: building the sets must not download anything."""

    class _NoNetwork(socket.socket):
        def connect(self, *args, **kwargs):
            raise RuntimeError(f"network access attempted while building: {args!r}")

        connect_ex = connect

    socket.socket = _NoNetwork
    socket.create_connection = lambda *a, **k: _NoNetwork().connect(a)


def pin_hash_seed(module: str) -> None:
    """Re-run `python -m module` with PYTHONHASHSEED=0 (some Faker locales pick from sets)."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0", TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
        os.execve(sys.executable, [sys.executable, "-m", module, *sys.argv[1:]], env)

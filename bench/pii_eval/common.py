"""Helpers shared by the evaluation-set generators: hash split, deterministic files, no network."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import socket
import sys
import unicodedata
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def split_of(sample_id: str) -> str:
    """'tune' or 'heldout', from a hash of the id (stable, independent of order and count)."""
    digest = hashlib.sha256(f"wchat-pii-eval:{sample_id}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "heldout"


def dump_jsonl(records, path: Path) -> None:
    """Write JSON lines; `.gz` files get mtime 0 and no file name, so bytes repeat."""
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
            gz.write(lines)
        path.write_bytes(buf.getvalue())
    else:
        path.write_bytes(lines)


def forbid_network() -> None:
    """Make any socket use fail loudly: generation must never download anything."""

    class _NoNetwork(socket.socket):
        def connect(self, *args, **kwargs):
            raise RuntimeError(f"network access attempted during generation: {args!r}")

        connect_ex = connect

    socket.socket = _NoNetwork
    socket.create_connection = lambda *a, **k: _NoNetwork().connect(a)


def ascii_fold(text: str) -> str:
    """'Müller-Lüdenscheidt' -> 'Muller-Ludenscheidt' (for e-mail local parts)."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and ord(c) < 128)


def pin_hash_seed(module: str) -> None:
    """Re-run `python -m module` with PYTHONHASHSEED=0 unless it is already set so.

    Some Faker locales pick from sets (it_IT cities), whose order follows the string hash
    seed; without this the same script would give different bytes on each run.
    """
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0", TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
        os.execve(sys.executable, [sys.executable, "-m", module, *sys.argv[1:]], env)

"""Decompressing readers that notice when a compressed input file is cut short or corrupt.

Beam's `CompressedFile` ends quietly at the end of a truncated gzip or zstd stream: a file cut
in half yields its first half (zstd: nothing at all) and no error, so the rest of the file
would be lost without a trace. `open_decompressed` reads gzip (several members allowed) and
zstd (several frames allowed) itself and raises `CorruptInput` when the stored bytes end
before the compressed stream does (`truncated_input`) or cannot be decoded
(`unreadable_input`). The reader turns that into one dead letter (see `transforms/read.py`).

Only decoding problems raise `CorruptInput`; an I/O error of the underlying file (a network
hiccup on gs://) propagates unchanged, so the runner retries the bundle.

Output per call is bounded (`read(n)` returns at most n bytes, and the decoders are fed small
slices), so a compression bomb costs a bounded amount of memory per step.
"""
from __future__ import annotations

import dataclasses
import zlib
from typing import Callable

from apache_beam.io.filesystem import CompressedFile, CompressionTypes

__all__ = ["CorruptInput", "open_decompressed"]

_READ = 64 << 10  # compressed bytes read from the file at a time


class CorruptInput(ValueError):
    """The stored bytes of a compressed file are cut short or cannot be decoded."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclasses.dataclass(frozen=True)
class _Codec:
    name: str
    new: Callable  # () -> a decompressobj: decompress(data), eof, unused_data (one member/frame)
    errors: tuple
    feed: int  # compressed bytes given to the decoder at a time, which bounds its output


def _gzip() -> _Codec:
    # A member is `eof` once its trailer (CRC, size) was checked. Deflate expands at most
    # ~1032x: at most ~16 MB out per step.
    return _Codec("gzip", lambda: zlib.decompressobj(16 + zlib.MAX_WBITS), (zlib.error,), 16 << 10)


def _zstd() -> _Codec:
    import zstandard

    # An RLE block can expand ~32000x: at most ~32 MB out per step.
    return _Codec("zstd", lambda: zstandard.ZstdDecompressor().decompressobj(),
                  (zstandard.ZstdError,), 1 << 10)


class _DecompressingReader:
    """A read-only binary file object over a gzip or zstd stream (members/frames chained)."""

    def __init__(self, raw, codec: _Codec):
        self._raw, self._codec = raw, codec
        self._decoder = None  # the member/frame being decoded; None between members
        self._pending = b""  # compressed bytes not yet given to a decoder
        self._out = bytearray()
        self._compressed = 0  # stored bytes read so far (for error details)
        self._done = False
        self._error = None  # raised once everything decoded before it was read

    def read(self, n: int = -1) -> bytes:
        while not self._done and (n < 0 or len(self._out) < n):
            try:
                self._step()
            except CorruptInput as err:
                self._error, self._done = err, True
        if not self._out and self._error is not None:
            raise self._error
        if n < 0 or n >= len(self._out):
            data, self._out = bytes(self._out), bytearray()
        else:
            data = bytes(self._out[:n])
            del self._out[:n]
        return data

    def _step(self) -> None:
        if not self._pending:
            self._pending = self._raw.read(_READ)
            self._compressed += len(self._pending)
            if not self._pending:
                self._finish()
                return
        if self._decoder is None:
            # Between members: zero padding is allowed (some writers pad to a block size).
            self._pending = self._pending.lstrip(b"\x00")
            if not self._pending:
                return
            self._decoder = self._codec.new()
        step = self._codec.feed
        feed, self._pending = self._pending[:step], self._pending[step:]
        try:
            self._out += self._decoder.decompress(feed)
        except self._codec.errors as err:
            raise CorruptInput("unreadable_input",
                               f"{self._codec.name} data is corrupt near stored byte "
                               f"{self._compressed}: {err}") from None
        if self._decoder.eof:
            self._pending = self._decoder.unused_data + self._pending
            self._decoder = None

    def _finish(self) -> None:
        self._done = True
        if self._decoder is not None:
            raise CorruptInput("truncated_input",
                               f"the {self._codec.name} stream ends before its end marker "
                               f"after {self._compressed} stored bytes: the file was cut short")

    def close(self) -> None:
        self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_decompressed(raw, path: str):
    """A binary file object reading `raw` (the stored bytes of `path`) decompressed by the
    kind its name says. gzip and zstd raise `CorruptInput` on a cut or corrupt stream; other
    kinds Beam knows (bz2, deflate, lzma) use Beam's reader; anything else is read as is."""
    kind = CompressionTypes.detect_compression_type(path)
    if kind == CompressionTypes.GZIP:
        return _DecompressingReader(raw, _gzip())
    if kind == CompressionTypes.ZSTD:
        return _DecompressingReader(raw, _zstd())
    if kind == CompressionTypes.UNCOMPRESSED:
        return raw
    return CompressedFile(raw, compression_type=kind)

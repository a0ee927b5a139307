"""Decode a response body's content-coding as it streams in, never past a byte limit.

httpx decodes each network chunk whole, so a few kilobytes of gzip bomb become
hundreds of megabytes before anything can count them, and it undoes any stack of
codings (``gzip, gzip, gzip``) it is sent. Here at most one coding is accepted
(``gzip`` or ``deflate``, the only ones the fetcher asks for), and zlib is asked
for a bounded amount of output at a time, so memory stays near ``limit`` whatever
the ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

ACCEPT_ENCODING = "gzip, deflate"
STEP = 64 * 1024  # the most zlib is asked to produce at once
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class EncodingRefused(Exception):
    """The Content-Encoding is stacked, unknown, or its data is damaged."""


class TooLarge(Exception):
    """The decoded body passed the limit; decoding stopped there."""


def content_coding(header: str) -> str | None:
    """The one content-coding in a Content-Encoding header (None for identity).

    Raises EncodingRefused for more than one coding or one not asked for."""
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1:
        raise EncodingRefused(
            f"stacked content encodings ({', '.join(codings)}); at most one is accepted"
        )
    if codings and codings[0] not in _WBITS:
        raise EncodingRefused(f"content encoding {codings[0]!r} was not asked for")
    return codings[0] if codings else None


def decoded(raw: Iterable[bytes], coding: str | None, *, limit: int) -> Iterator[bytes]:
    """The body of ``raw`` chunks decoded from ``coding``; raises TooLarge past ``limit``."""
    size = 0
    for chunk in _inflate(raw, coding) if coding else raw:
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"more than {limit} bytes")
        yield chunk


def _inflate(raw: Iterable[bytes], coding: str) -> Iterator[bytes]:
    inflater = zlib.decompressobj(_WBITS[coding])
    first = True
    try:
        for data in raw:
            if first and coding == "deflate" and data and not _zlib_header(data):
                # Some servers send raw deflate without the zlib header.
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            first = first and not data
            while data and not inflater.eof:
                out = inflater.decompress(data, STEP)
                data = inflater.unconsumed_tail
                if out:
                    yield out
        # Truncated: what is left is at most zlib's window, not a whole bomb.
        if not inflater.eof and (rest := inflater.flush()):
            yield rest
    except zlib.error as exc:
        raise EncodingRefused(f"damaged {coding} data ({exc})") from exc


def _zlib_header(data: bytes) -> bool:
    """Whether ``data`` starts with a zlib header (RFC 1950: deflate, checksummed)."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0

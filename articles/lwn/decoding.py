"""Turn raw page bytes into text the way a browser would, minus the guessing.

LWN declares UTF-8 in a ``<meta>`` and its pages contain non-ASCII names, so
the default is UTF-8, never Latin-1. Bytes that do not decode become U+FFFD
and a warning: a damaged byte must not cost the whole page.
"""

from __future__ import annotations

import codecs
import re

from .warnings import Warnings

# Only the head matters; real pages declare the charset in the first 1 KB.
_SNIFF_BYTES = 4096
_META_CHARSET_RE = re.compile(
    rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})",
    re.IGNORECASE,
)
# HTML treats these labels as windows-1252 (WHATWG Encoding, "legacy" labels).
_WINDOWS_1252_ALIASES = frozenset(
    {
        "latin-1",
        "latin1",
        "iso-8859-1",
        "iso8859-1",
        "l1",
        "ascii",
        "us-ascii",
        "cp819",
        "iso-ir-100",
    }
)


def decode_page(data: bytes) -> tuple[str, Warnings]:
    """Decode *data*; return the text and any warnings about the decoding."""
    warnings = Warnings()
    encoding, skip = _bom_encoding(data)
    if encoding is None:
        encoding = _declared_encoding(data[:_SNIFF_BYTES]) or "utf-8"
    body = data[skip:]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        text = body.decode(encoding, errors="replace")
        warnings.add(
            "bytes-undecodable",
            "page",
            f"undecodable bytes in {encoding} input replaced (first at byte {exc.start + skip})",
        )
    return text, warnings


def _bom_encoding(data: bytes) -> tuple[str | None, int]:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    return None, 0


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET_RE.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A UTF-16 declaration inside ASCII-readable bytes is a lie (the meta tag
    # could not have been read otherwise); browsers use UTF-8 then, so do we.
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"
    return name

"""Find the pages behind a local SOURCE: a file or a folder of saved pages."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from django.conf import settings

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
GZIP_MAGIC = b"\x1f\x8b"


class SourceError(ValueError):
    """A local source that cannot be read; the message names it."""


def is_page_file(path: Path) -> bool:
    return path.name.lower().endswith(PAGE_SUFFIXES)


def local_pages(path: Path) -> list[Path]:
    """``path`` itself, or every page file below the folder ``path``, sorted."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and is_page_file(p))
    if path.is_file():
        return [path]
    raise SourceError(f"{path}: no such file or folder")


def page_read(path: Path) -> bytes:
    """The page's bytes, decompressed when the file is gzip (by its magic bytes, not
    its name: saved pages get renamed), and at most ``LWNKB_MAX_PAGE_BYTES`` of them."""
    limit: int = settings.MAX_PAGE_BYTES
    too_large = SourceError(f"{path}: larger than {limit:,} bytes (LWNKB_MAX_PAGE_BYTES)")
    try:
        with path.open("rb") as raw:
            compressed = raw.read(2) == GZIP_MAGIC
            raw.seek(0)
            if compressed:
                # Read at most one byte past the limit: a small file can inflate to gigabytes.
                with gzip.open(raw, "rb") as stream:
                    data = stream.read(limit + 1)
            else:
                data = raw.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise SourceError(f"{path}: {' '.join(str(exc).split()) or type(exc).__name__}") from exc
    if len(data) > limit:
        raise too_large
    return data

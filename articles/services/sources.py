"""Find the pages behind a local SOURCE: a file or a folder of saved pages."""

from __future__ import annotations

import gzip
from pathlib import Path

from django.conf import settings

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


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
    """The page's bytes, decompressed when it ends in ``.gz``."""
    limit: int = settings.MAX_PAGE_BYTES
    too_large = SourceError(f"{path}: larger than {limit:,} bytes (LWNKB_MAX_PAGE_BYTES)")
    try:
        if path.stat().st_size > limit:
            raise too_large
        if path.name.lower().endswith(".gz"):
            # Read at most one byte past the limit: a small file can inflate to gigabytes.
            with gzip.open(path, "rb") as stream:
                data = stream.read(limit + 1)
        else:
            data = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise SourceError(f"{path}: {exc}") from exc
    if len(data) > limit:
        raise too_large
    return data

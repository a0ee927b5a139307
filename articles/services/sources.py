"""Find the pages behind a local SOURCE: a file or a folder of saved pages."""

from __future__ import annotations

import gzip
from pathlib import Path

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
# The largest page lwnkb accepts; LWN's biggest one-big-page editions are ~1 MB.
MAX_PAGE_BYTES = 20 * 1024 * 1024


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
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:
            raise SourceError(f"{path}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise SourceError(f"{path}: {exc}") from exc
    if len(data) > MAX_PAGE_BYTES:
        raise SourceError(f"{path}: larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB")
    return data

"""The fetcher's on-disk HTTP cache: one gzip body and one JSON meta file per URL.

LWN asks clients to avoid useless requests, so every page we fetch is kept and
revalidated with a conditional GET instead of downloaded again. The layout is
``<cache_dir>/<key[:2]>/<key>.json`` and ``<key>.body.gz`` with ``key`` the
SHA-256 of the URL. Only what is needed to revalidate is stored: never request
headers, so a subscriber cookie can never end up on disk.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger("lwnkb.fetch")


def cache_key(url: str) -> str:
    """The cache key of ``url``: the hex SHA-256 of the URL text."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CacheMeta:
    """What the JSON meta file holds for one cached URL."""

    url: str
    final_url: str
    status: int
    etag: str | None
    last_modified: str | None
    fetched_at: str  # ISO 8601, UTC
    sha256: str  # of the uncompressed body: detects a body/meta pair from two writers

    def age_seconds(self, now: datetime) -> float:
        return (now - datetime.fromisoformat(self.fetched_at)).total_seconds()


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A cached response: its meta and its (uncompressed) body."""

    meta: CacheMeta
    content: bytes


class FetchCache:
    """A directory of cached responses keyed by URL; safe to share between processes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"FetchCache({str(self.root)!r})"

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = cache_key(url)
        folder = self.root / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body.gz"

    def load(self, url: str) -> CacheEntry | None:
        """The entry for ``url``, or None when absent or unreadable (treated as a miss)."""
        meta_path, body_path = self._paths(url)
        try:
            raw = json.loads(meta_path.read_text(encoding="utf-8"))
            meta = CacheMeta(**raw)
            content = gzip.decompress(body_path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, EOFError) as exc:
            # A damaged entry only costs one download; never let it break a fetch.
            logger.warning("ignoring unreadable cache entry for %s: %s", url, type(exc).__name__)
            return None
        if meta.url != url or hashlib.sha256(content).hexdigest() != meta.sha256:
            logger.warning("ignoring inconsistent cache entry for %s", url)
            return None
        return CacheEntry(meta=meta, content=content)

    def store(
        self,
        url: str,
        *,
        final_url: str,
        status: int,
        content: bytes,
        etag: str | None,
        last_modified: str | None,
        now: datetime | None = None,
    ) -> CacheMeta:
        """Write the body, then the meta (the meta is the commit point of an entry)."""
        meta = CacheMeta(
            url=url,
            final_url=final_url,
            status=status,
            etag=etag,
            last_modified=last_modified,
            fetched_at=(now or datetime.now(UTC)).isoformat(),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        meta_path, body_path = self._paths(url)
        try:
            # mtime=0 keeps the gzip bytes a pure function of the body.
            _atomic_write(body_path, gzip.compress(content, mtime=0))
            self._write_meta(meta_path, meta)
        except OSError as exc:
            # A full or read-only disk costs a download next time, not this fetch.
            logger.warning("could not cache %s: %s", url, exc)
        return meta

    def touch(self, entry: CacheEntry, *, now: datetime | None = None) -> CacheMeta:
        """Record a successful revalidation (a 304): the body stays, fetched_at moves."""
        meta = replace(entry.meta, fetched_at=(now or datetime.now(UTC)).isoformat())
        meta_path, _ = self._paths(entry.meta.url)
        try:
            self._write_meta(meta_path, meta)
        except OSError as exc:
            logger.warning("could not update the cache entry of %s: %s", entry.meta.url, exc)
        return meta

    def _write_meta(self, path: Path, meta: CacheMeta) -> None:
        data = json.dumps(asdict(meta), indent=1, sort_keys=True).encode("utf-8")
        _atomic_write(path, data)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and os.replace, so readers never
    see a half-written file (several workers may share one cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise

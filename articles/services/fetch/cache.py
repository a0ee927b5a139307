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
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

logger = logging.getLogger("lwnkb.fetch")

# Files no writer owns any more (a body whose meta never came, a crashed writer's
# temporary file) are removed once they are this old.
ORPHAN_AGE = timedelta(days=1)
# How often ``prune_if_due`` prunes: the marker file it touches records the last time.
PRUNE_EVERY = timedelta(days=1)
PRUNE_MARKER = ".last-prune"


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
class PruneReport:
    """What ``FetchCache.prune`` removed."""

    entries: int
    bytes_freed: int


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

    def prune(self, max_age: timedelta, *, now: datetime | None = None) -> PruneReport:
        """Remove entries last fetched or revalidated more than ``max_age`` ago.

        A page that old is rarely asked for again (comments are refreshed for three
        weeks); if it is, it is downloaded in full instead of revalidated. The meta
        goes first: without it an entry is a miss, whatever happens to its body.
        Leftovers of interrupted writers older than ``ORPHAN_AGE`` go too.
        """
        now = now or datetime.now(UTC)
        entries = freed = 0
        for meta_path in self.root.glob("*/*.json"):
            if meta_path.name.startswith("."):
                continue  # a writer's temporary file: the orphan pass below
            try:
                fetched_at = datetime.fromisoformat(json.loads(meta_path.read_text())["fetched_at"])
            except (OSError, ValueError, KeyError, TypeError):
                fetched_at = None  # damaged: load() ignores it, so it can go
            if fetched_at is not None and now - fetched_at <= max_age:
                continue
            body_path = meta_path.with_name(meta_path.name.removesuffix(".json") + ".body.gz")
            freed += _remove(meta_path) + _remove(body_path)
            entries += 1
        orphan_before = (now - ORPHAN_AGE).timestamp()
        for path in [*self.root.glob("*/*.body.gz"), *self.root.glob("*/.tmp-*")]:
            meta_path = path.with_name(path.name.removesuffix(".body.gz") + ".json")
            orphaned = path.name.startswith(".tmp-") or not meta_path.exists()
            with contextlib.suppress(OSError):
                if orphaned and path.stat().st_mtime < orphan_before:
                    freed += _remove(path)
        if entries:
            logger.info("fetch cache %s: pruned %d entries, %d bytes", self.root, entries, freed)
        return PruneReport(entries=entries, bytes_freed=freed)

    def prune_if_due(self, max_age: timedelta, *, every: timedelta = PRUNE_EVERY) -> None:
        """``prune`` at most once per ``every`` for this folder, whichever process asks.

        Every host keeps its own cache folder, so each fetcher's process takes
        care of its own, and the marker's time keeps that to once a day.
        """
        marker = self.root / PRUNE_MARKER
        try:
            if time.time() - marker.stat().st_mtime < every.total_seconds():
                return
        except FileNotFoundError:
            pass
        except OSError:
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            marker.touch()  # first, so processes starting together prune once
            self.prune(max_age)
        except OSError as exc:
            logger.warning("could not prune the fetch cache %s: %s", self.root, exc)

    def _write_meta(self, path: Path, meta: CacheMeta) -> None:
        data = json.dumps(asdict(meta), indent=1, sort_keys=True).encode("utf-8")
        _atomic_write(path, data)


def _remove(path: Path) -> int:
    """Delete ``path``; the bytes it took (0 if it was already gone)."""
    try:
        size = path.stat().st_size
        path.unlink()
    except FileNotFoundError:
        return 0
    return size


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

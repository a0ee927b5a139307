"""The index on disk: generations, the write lock, writers, rebuild and swap.

Layout of ``settings.INDEX_DIR``::

    CURRENT            name of the generation readers open (replaced atomically)
    write.lock         one writer at a time, across processes (flock)
    gen-<time>-<id>/   a whoosh index plus its ``schema-version`` file

A rebuild writes a new generation while readers keep using the current one,
then renames a new ``CURRENT`` into place. The previous generation is kept
until the next swap, so a reader that has just read the pointer never finds
its folder gone.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import pickle
import shutil
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import IndexError as WhooshIndexError

from articles.search.documents import IndexDocument
from articles.search.errors import IndexBusy, SearchUnavailable
from articles.search.results import RebuildReport
from articles.search.whoosh.fields import Vocabulary, whoosh_fields
from articles.search.whoosh.internals.lengths import CachedLengthBM25F
from articles.search.whoosh.schema import SCHEMA_VERSION, build_schema
from articles.search.whoosh.writers import writer_procs, writing

logger = logging.getLogger("lwnkb.search")

POINTER = "CURRENT"
LOCK_FILE = "write.lock"
VERSION_FILE = "schema-version"
GENERATION_PREFIX = "gen-"
# What a damaged or half-deleted index raises while being opened or read.
DAMAGE: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    struct.error,
    pickle.UnpicklingError,
    WhooshIndexError,
)
# Opening also meets an empty table of contents (a crash or a full disk mid-write), on
# which whoosh fails with TypeError. Only opening is guarded for it, so a TypeError in
# our own search code is never taken for damage.
OPEN_DAMAGE: tuple[type[BaseException], ...] = (*DAMAGE, TypeError)

# Said to readers (page and API), so only what is true: with a broker the search
# itself queues the rebuild (search/repair.py); without one the next
# import's indexing step runs it; ``lwn_reindex`` rebuilds it at once.
_REPAIR = (
    "It is rebuilt automatically (by the task worker, or after the next import where none "
    "runs), or at once with manage.py lwn_reindex."
)
MESSAGES = {
    "missing": f"Search is unavailable: the search index is missing (never built, or removed). "
    f"{_REPAIR}",
    "outdated": "Search is being rebuilt after an upgrade; please try again shortly.",
    "corrupt": f"Search is unavailable: the search index is damaged. {_REPAIR}",
}


def index_root() -> Path:
    return Path(settings.INDEX_DIR)


def _unavailable(reason: str) -> SearchUnavailable:
    return SearchUnavailable(MESSAGES[reason], reason=reason)


def current_generation(root: Path) -> Path | None:
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not name.startswith(GENERATION_PREFIX) or "/" in name:
        raise _unavailable("corrupt")
    return root / name


def _check_version(directory: Path) -> None:
    try:
        version = int((directory / VERSION_FILE).read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        raise _unavailable("corrupt" if directory.exists() else "missing") from None
    except ValueError:
        raise _unavailable("corrupt") from None
    if version != SCHEMA_VERSION:
        raise _unavailable("outdated")


def _opened(directory: Path) -> Any:
    # No mmap: whoosh copies every memory-mapped segment file into a BytesIO when a
    # reader opens, which costs a copy of the whole index per search (and took 2.6 GB
    # for the full archive's count in ``check_count``).
    return FileStorage(str(directory), supports_mmap=False).open_index()


def check_count(directory: Path, added: int) -> None:
    """Refuse a new generation that holds fewer documents than were added to it.

    Whoosh's multi-process writer commits without the segment of a writer process
    that died (it waits a second for each result and moves on), so a crash there
    would otherwise swap in an index silently missing part of the archive.
    """
    ix = _opened(directory)
    try:
        held = ix.doc_count_all()
    finally:
        ix.close()
    if held != added:
        raise RuntimeError(
            f"search index rebuild: {added} documents added but the new index holds {held}"
        )


def open_index(root: Path | None = None) -> Any:
    """The current whoosh index; SearchUnavailable when missing, outdated or damaged."""
    root = root or index_root()
    for attempt in (1, 2):
        directory = current_generation(root)
        if directory is None:
            raise _unavailable("missing")
        try:
            _check_version(directory)
            return _opened(directory)
        except SearchUnavailable as exc:
            # A rebuild may have swapped generations between our two reads: look again.
            if attempt == 1 and current_generation(root) != directory:
                continue
            raise exc from None
        except OPEN_DAMAGE as exc:
            if attempt == 1 and (current_generation(root) != directory or _replaced_meanwhile(exc)):
                continue
            logger.warning("search index %s cannot be opened: %r", directory, exc)
            raise _unavailable("corrupt") from exc
    raise AssertionError("unreachable")


def _replaced_meanwhile(exc: BaseException) -> bool:
    """A file named by the table of contents we read is gone: a writer committed since.

    An incremental commit writes a new table of contents and deletes the files
    only the old one named, so a reader between its two reads sees a missing
    file in a healthy index. Reading again finds the new contents.
    """
    return isinstance(exc, FileNotFoundError)


def _open_searcher(root: Path) -> Any:
    for attempt in (1, 2, 3):
        ix = open_index(root)
        try:
            return ix.searcher(weighting=CachedLengthBM25F())
        except OPEN_DAMAGE as exc:
            # Two rebuilds may have come and gone since we read the pointer, pruning the
            # generation we opened: follow the pointer again.
            if attempt < 3 and (
                _safe_current(root) != Path(ix.storage.folder) or _replaced_meanwhile(exc)
            ):
                continue
            logger.warning("search index cannot be read: %r", exc)
            raise _unavailable("corrupt") from exc
    raise AssertionError("unreachable")


def _fingerprint(directory: Path) -> tuple[object, ...] | None:
    """Every file of a generation with its size, time and inode; None if it cannot be read.

    Any write changes it: a commit (a new table of contents, new and deleted
    segment files), a rebuild's swap (another folder), a person or a disk
    garbling a file in place. Some thirty ``stat`` calls, a small fraction of what
    opening the index costs.
    """
    try:
        with os.scandir(directory) as entries:
            files = [(e.name, e.stat()) for e in entries]
    except OSError:
        return None
    return tuple(sorted((n, s.st_size, s.st_mtime_ns, s.st_ino) for n, s in files))


class _Kept(threading.local):
    """This thread's open searcher and what it was opened on (one index at a time).

    Opening costs as much as a search for a rare word: the table of contents, each
    segment's term tables, and in every segment too small for whoosh to store them
    (under 32,768 documents: each one an import's follow-ups write) the stored
    fields' offsets, rebuilt in Python one document at a time. An unchanged
    generation is read with the same searcher. Per thread, because a searcher reads
    its files through shared handles (seek, then read).
    """

    key: tuple[object, ...] | None = None
    searcher: Any = None

    def drop(self) -> None:
        searcher, self.key, self.searcher = self.searcher, None, None
        if searcher is not None:
            searcher.close()


_kept = _Kept()


@contextmanager
def open_searcher() -> Iterator[Any]:
    """A searcher on the current generation: this thread's last one while nothing changed.

    Raises SearchUnavailable when the index is missing, outdated or damaged. A
    search that fails on the searcher drops it, so the next one opens afresh.
    """
    root = index_root()
    directory = current_generation(root)
    fingerprint = _fingerprint(directory) if directory is not None else None
    # The schema version is part of the key: a searcher opened under another is stale.
    key = (root, directory, fingerprint, SCHEMA_VERSION)
    if fingerprint is not None and key == _kept.key:
        searcher = _kept.searcher
    else:
        _kept.drop()
        searcher = _open_searcher(root)
        # Kept only when opened on the generation fingerprinted above (not one swapped in since).
        if fingerprint is not None and Path(searcher._ix.storage.folder) == directory:
            _kept.key, _kept.searcher = key, searcher
    try:
        yield searcher
    except DAMAGE:
        if searcher is _kept.searcher:
            _kept.drop()  # closes it
        else:
            searcher.close()
        raise
    except BaseException:
        if searcher is not _kept.searcher:
            searcher.close()
        raise
    if searcher is not _kept.searcher:
        searcher.close()


@contextmanager
def write_lock(root: Path, *, timeout: float) -> Iterator[None]:
    """Hold the index's write lock, waiting at most ``timeout`` seconds for it."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(f"the search index stayed locked for {timeout:g} s") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _new_generation(root: Path) -> tuple[Path, Any]:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    directory = root / f"{GENERATION_PREFIX}{stamp}-{uuid.uuid4().hex[:8]}"
    directory.mkdir(parents=True)
    return directory, whoosh_index.create_in(str(directory), build_schema())


def _swap(root: Path, directory: Path) -> None:
    """Point readers at ``directory``: write a new pointer, then rename it over the old."""
    (directory / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n", encoding="utf-8")
    tmp = root / f"{POINTER}.{uuid.uuid4().hex}.tmp"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(directory.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / POINTER)


def _prune(root: Path, *, keep: set[Path | None]) -> None:
    """Remove generations other than ``keep`` (old ones, and half-built ones a crash left)."""
    for child in root.iterdir():
        if child.is_dir() and child.name.startswith(GENERATION_PREFIX) and child not in keep:
            shutil.rmtree(child, ignore_errors=True)
    for tmp in root.glob(f"{POINTER}.*.tmp"):
        tmp.unlink(missing_ok=True)


def _safe_current(root: Path) -> Path | None:
    try:
        return current_generation(root)
    except SearchUnavailable:
        return None


def update(
    *,
    documents: Iterable[IndexDocument],
    delete_terms: Iterable[tuple[str, str]] = (),
    create_missing: bool,
    timeout: float,
) -> int:
    """Delete by ``delete_terms``, then add or replace ``documents``, as one commit."""
    root = index_root()
    with write_lock(root, timeout=timeout):
        try:
            ix = open_index(root)
        except SearchUnavailable as exc:
            if not (create_missing and exc.reason == "missing"):
                raise
            logger.info("search index missing under %s: creating an empty one", root)
            directory, ix = _new_generation(root)
            _swap(root, directory)
        count = 0
        vocabulary = Vocabulary()
        with writing(ix, limitmb=settings.SEARCH_WRITER_MB) as writer:
            for field, value in delete_terms:
                writer.delete_by_term(field, value)
            for doc in documents:
                writer.update_document(**whoosh_fields(doc, vocabulary))
                count += 1
    return count


def rebuild(
    *,
    source: Callable[[], tuple[Iterable[list[IndexDocument]], int | None]],
    timeout: float,
    if_needed: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    procs: int | None = None,
) -> RebuildReport | None:
    """Build a new generation from ``source()`` and swap it in; None when skipped.

    ``source()`` gives the chunks of documents and how many there are (None when
    not known), which sets the number of writer processes unless ``procs`` does.

    The write lock is held throughout, so no incremental update can land in the
    old generation and be lost at the swap; those wait and retry.
    """
    root = index_root()
    with write_lock(root, timeout=timeout):
        if if_needed:
            try:
                open_index(root).close()
                return None
            except SearchUnavailable as exc:
                logger.info("search index %s: rebuilding", exc.reason)
        previous = _safe_current(root)
        _prune(root, keep={previous})
        started = time.monotonic()
        chunks, expected = source()
        procs = procs or writer_procs(expected)
        directory, ix = _new_generation(root)
        count = 0
        vocabulary = Vocabulary()
        try:
            # Several processes write a segment each; skipping the final merge keeps
            # the rebuild's memory and time bounded (searches read several segments).
            with writing(ix, limitmb=settings.SEARCH_WRITER_MB, procs=procs) as writer:
                for chunk in chunks:
                    for doc in chunk:
                        writer.add_document(**whoosh_fields(doc, vocabulary))
                    count += len(chunk)
                    if on_chunk is not None:
                        on_chunk(len(chunk))
            check_count(directory, count)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        _swap(root, directory)
        _prune(root, keep={directory, previous})
        seconds = time.monotonic() - started
    message = "search index rebuilt: %d documents in %.1f s, %d writer processes (%s)"
    logger.info(message, count, seconds, procs, directory)
    return RebuildReport(documents=count, seconds=seconds, path=directory)

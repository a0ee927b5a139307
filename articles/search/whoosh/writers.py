"""Index writers: committed or cancelled whole, written by one process or several.

A large rebuild is written by several processes, through whoosh's multi-process
writer, made safe here. ``MpWriter`` hands documents to writer processes in batches
(pickled to files) and, with ``multisegment``, commits the segment each one wrote.
Three things it leaves to its caller, which a rebuild inside a Celery task cannot:

- Celery's pool processes are daemonic, and ``multiprocessing`` refuses to start
  children from one ("daemonic processes are not allowed to have children"); the
  flag is lifted while the writer runs, since this module ends its children itself.
- ``cancel()`` only flags the parent's copies of the processes, so the real ones
  would wait for work forever: here it ends them.
- A writer process whose parent dies (a worker killed mid-rebuild) would wait
  forever too, holding its memory: each one leaves when its parent is gone.

A fourth, a writer process that dies, is caught after the commit: ``index.check_count``
refuses a generation missing its segment.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from whoosh.index import LockError
from whoosh.multiproc import MpWriter, SubWriterTask

from articles.search.errors import IndexBusy
from articles.search.whoosh.codec import LeanW3Codec

# Below this many documents a rebuild is written by one process into one segment:
# starting writer processes would cost more than they save.
PARALLEL_REBUILD_DOCUMENTS = 5_000
MAX_AUTO_PROCS = 4  # each process writes a segment, which every search then reads
# Whoosh's smallest useful sorting pool: below it a process spills a run to disk so
# often that merging the runs costs more than the memory saves.
MIN_POOL_MB = 16


def writer_procs(documents: int | None) -> int:
    """How many processes a rebuild of ``documents`` (None: not known) indexes with.

    ``LWNKB_SEARCH_WRITER_PROCS`` when set; else the cores this process may run on
    (at most four) for a large rebuild, where the analysis of the documents, not
    reading them, is most of the work (at 0.01: 37 -> 23 s on two cores). Writing the
    postings at the end does not shrink as much: each process writes its own term
    index (docs/performance.md, "The ninth full-size run").
    """
    if settings.SEARCH_WRITER_PROCS:
        return int(settings.SEARCH_WRITER_PROCS)
    if documents is None or documents < PARALLEL_REBUILD_DOCUMENTS:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_AUTO_PROCS))


PARENT_CHECK_SECONDS = 1.0


def _leave_with_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)  # orphaned: nobody will commit what this process writes


class _WriterProcess(SubWriterTask):
    def run(self) -> None:
        watch = threading.Thread(target=_leave_with_parent, args=(os.getppid(),), daemon=True)
        watch.start()
        super().run()


def pool_share(limitmb: int, procs: int) -> int:
    """Each of ``procs`` writer processes' part of a ``limitmb`` sorting budget."""
    return max(MIN_POOL_MB, limitmb // procs)


class ParallelWriter(MpWriter):
    """``MpWriter`` with ``multisegment``: one segment per writer process, no merge.

    ``limitmb`` is the rebuild's whole sorting budget, shared by its processes: given
    to each (whoosh's default), a full-size rebuild's writers peaked at 1.75x a small
    archive's, since only a large archive fills the pool (docs/performance.md, "The
    rebuild's budget, shared").
    """

    def __init__(self, ix: Any, *, procs: int, limitmb: int, **kwargs: Any) -> None:
        subargs = kwargs | {"limitmb": pool_share(limitmb, procs)}
        super().__init__(
            ix, procs=procs, multisegment=True, subargs=subargs, limitmb=limitmb, **kwargs
        )

    def _new_task(self) -> SubWriterTask:
        task = _WriterProcess(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        with _children_allowed():
            task.start()
        return task

    def cancel(self) -> None:
        try:
            for task in self.tasks:
                if task.is_alive():
                    task.terminate()
                task.join()
        finally:
            super().cancel()


@contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a daemonic process (a Celery pool process) start writer processes."""
    config: dict[str, Any] = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    daemon = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon
        else:
            config.pop("daemon", None)


@contextmanager
def writing(ix: Any, *, procs: int = 1, **options: Any) -> Iterator[Any]:
    """A whoosh writer (``procs`` processes) that commits on success, cancels on error.

    The error always propagates: a cancelled writer is never committed, and a
    failed commit is reported, not retried here.
    """
    try:
        # Our own lock is already held, so whoosh's lock is free unless a writer leaked.
        # The lean codec writes whoosh's own files with less memory (see ``codec``).
        options.update(timeout=1.0, codec=LeanW3Codec())
        writer = ParallelWriter(ix, procs=procs, **options) if procs > 1 else ix.writer(**options)
    except LockError as exc:
        raise IndexBusy("the search index's own write lock is held") from exc
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    try:
        writer.commit()
    except BaseException:
        lock = getattr(writer, "writelock", None)
        if lock is not None and getattr(lock, "fd", None) is not None:
            lock.release()  # so this worker's next writer is not blocked by a dead one
        raise

"""A large rebuild is written by several processes, one segment each, and finds the same.

At full size a rebuild's work is analysing a million documents, which one process does on
one core; whoosh's multi-process writer shares it out (docs/performance.md, "A rebuild
on every core").
"""

from __future__ import annotations

import datetime as dt
import mmap
import multiprocessing
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from articles import search
from articles.search.documents import IndexDocument
from articles.search.whoosh import index, writers
from tests.search.conftest import ANONYMOUS
from tests.search.whoosh.test_index import generations

pytestmark = pytest.mark.whoosh_only

WORDS = ("memory", "folio", "scheduler", "cgroup", "writeback", "reclaim", "lockdep", "futex")
QUERIES = (
    "memory",
    "folio reclaim",
    '"memory folio"',
    "sched*",
    "futex OR writeback",
    "cgroup -lockdep",
)


def corpus(n: int = 600) -> list[IndexDocument]:
    rng = random.Random(11)
    types = ("article", "merge", "hardware", "comment")
    return [
        IndexDocument(
            type=types[i % 4],
            pk=i,
            title=f"{rng.choice(WORDS).title()} note {i}",
            body=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 40))),
            release=f"5.{i % 7}",
            date=dt.date(2000 + i % 20, 1 + i % 12, 1),
            authors=[f"Author {i % 5}"],
        )
        for i in range(1, n + 1)
    ]


def scored(query: str) -> dict[tuple[str, int], float]:
    """Every hit of ``query`` (all its pages: ties at a page's end may fall either way)."""
    hits: dict[tuple[str, int], float] = {}
    page = 1
    while True:
        results = search.archive_search(query=query, user=ANONYMOUS, page=page, page_size=100)
        hits |= {(hit.type, hit.id): round(hit.score or 0, 6) for hit in results.hits}
        if not results.has_next:
            return hits
        page += 1


def found() -> dict[str, Any]:
    """Every query's count, facets and scored hits, the dates in date order, a suggestion."""
    answers: dict[str, Any] = {}
    for query in QUERIES:
        results = search.archive_search(query=query, user=ANONYMOUS)
        answers[query] = (results.count, results.facets.as_dict(), scored(query))
    newest = search.archive_search(query="memory", user=ANONYMOUS, sort="date", page_size=100)
    answers["newest dates"] = [hit.date for hit in newest.hits]
    answers["suggestion"] = search.archive_search(query="memroy", user=ANONYMOUS).suggestion
    return answers


def segments() -> list[int]:
    ix = index.open_index()
    try:
        return [segment.doc_count_all() for segment in ix._segments()]
    finally:
        ix.close()


def test_it_finds_the_same_with_two_writer_processes_as_with_one() -> None:
    docs = corpus()
    search.index_rebuild(documents=docs, chunk_size=50, procs=1)
    assert segments() == [len(docs)]
    one = found()
    assert one["memory"][0] > 100
    assert one["suggestion"] == "memory"

    search.index_rebuild(documents=docs, chunk_size=50, procs=2)
    split = segments()
    assert len(split) == 2
    assert sum(split) == len(docs)
    assert found() == one


def test_it_counts_a_new_generation_without_copying_it_into_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = corpus(50)
    search.index_rebuild(documents=docs, procs=1)
    directory = index.current_generation(index.index_root())
    assert directory is not None
    mapped: list[object] = []
    real_mmap = mmap.mmap

    def recorded(*args: Any, **kwargs: Any) -> mmap.mmap:
        mapped.append(args)
        return real_mmap(*args, **kwargs)

    # A reader on a memory-mapped segment copies each of its files into a BytesIO: at
    # full size the count after a rebuild took 2.6 GB that way.
    monkeypatch.setattr(mmap, "mmap", recorded)

    index.check_count(directory, len(docs))

    assert mapped == []
    with pytest.raises(RuntimeError, match="51 documents added"):
        index.check_count(directory, len(docs) + 1)


def test_it_shares_the_sorting_budget_among_its_writer_processes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pools = tmp_path / "pools"
    run = writers._WriterProcess.run

    def recorded(self: Any) -> None:
        with pools.open("a") as out:  # the writer processes are forked: a file reaches them
            out.write(f"{self.kwargs['limitmb']}\n")  # what its SegmentWriter is given
        run(self)

    monkeypatch.setattr(writers._WriterProcess, "run", recorded)
    with override_settings(SEARCH_WRITER_MB=96):
        search.index_rebuild(documents=corpus(), chunk_size=50, procs=2)
    # Half the budget each, not all of it: a full-size rebuild fills every pool.
    assert pools.read_text().split() == ["48", "48"]
    assert writers.pool_share(96, 8) == writers.MIN_POOL_MB


@pytest.mark.parametrize(
    ("setting", "documents", "expected"),
    [
        (0, None, 1),  # an iterable of unknown length (the benchmark's documents)
        (0, writers.PARALLEL_REBUILD_DOCUMENTS - 1, 1),
        (0, writers.PARALLEL_REBUILD_DOCUMENTS, "cores"),
        (0, 10_000_000, "cores"),
        (3, 10, 3),  # set explicitly: used whatever the size
    ],
)
def test_it_chooses_one_writer_process_for_a_small_rebuild_and_the_cores_for_a_large_one(
    setting: int, documents: int | None, expected: int | str
) -> None:
    cores = min(len(os.sched_getaffinity(0)), writers.MAX_AUTO_PROCS)
    with override_settings(SEARCH_WRITER_PROCS=setting):
        assert writers.writer_procs(documents) == (cores if expected == "cores" else expected)


def test_it_keeps_the_old_index_when_a_writer_process_dies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    search.index_rebuild(documents=corpus(40), procs=1)
    before = generations()

    def dying(self: Any, filename: str, doc_count: int) -> None:
        # One of the two writer processes (the one with an even number) dies, as a crash
        # would, with the batch of documents it has just taken.
        if self._identity[-1] % 2 == 0:
            os._exit(1)
        process_file(self, filename, doc_count)

    process_file = writers._WriterProcess._process_file
    # Writer processes are forked, so they inherit the patch.
    monkeypatch.setattr(writers._WriterProcess, "_process_file", dying)
    with pytest.raises(RuntimeError, match=r"600 documents added but the new index holds \d+"):
        search.index_rebuild(documents=corpus(), chunk_size=50, procs=2)
    assert generations() == before
    assert segments() == [40]


def test_it_ends_its_writer_processes_when_a_rebuild_fails() -> None:
    search.index_rebuild(documents=corpus(40), procs=1)
    before = generations()

    def failing() -> Iterator[IndexDocument]:
        yield from corpus(400)  # enough batches for both writer processes to start
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        search.index_rebuild(documents=failing(), chunk_size=50, procs=2)
    assert multiprocessing.active_children() == []
    assert generations() == before
    assert segments() == [40]


def _rebuild_in_a_daemon(started: Any) -> None:
    def slow() -> Iterator[IndexDocument]:
        for n, doc in enumerate(corpus(), start=1):
            if n == 400:
                started.set()  # both writer processes have their first batches
                time.sleep(60)
            yield doc

    search.index_rebuild(documents=slow(), chunk_size=50, procs=2)


def _rebuild_quickly_in_a_daemon() -> None:
    search.index_rebuild(documents=corpus(), chunk_size=50, procs=2)


def test_it_rebuilds_in_parallel_from_a_daemonic_process_like_a_celery_pool_process() -> None:
    pool = multiprocessing.Process(target=_rebuild_quickly_in_a_daemon, daemon=True)
    pool.start()
    pool.join(timeout=120)
    assert pool.exitcode == 0
    # Two writer processes, each a segment; how the batches fall between them is timing.
    split = segments()
    assert len(split) == 2
    assert sum(split) == len(corpus())


def test_it_ends_the_writer_processes_of_a_killed_worker() -> None:
    started = multiprocessing.Event()
    pool = multiprocessing.Process(target=_rebuild_in_a_daemon, args=(started,), daemon=True)
    pool.start()
    assert started.wait(timeout=120)
    children = Path(f"/proc/{pool.pid}/task/{pool.pid}/children").read_text().split()
    assert len(children) == 2
    pool.kill()  # SIGKILL, as a worker's pool process killed mid-rebuild
    pool.join()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)

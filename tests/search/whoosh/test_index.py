"""The index on disk: one writer at a time, atomic rebuilds, damage and repair."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles import search
from articles.search.documents import IndexDocument
from articles.search.whoosh import index
from tests.factories import ArticleFactory
from tests.search.conftest import ANONYMOUS

ROOT = Path(__file__).resolve().parents[3]
# The index folder, its lock, generations and swaps: whoosh's own machinery.
pytestmark = pytest.mark.whoosh_only


def docs(n: int, *, word: str = "common", start: int = 1) -> list[IndexDocument]:
    return [
        IndexDocument(type="comment", pk=i, title=f"Note {i}", body=f"A {word} note number {i}.")
        for i in range(start, start + n)
    ]


def count(query: str) -> int:
    return search.archive_search(query=query, user=ANONYMOUS).count


def generations() -> list[Path]:
    return sorted(Path(settings.INDEX_DIR).glob("gen-*"))


WRITER = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from articles import search
    word, start, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for pk in range(start, start + n):  # one commit each, so the two writers interleave
        doc = {"type": "comment", "pk": pk, "title": word, "body": f"{word} text {pk}"}
        search.index_add_documents([doc], timeout=60)
    """
)


def test_it_loses_nothing_when_two_processes_write_at_once() -> None:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "lwnkb.settings",
        "LWNKB_INDEX_DIR": str(settings.INDEX_DIR),
        "PYTHONPATH": str(ROOT),
    }
    n = 20
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, word, str(start), str(n)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for word, start in (("alpha", 1), ("bravo", 1001))
    ]
    for writer in writers:
        _, stderr = writer.communicate(timeout=300)
        assert writer.returncode == 0, stderr
    assert (count("alpha"), count("bravo")) == (n, n)
    assert search.index_status().documents == 2 * n


def test_it_serves_complete_results_while_a_rebuild_runs() -> None:
    corpus = docs(150)
    search.index_add_documents(corpus)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                seen.append(count("common"))
            except BaseException as exc:  # any failure is what this test looks for
                errors.append(exc)

    readers = [threading.Thread(target=keep_searching) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(3):
            search.index_rebuild(documents=corpus, chunk_size=40)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors
    assert seen
    assert set(seen) == {150}
    assert len(generations()) == 2  # the current one and the one before it


def test_it_waits_a_bounded_time_for_the_lock_then_reports_busy() -> None:
    with index.write_lock(index.index_root(), timeout=1), pytest.raises(search.IndexBusy):
        search.index_add_documents(docs(1), timeout=0.2)
    assert search.index_add_documents(docs(1), timeout=0.2) == 1


def test_it_cancels_a_write_that_fails_and_keeps_the_index_as_it_was() -> None:
    search.index_add_documents(docs(3))

    def failing() -> Iterator[IndexDocument]:
        yield from docs(2, word="partial", start=10)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        search.index_add_documents(failing())
    assert (count("common"), count("partial")) == (3, 0)
    assert search.index_add_documents(docs(1, word="later", start=20)) == 1


def test_it_keeps_the_old_index_when_a_rebuild_fails() -> None:
    search.index_add_documents(docs(3))
    before = generations()

    def failing() -> Iterator[IndexDocument]:
        yield from docs(5)
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        search.index_rebuild(documents=failing(), chunk_size=2)
    assert generations() == before
    assert count("common") == 3


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["delete-folder", "delete-generation", "garble-files"])
def test_it_reports_a_damaged_index_unavailable_and_lwn_reindex_repairs_it(damage: str) -> None:
    ArticleFactory(title="Guard pages", body_text="A guard page stops overruns.")
    call_command("lwn_reindex", stdout=io.StringIO(), stderr=io.StringIO())
    assert count("guard") == 1
    (current,) = generations()
    if damage == "delete-folder":
        shutil.rmtree(settings.INDEX_DIR)
    elif damage == "delete-generation":
        shutil.rmtree(current)
    else:
        for path in current.iterdir():
            if path.name != index.VERSION_FILE:
                path.write_bytes(b"\x00garbage" * 3)
    with pytest.raises(search.SearchUnavailable) as excinfo:
        count("guard")
    assert excinfo.value.reason == ("corrupt" if damage == "garble-files" else "missing")
    assert search.index_status().needs_rebuild
    out = io.StringIO()
    call_command("lwn_reindex", "--if-needed", stdout=out, stderr=io.StringIO())
    assert "rebuilt the search index: 1 documents" in out.getvalue()
    assert count("guard") == 1


@pytest.mark.django_db
def test_it_rebuilds_if_needed_only_after_a_schema_version_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ArticleFactory(title="Guard pages", body_text="A guard page stops overruns.")
    call_command("lwn_reindex", stdout=io.StringIO(), stderr=io.StringIO())
    before = generations()
    out = io.StringIO()
    call_command("lwn_reindex", "--if-needed", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert generations() == before

    monkeypatch.setattr(index, "SCHEMA_VERSION", index.SCHEMA_VERSION + 1)
    with pytest.raises(search.SearchUnavailable) as excinfo:
        count("guard")
    assert excinfo.value.reason == "outdated"
    out = io.StringIO()
    call_command("lwn_reindex", "--if-needed", stdout=out, stderr=io.StringIO())
    assert "rebuilt the search index" in out.getvalue()
    current = index.current_generation(index.index_root())
    assert current is not None
    assert current not in before
    assert (current / index.VERSION_FILE).read_text().strip() == str(index.SCHEMA_VERSION)
    assert count("guard") == 1


@pytest.mark.django_db
def test_it_reports_progress_and_supports_a_dry_run() -> None:
    ArticleFactory.create_batch(3)
    out, err = io.StringIO(), io.StringIO()
    call_command("lwn_reindex", "--dry-run", stdout=out, stderr=err)
    assert out.getvalue().startswith("would index 3 documents (index missing:")
    assert not generations()
    call_command("lwn_reindex", "--chunk-size", "2", stdout=out, stderr=err)
    assert "reindex [1/2] 2/3 documents" in err.getvalue()
    assert "reindex [2/2] 3/3 documents" in err.getvalue()


def test_it_searches_an_unchanged_index_with_the_searcher_it_kept() -> None:
    search.index_add_documents(docs(3))
    with index.open_searcher() as first:
        pass
    with index.open_searcher() as second:
        pass
    assert second is first
    assert not first.is_closed


def test_it_opens_afresh_after_a_commit_and_closes_the_kept_searcher() -> None:
    search.index_add_documents(docs(3))
    assert count("common") == 3
    with index.open_searcher() as kept:
        pass
    search.index_add_documents(docs(2, start=10))
    assert count("common") == 5
    assert kept.is_closed


def test_it_opens_afresh_after_a_rebuild_swaps_generations() -> None:
    search.index_add_documents(docs(3))
    assert count("common") == 3
    search.index_rebuild(documents=docs(4, word="fresh"), chunk_size=10)
    assert (count("common"), count("fresh")) == (0, 4)


def test_it_keeps_one_searcher_per_thread() -> None:
    search.index_add_documents(docs(3))
    with index.open_searcher() as mine:
        pass
    theirs: list[object] = []

    def open_one() -> None:
        with index.open_searcher() as searcher:
            theirs.append(searcher)

    thread = threading.Thread(target=open_one)
    thread.start()
    thread.join()
    (searcher,) = theirs
    assert searcher is not mine

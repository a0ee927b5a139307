"""Hostile pages at import: too large, or pathologically slow to parse.

Either way the import ends as a failed ``ImportRun`` with a reason that names
the limit, and nothing but the raw page and the run is written.
"""

from __future__ import annotations

import gc
import gzip
import io
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TypeVar

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from articles.lwn import LWNParseError, ParsedPage, parse_page, to_json_dict
from articles.models import ImportOutcome, ImportRun, RawPage
from articles.services import parse_limits
from articles.services.ingest import page_import
from articles.services.parse_limits import (
    PageTooLarge,
    ParseTimeLimitExceeded,
    page_parse_limited,
)
from articles.services.raw_pages import raw_page_store
from articles.services.sources import SourceError, page_read
from tests.celery_worker import Worker, client, purge, wait_for
from tests.lwn.pagebuilder import edition_bytes
from tests.services.conftest import FIXTURE_URLS, fixture_bytes

T = TypeVar("T")
URL = "https://lwn.net/Articles/990500/bigpage"
# Nesting just under the depth limit (506 levels with the page around it), a hundred
# times over: BeautifulSoup's tree building is quadratic in the depth, so each block
# costs about 0.1 s and the page about 10 s. 1.1 MB, far below the size limit; deeper
# pages are refused before parsing (test_nesting_limits.py).
SLOW_PAGE = edition_bytes(
    '<h2 class="SummaryHL"><a href="/Articles/990501/">Deep</a></h2>'
    + ("<span>x<b>y</b>z" * 500 + "</span>" * 500) * 100
)
LIMIT = 1.0
# The bound a stopped parse must come in under: the limit, plus (for the child process)
# starting Python and importing the parser, on a busy two-core CI machine.
STOPPED_WITHIN = 20.0


def other_rows() -> dict[str, int]:
    """Row counts of every table but the ones a failed import writes."""
    return {
        model.__name__: model._default_manager.count()
        for model in apps.get_app_config("articles").get_models()
        if model not in (ImportRun, RawPage)
    }


def in_thread(call: Callable[[], T]) -> T:
    """Run ``call`` in another thread (where signals cannot reach) and return its result."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the parse was not stopped"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


@pytest.fixture
def quiet_timer() -> Iterator[None]:
    """Every test leaves SIGALRM and the interval timer as it found them."""
    handler = signal.getsignal(signal.SIGALRM)
    yield
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_timer")
@override_settings(PARSE_TIME_LIMIT=LIMIT)
def test_it_fails_the_import_of_a_page_that_parses_too_slowly() -> None:
    before = other_rows()
    start = time.monotonic()
    run = page_import(data=SLOW_PAGE, source="deep.html", url=URL)
    elapsed = time.monotonic() - start
    assert run.outcome == ImportOutcome.FAILED
    assert run.error == (
        "not a usable LWN page: parsing took longer than the 1 s limit "
        "(LWNKB_PARSE_TIME_LIMIT); the page is damaged or pathologically complex"
    )
    assert elapsed < STOPPED_WITHIN
    assert other_rows() == before
    assert run.raw_page_id is not None  # the page is kept, to re-parse later
    assert RawPage.objects.filter(pk=run.raw_page_id).exists()


@pytest.mark.usefixtures("quiet_timer")
def test_it_stops_a_slow_parse_off_the_main_thread_too() -> None:
    """A thread cannot take the signal: the parse runs in a child process, killed in time."""
    start = time.monotonic()
    with pytest.raises(ParseTimeLimitExceeded, match="longer than the 1 s limit"):
        in_thread(lambda: page_parse_limited(SLOW_PAGE, url=URL, time_limit=LIMIT))
    assert time.monotonic() - start < STOPPED_WITHIN


@pytest.mark.usefixtures("quiet_timer")
def test_it_parses_the_same_in_a_child_process_as_in_place() -> None:
    name = "article-2020-capabilities-comments.html"
    data, url = fixture_bytes(name), FIXTURE_URLS[name]
    here = page_parse_limited(data, url=url, time_limit=30)
    there = in_thread(lambda: page_parse_limited(data, url=url, time_limit=30))
    assert to_json_dict(there) == to_json_dict(here) == to_json_dict(parse_page(data, url=url))


@pytest.mark.usefixtures("quiet_timer")
def test_it_reports_parse_errors_from_the_child_process() -> None:
    with pytest.raises(LWNParseError, match="not an LWN page: empty input"):
        in_thread(lambda: page_parse_limited(b"   ", time_limit=30))


def test_it_leaves_someone_elses_timer_running() -> None:
    fired: list[int] = []

    def theirs(signum: int, frame: FrameType | None) -> None:
        fired.append(signum)

    previous = signal.signal(signal.SIGALRM, theirs)
    try:
        signal.setitimer(signal.ITIMER_REAL, 300)
        name = "article-guest-dmabuf.html"
        page = page_parse_limited(fixture_bytes(name), url=FIXTURE_URLS[name], time_limit=30)
        assert page.items
        assert signal.getsignal(signal.SIGALRM) is theirs
        assert 250 < signal.getitimer(signal.ITIMER_REAL)[0] <= 300
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


@pytest.mark.django_db
@override_settings(MAX_PAGE_BYTES=4096)
def test_it_fails_the_import_of_a_page_over_the_size_limit() -> None:
    before = other_rows()
    data = edition_bytes("<p>" + "padding " * 1000 + "</p>")
    run = page_import(data=data, source="huge.html", url=URL)
    assert run.outcome == ImportOutcome.FAILED
    assert run.error == (
        f"not a usable LWN page: the page is {len(data):,} bytes, "
        "larger than the 4,096 bytes limit (LWNKB_MAX_PAGE_BYTES)"
    )
    assert other_rows() == before
    with pytest.raises(PageTooLarge):
        page_parse_limited(data)


@override_settings(MAX_PAGE_BYTES=4096)
def test_it_refuses_large_files_and_gzip_bombs_before_reading_them_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(SourceError, match=r"big\.html: larger than 4,096 bytes"):
        page_read(big)
    # 50 MB of zeros compress to about 50 KB; only 4 KB + 1 byte of it is ever inflated.
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 50_000_000))
    assert bomb.stat().st_size < 4096 * 20
    with (
        override_settings(MAX_PAGE_BYTES=bomb.stat().st_size + 1),
        pytest.raises(SourceError, match="LWNKB_MAX_PAGE_BYTES"),
    ):
        page_read(bomb)
    small = tmp_path / "small.html.gz"
    small.write_bytes(gzip.compress(b"<p>fine</p>"))
    assert page_read(small) == b"<p>fine</p>"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_fails_the_slow_page_and_carries_on(broker_url: str, tmp_path: Path) -> None:
    """In Celery's prefork child the timer path runs for real; the worker lives on."""
    if connection.vendor != "postgresql":
        pytest.fail("the worker shares the test database: run on PostgreSQL")
    raw, _ = raw_page_store(data=SLOW_PAGE, url=URL)
    purge(broker_url)
    worker = Worker(
        name="parse-limit",
        broker_url=broker_url,
        env={"LWNKB_PARSE_TIME_LIMIT": "1", "LWNKB_DATA_DIR": str(tmp_path)},
        log=tmp_path / "worker.log",
        pool="prefork",
        own_group=True,
    )
    try:
        worker.wait_ready()
        started = time.monotonic()
        client(broker_url).send_task("articles.tasks.reparse_raw_page", args=[raw.pk])
        run = wait_for(
            lambda: ImportRun.objects.filter(raw_page=raw, finished_at__isnull=False).first(),
            timeout=STOPPED_WITHIN * 3,
            what="the import run of the slow page",
        )
        assert run.outcome == ImportOutcome.FAILED, worker.output()[-2000:]
        assert "longer than the 1 s limit (LWNKB_PARSE_TIME_LIMIT)" in run.error
        assert time.monotonic() - started < STOPPED_WITHIN * 2
        log = worker.output()
        assert f"parse of {URL} stopped after 1.0 s\n" in log  # the timer, not a child process
        assert "Traceback" not in log
        assert worker.process.poll() is None  # still serving
    finally:
        worker.stop()


def _lwn_parse(path: Path) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("lwn_parse", str(path), stdout=io.StringIO())
    return caught.value


@override_settings(PARSE_TIME_LIMIT=LIMIT)
def test_lwn_parse_stops_a_runaway_parse_at_the_time_limit(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_bytes(SLOW_PAGE)
    started = time.monotonic()

    error = _lwn_parse(page)

    assert time.monotonic() - started < STOPPED_WITHIN
    assert error.returncode == 2
    assert "LWNKB_PARSE_TIME_LIMIT" in str(error)


@override_settings(MAX_PAGE_BYTES=4096)
def test_lwn_parse_refuses_a_page_over_the_size_limit_once(tmp_path: Path) -> None:
    page = tmp_path / "big.html"
    page.write_bytes(b"x" * 5000)

    error = _lwn_parse(page)

    assert error.returncode == 2
    assert str(error) == f"{page}: larger than 4,096 bytes (LWNKB_MAX_PAGE_BYTES)"


def test_it_reads_a_gzipped_page_whatever_its_name(tmp_path: Path) -> None:
    renamed = tmp_path / "edition.html"  # gzip inside, though the name says otherwise
    renamed.write_bytes(gzip.compress(b"<p>fine</p>"))

    assert page_read(renamed) == b"<p>fine</p>"


def _parse_with_a_slow_finalizer(data: bytes, url: str | None = None) -> ParsedPage:
    """A parse whose first alarms are bound to ring inside a finalizer, where Python
    ignores exceptions, and which then runs on in plain code for five seconds."""
    start = time.monotonic()

    class Finalized:
        def __del__(self) -> None:
            while time.monotonic() < start + 0.5:
                pass

    finalized = Finalized()
    del finalized  # runs __del__ now, through the 0.2 s deadline
    while time.monotonic() < start + 5:
        pass
    return parse_page(data, url=url)


def _parse_with_a_slow_collection(data: bytes, url: str | None = None) -> ParsedPage:
    """The same with a garbage collector callback (as hypothesis and profilers install)
    running through the deadline. It spins in the "stop" phase, when the collection
    is over: during one, Python also runs weakref callbacks, where an alarm is lost
    as well (and cannot be told apart), so the test collects before its deadline
    starts and this collection finds no garbage."""
    start = time.monotonic()

    def slow(phase: str, info: dict[str, int]) -> None:
        while phase == "stop" and time.monotonic() < start + 0.5:
            pass

    gc.callbacks.append(slow)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(slow)
    while time.monotonic() < start + 5:
        pass
    return parse_page(data, url=url)


@pytest.mark.parametrize(
    "slow_parse", [_parse_with_a_slow_finalizer, _parse_with_a_slow_collection]
)
def test_it_stops_a_parse_whose_first_alarms_rang_where_python_ignores_exceptions(
    slow_parse: Callable[..., ParsedPage], monkeypatch: pytest.MonkeyPatch
) -> None:
    ignored: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    monkeypatch.setattr(parse_limits, "parse_page", slow_parse)
    gc.collect()  # the garbage (and its weakref callbacks) before the deadline starts
    started = time.monotonic()

    with pytest.raises(ParseTimeLimitExceeded):
        page_parse_limited(b"<html></html>", url=URL, time_limit=0.2)

    assert time.monotonic() - started < 2  # a retried alarm, not the parse's end
    # The alarms in the finalizer or callback waited for plain code: none was lost
    # there with an "Exception ignored" on stderr.
    assert ignored == []
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)

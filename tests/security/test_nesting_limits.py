"""Pages nested deeper than any real page are refused before any expensive work.

Parsing and sanitising are quadratic in the nesting depth: 20,000 nested
``<ul><li>`` took 10 s, and 100,000 held a worker for minutes. A cheap scan
refuses such a page in milliseconds with a failed ``ImportRun`` that says why,
whatever the elements are; the one time limit covers parsing, sanitising and
storing together.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.test import override_settings

from articles.lwn.depth import MAX_DEPTH, html_depth
from articles.models import Article, Comment, ImportOutcome, ImportRun, RawPage
from articles.services import store
from articles.services.ingest import page_import
from articles.services.parse_limits import (
    Deadline,
    PageTooDeep,
    page_parse_limited,
    page_prepare_limited,
)
from articles.services.sanitize import CleanHTML, html_sanitize
from tests.lwn.pagebuilder import edition_bytes
from tests.security.test_parse_limits import in_thread, other_rows
from tests.services.conftest import FIXTURE_URLS, fixture_bytes

URL = "https://lwn.net/Articles/990600/bigpage"
HEADLINE = '<h2 class="SummaryHL"><a href="/Articles/990601/">Deep</a></h2>'
# Loose: the refusal takes milliseconds; this only catches a page that was parsed.
WITHIN = 10.0

# One shape per kind of element that nests: lists, quotes, blocks, inline text,
# tables, definitions, disclosure widgets, unknown and custom elements, and a mix.
SHAPES = {
    "ul-li": "<ul><li>x",
    "ol-li": "<ol><li>x",
    "blockquote": "<blockquote>x",
    "div": "<div>x",
    "span-b": "<span>x<b>y</b>z",
    "table": "<table><tr><td>x",
    "dl": "<dl><dd>x",
    "details": "<details><summary>s</summary>x",
    "em-strong": "<em>x<strong>y",
    "unknown": "<foo>x",
    "custom": "<x-thing>x",
    "mixed": "<ul><li><blockquote><div><span><table><tr><td><em><section><font>x",
}


def deep_page(opening: str, levels: int) -> bytes:
    return edition_bytes(HEADLINE + opening * levels)


@pytest.fixture
def time_limit() -> Iterator[None]:
    with override_settings(PARSE_TIME_LIMIT=60.0):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("time_limit")
@pytest.mark.parametrize("shape", SHAPES)
def test_it_refuses_a_page_nested_deeper_than_any_real_page(shape: str) -> None:
    data = deep_page(SHAPES[shape], 100_000 // SHAPES[shape].count("<"))
    before = other_rows()
    start = time.monotonic()
    run = page_import(data=data, source=f"deep-{shape}.html", url=URL)
    elapsed = time.monotonic() - start
    assert run.outcome == ImportOutcome.FAILED
    assert run.finished_at is not None
    assert run.error.startswith(
        f"not a usable LWN page: the page nests elements more than {MAX_DEPTH} deep"
    )
    assert "refused as damaged or hostile" in run.error
    assert elapsed < WITHIN
    assert other_rows() == before
    assert run.raw_page_id is not None
    assert RawPage.objects.filter(pk=run.raw_page_id).exists()  # kept, to look at


@pytest.mark.django_db
@pytest.mark.usefixtures("time_limit")
def test_it_refuses_the_small_page_that_timed_out_the_web_worker() -> None:
    """326 KB of nested list items: past gunicorn's timeout when imported in a request."""
    data = deep_page("<ul><li>", 36_000)
    assert len(data) < 400_000
    start = time.monotonic()
    run = page_import(data=data, source="deep-lists.html", url=URL)
    assert run.outcome == ImportOutcome.FAILED
    assert "more than 512 deep" in run.error
    assert time.monotonic() - start < WITHIN
    assert ImportRun.objects.filter(outcome=ImportOutcome.RUNNING).count() == 0


def test_it_refuses_deep_pages_off_the_main_thread_too() -> None:
    """Where no timer can stop a parse (threads), the scan still refuses before it."""
    start = time.monotonic()
    with pytest.raises(PageTooDeep, match="more than 512 deep"):
        in_thread(lambda: page_parse_limited(deep_page("<blockquote><li>", 50_000), url=URL))
    assert time.monotonic() - start < WITHIN


@pytest.mark.django_db
@pytest.mark.usefixtures("time_limit")
def test_it_still_imports_a_page_nested_as_deep_as_the_limit_allows() -> None:
    """The limit refuses no real page: 400 levels of several elements still import."""
    body = HEADLINE + "<div><blockquote><ul><li>x" * 100 + "</li></ul></blockquote></div>" * 100
    run = page_import(data=edition_bytes(body), source="nested.html", url=URL)
    assert run.outcome == ImportOutcome.OK, run.error
    assert Article.objects.filter(lwn_id=990601).exists()


@pytest.mark.parametrize("name", sorted(FIXTURE_URLS))
def test_real_pages_nest_far_less_deeply_than_the_limit(name: str) -> None:
    """The deepest LWN fixture reaches 13 levels; 512 leaves room for any comment thread."""
    assert html_depth(fixture_bytes(name)) < MAX_DEPTH // 8


def test_it_flattens_a_deep_fragment_to_text_quickly() -> None:
    fragment = "<ul><li>a<blockquote>b<span>c<img src=x onerror=alert(1)>" * 30_000
    start = time.monotonic()
    clean = html_sanitize(fragment)
    assert time.monotonic() - start < WITHIN
    assert clean.startswith("<p>a b c a b c")
    assert "<" not in clean[3:-4]
    assert "onerror" not in clean


@pytest.mark.django_db
@override_settings(PARSE_TIME_LIMIT=1.0)
def test_the_time_limit_covers_storing_the_page_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """One budget for the whole import: a store that runs past it fails and writes nothing."""
    slow_sync = store.merge_windows_sync

    def merge_windows_sync(*args: object, **kwargs: object) -> None:
        time.sleep(1.2)
        slow_sync(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "merge_windows_sync", merge_windows_sync)
    before = other_rows()
    run = page_import(
        data=fixture_bytes("article-2020-capabilities-comments.html"),
        source="slow store",
        url=FIXTURE_URLS["article-2020-capabilities-comments.html"],
    )
    assert run.outcome == ImportOutcome.FAILED
    # Stopped by the check after the step, or (PostgreSQL) at its next statement.
    assert "LWNKB_PARSE_TIME_LIMIT" in run.error
    assert "1 s limit" in run.error
    assert other_rows() == before
    assert not Comment.objects.exists()


def test_the_child_process_parses_and_sanitises_off_the_main_thread() -> None:
    """Off the main thread the limited step runs in a child: it returns sanitised HTML too."""
    name = "article-2020-capabilities-comments.html"
    deadline = Deadline(30.0)
    page = in_thread(
        lambda: page_prepare_limited(fixture_bytes(name), url=FIXTURE_URLS[name], deadline=deadline)
    )
    fragments = [page.items[0].body_html, *(c.body_html for c in page.comments)]
    assert page.comments
    assert all(isinstance(fragment, CleanHTML) for fragment in fragments)

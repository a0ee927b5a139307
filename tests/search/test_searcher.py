"""Running searches: the paywall rule, snippets, facets, order, pages and errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from articles import search
from articles.models import Article
from tests.factories import ArticleFactory
from tests.search.conftest import ANONYMOUS, SUBSCRIBER, import_all, search_labels

pytestmark = pytest.mark.django_db

CAPABILITIES = "article:821729"


@pytest.fixture
def locked_capabilities(db: None) -> dt.date:
    """The 5.8 edition and the capabilities article with its comments, still paywalled."""
    import_all(("edition-2020-06-11-bigpage.html", "article-2020-capabilities-comments.html"))
    free_on = timezone.now().date() + dt.timedelta(days=30)
    Article.objects.filter(lwn_id=821729).update(subscriber_only=True, free_on=free_on)
    Article.objects.exclude(lwn_id=821729).update(subscriber_only=False)
    search.index_rebuild()
    return free_on


def run(query: str, reader: object = ANONYMOUS, **options: object) -> search.SearchResults:
    options.setdefault("page_size", 100)
    return search.archive_search(query=query, user=reader, **options)  # type: ignore[arg-type]


def test_it_finds_locked_articles_by_title_only_for_non_subscribers(
    locked_capabilities: dt.date,
) -> None:
    # "CRIU" is only in the locked article's body.
    assert run("CRIU").count == 0
    assert search_labels(run("CRIU", SUBSCRIBER)) == [CAPABILITIES]
    (hit,) = [h for h in run("capabilities").hits if h.type == "article" and h.lwn_id == 821729]
    assert hit.locked
    day = locked_capabilities
    assert hit.snippet == f"Subscriber-only until {day:%B} {day.day}, {day.year}."
    subscriber_hit = next(h for h in run("capabilities", SUBSCRIBER).hits if h.lwn_id == 821729)
    assert not subscriber_hit.locked
    assert "<mark>" in subscriber_hit.snippet


def test_it_hides_comments_under_locked_articles_from_non_subscribers(
    locked_capabilities: dt.date,
) -> None:
    anonymous = search_labels(run("CAP_PERFMON"))
    assert not [label for label in anonymous if label.startswith("comment:")]
    assert CAPABILITIES not in anonymous
    assert "article:821534" in anonymous  # the merge-window article is free
    subscriber = search_labels(run("CAP_PERFMON", SUBSCRIBER))
    assert CAPABILITIES in subscriber
    assert len([label for label in subscriber if label.startswith("comment:")]) == 6
    assert run("type:comment").count == 0
    assert run("type:comment", SUBSCRIBER).count == 14


def test_it_suggests_no_word_that_only_locked_text_contains(locked_capabilities: dt.date) -> None:
    assert run("ccriu").suggestion is None
    assert run("ccriu", SUBSCRIBER).suggestion == "criu"


def test_it_escapes_snippets_and_adds_only_mark(db: None) -> None:
    ArticleFactory(
        title="<b>Bold</b> claims",
        body_text='A <script>alert("x")</script> in a kernel & "quoted" text.',
    )
    search.index_rebuild()
    (hit,) = run("alert").hits
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    assert re.sub(r"</?mark>", "", hit.snippet).count("<") == 0
    assert hit.title == "<b>Bold</b> claims"  # plain text; templates escape it


def test_it_finds_and_marks_words_in_paths_and_tag_like_text(db: None) -> None:
    ArticleFactory(
        title="Debugging",
        body_text="Mount debugfs on /sys/kernel/debug; then #include <linux/tracepoint.h> works.",
    )
    search.index_rebuild()
    (hit,) = run("debug").hits
    assert "/sys/kernel/<mark>debug</mark>;" in hit.snippet
    (hit,) = run("linux").hits
    assert "#include &lt;<mark>linux</mark>/tracepoint.h&gt; works." in hit.snippet
    assert run("/sys/kernel/debug").count == 1  # the whole path, as an identifier


def test_it_counts_facets_over_all_matches(db: None) -> None:
    import_all(("edition-2020-06-11-bigpage.html",))
    search.index_rebuild()
    results = run("release:5.8", page_size=1)
    assert (results.count, len(results.hits)) == (58, 1)
    facets = results.facets
    assert {v.value: v.count for v in facets.type} == {"article": 1, "merge": 32, "hardware": 25}
    assert [(v.value, v.count) for v in facets.release] == [("5.8", 58)]
    assert [(v.value, v.count) for v in facets.year] == [("2020", 58)]
    assert [(v.value, v.count) for v in facets.author] == [("Jonathan Corbet", 1)]
    sections = {v.value: v.count for v in facets.section}
    assert sections["Graphics"] == 5
    assert sections["Core kernel"] == 8
    assert len(sections) == 12  # the most frequent of 16


def test_it_pages_through_results_in_relevance_or_date_order(db: None) -> None:
    import_all(("edition-2020-06-11-bigpage.html",))
    search.index_rebuild()
    first = run("type:hardware", page_size=10)
    second = run("type:hardware", page_size=10, page=2)
    last = run("type:hardware", page_size=10, page=3)
    assert (first.count, len(first.hits), len(second.hits), len(last.hits)) == (25, 10, 10, 5)
    assert (first.has_next, second.has_next, last.has_next) == (True, True, False)
    assert {h.id for h in first.hits}.isdisjoint({h.id for h in second.hits})
    by_date = run("kernel", sort="date")
    dates = [h.date or dt.date.min for h in by_date.hits]
    assert dates == sorted(dates, reverse=True)
    assert all(h.score is None for h in by_date.hits)


def test_it_applies_exact_filters(db: None) -> None:
    import_all(("edition-2020-06-11-bigpage.html",))
    search.index_rebuild()
    filters = search.SearchFilters(type="hardware", section="Graphics", release="5.8")
    assert run("", filters=filters).count == 5
    jake = search.SearchFilters(author="Jake Edge", after=dt.date(2020, 6, 10))
    assert {h.lwn_id for h in run("", filters=jake).hits} == {822256, 822481, 822500}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"page_size": 0}, "page_size must be between 1 and 100"),
        ({"page_size": 101}, "page_size must be between 1 and 100"),
        ({"page": 0}, "first 5000 results"),
        ({"page": 1000}, "first 5000 results"),
        ({"sort": "random"}, "sort must be one of relevance, date"),
    ],
)
def test_it_rejects_bad_parameters(options: dict[str, object], message: str) -> None:
    with pytest.raises(search.SearchError, match=message):
        search.archive_search(query="kernel", user=ANONYMOUS, **options)  # type: ignore[arg-type]


def test_it_rejects_queries_with_nothing_to_search(db: None) -> None:
    ArticleFactory(title="t", body_text="b")
    search.index_rebuild()
    with pytest.raises(search.SearchError, match="too common"):
        run("the and of")
    with pytest.raises(search.SearchError, match="Type something"):
        run("  ")


@pytest.mark.whoosh_only  # the postgres backend has no index to lose
def test_it_reports_a_missing_index_as_unavailable(db: None) -> None:
    with pytest.raises(search.SearchUnavailable) as excinfo:
        run("kernel")
    assert excinfo.value.reason == "missing"


@pytest.mark.backend_independent  # picks the postgres backend on either database
def test_it_needs_postgresql_for_the_postgres_backend(db: None) -> None:
    ArticleFactory(title="Kernel news", body_text="Kernel text.")
    with override_settings(SEARCH_BACKEND="postgres"):
        if connection.vendor == "postgresql":
            assert run("kernel").count == 1
            assert search.index_status().state == "ok"
        else:
            with pytest.raises(search.SearchUnavailable) as excinfo:
                run("kernel")
            assert excinfo.value.reason == "disabled"
            assert search.index_status().state == "disabled"


@pytest.mark.whoosh_only  # whoosh ORs the words a prefix expands to; PostgreSQL need not
def test_it_bounds_how_many_words_a_prefix_expands_to(db: None) -> None:
    search.index_add_documents(
        [
            {"type": "comment", "pk": i, "title": "t", "body": f"zzword{i:04d} here"}
            for i in range(600)
        ]
    )
    assert run("zzw*").count == 500
    assert run("zzword0599").count == 1


def test_it_suggests_only_words_the_texts_contain_not_variants_sharing_a_stem(db: None) -> None:
    # "swapness" and "schedulal" match through their stems ("swap", "schedul"), yet no
    # text has them: a suggestion must be a word a reader could find written.
    ArticleFactory(
        title="Tuning swap",
        body_text="The swappiness knob tells the kernel how eagerly to swap pages; "
        "the scheduler and the swap code both look at it.",
    )
    search.index_rebuild()
    assert run("swapiness").suggestion == "swappiness"
    assert run("schedular").suggestion == "scheduler"


def test_it_finds_a_dotted_knob_by_its_last_part_and_still_by_its_whole_name(db: None) -> None:
    # Readers search "swappiness" for the knob written "vm.swappiness"; the whole name
    # stays exact (it never matches "swappiness" written alone) and phrases still hold.
    knob = ArticleFactory(title="Reclaim tuning", body_text="Writers set vm.swappiness to 10 here.")
    plain = ArticleFactory(title="Other", body_text="The swappiness default moved.")
    search.index_rebuild()
    ids = {hit.lwn_id for hit in run("swappiness").hits}
    assert {knob.lwn_id, plain.lwn_id} <= ids
    assert [hit.lwn_id for hit in run("vm.swappiness").hits if hit.type == "article"] == [
        knob.lwn_id
    ]
    assert [hit.lwn_id for hit in run('"set vm.swappiness"').hits] == [knob.lwn_id]

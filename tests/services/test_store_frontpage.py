"""Storing the lwn.net home page: teasers, and never over an article's own text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from articles import search
from articles.lwn.types import FrontPageItem
from articles.models import Article, ImportRun, RawPage
from articles.services.ingest import page_import
from articles.services.raw_pages import raw_page_store
from articles.services.store import page_store
from tests.factories import ArticleFactory
from tests.services.conftest import import_fixture
from tests.services.frontpages import HOME, front_page, headline, page_bytes, parsed_as

pytestmark = pytest.mark.django_db

CAPABILITIES = 821729  # "A crop of new capabilities", with its comments
MERGE_WINDOW = 821534  # a feature of the June 11, 2020 big page
GUARDED = 783673  # the article subscription-required.html guards


def import_home(monkeypatch: pytest.MonkeyPatch, label: str, *items: Any) -> ImportRun:
    data = page_bytes(label)
    parsed_as(monkeypatch, {data: front_page(*items)})
    run = page_import(data=data, source=f"home page {label}", url=HOME)
    assert run.outcome == "ok", run.error
    return run


def test_it_creates_a_teaser_for_each_headline(monkeypatch: pytest.MonkeyPatch) -> None:
    run = import_home(
        monkeypatch,
        "one",
        headline(
            1001,
            title="Some kernel news",
            section="Kernel",
            comment_count=7,
            blurb_html='<p>A <a href="/Articles/1001/">blurb</a><script>alert(1)</script></p>',
            blurb_text="A blurb",
        ),
        headline(1002, kind="brief", section="Security", comment_count=None),
    )

    assert run.counts == {"teasers_created": 2}
    assert run.edition is None
    first = Article.objects.get(lwn_id=1001)
    assert first.teaser is True
    assert (first.title, first.kind, first.section) == ("Some kernel news", "feature", "Kernel")
    assert first.date == dt.date(2020, 6, 10)
    assert first.comment_count == 7
    assert first.url == "https://lwn.net/Articles/1001/"
    assert first.edition_id is None
    assert first.body_text == "A blurb"
    assert "<script" not in first.body_html  # the same sanitizer as every write path
    assert 'href="https://lwn.net/Articles/1001/"' in first.body_html
    assert first.raw_page_id == run.raw_page_id
    second = Article.objects.get(lwn_id=1002)
    assert (second.kind, second.comment_count, second.subscriber_only) == ("brief", None, False)


def test_it_updates_a_teaser_from_a_newer_home_page(monkeypatch: pytest.MonkeyPatch) -> None:
    import_home(monkeypatch, "morning", headline(1001, comment_count=1), headline(1002))
    later = import_home(
        monkeypatch,
        "evening",
        headline(1001, title="A better title", comment_count=12, blurb_text="Revised."),
        headline(1002),
        headline(1003),
    )

    assert later.counts == {
        "teasers_created": 1,
        "teasers_updated": 1,
        "teasers_unchanged": 1,
    }
    article = Article.objects.get(lwn_id=1001)
    assert (article.title, article.comment_count, article.body_text) == (
        "A better title",
        12,
        "Revised.",
    )
    # Every teaser on the page now belongs to it, for the follow-ups and --follow.
    assert set(Article.objects.written_by(later).values_list("lwn_id", flat=True)) == {
        1001,
        1002,
        1003,
    }


def test_it_leaves_a_teaser_alone_when_an_older_home_page_is_reparsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_home(monkeypatch, "old", headline(1001, title="Old title"))
    import_home(monkeypatch, "new", headline(1001, title="New title"))
    RawPage.objects.filter(content_hash=RawPage.hash_of(page_bytes("old"))).update(
        fetched_at=dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    )

    again = page_import(data=page_bytes("old"), source="reparse", url=HOME, force=True)

    assert again.counts == {"teasers_kept": 1, "unchanged": 1}
    assert Article.objects.get(lwn_id=1001).title == "New title"


def test_it_never_overwrites_an_article_stored_from_its_own_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_fixture("article-2020-capabilities-comments.html")
    stored = Article.objects.get(lwn_id=CAPABILITIES)
    authors = list(stored.authors.values_list("name", flat=True))

    run = import_home(
        monkeypatch,
        "one",
        headline(
            CAPABILITIES,
            title="A different title",
            blurb_html="<p>Only a blurb</p>",
            blurb_text="Only a blurb",
            comment_count=(stored.comment_count or 0) + 5,
        ),
    )

    article = Article.objects.get(lwn_id=CAPABILITIES)
    assert run.counts == {"teasers_kept": 1, "articles_updated": 1}
    assert article.teaser is False
    assert (article.title, article.body_html, article.body_text) == (
        stored.title,
        stored.body_html,
        stored.body_text,
    )
    assert list(article.authors.values_list("name", flat=True)) == authors
    assert article.raw_page_id == stored.raw_page_id
    # The home page is the fresher page: a larger comment count is taken, never a smaller.
    assert article.comment_count == (stored.comment_count or 0) + 5
    import_home(monkeypatch, "two", headline(CAPABILITIES, comment_count=0))
    assert Article.objects.get(lwn_id=CAPABILITIES).comment_count == article.comment_count


def test_it_replaces_a_teaser_with_the_edition_text_and_clears_the_flag(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_home(monkeypatch, "one", headline(MERGE_WINDOW, title="Teaser title"))

    import_fixture("edition-2020-06-11-bigpage.html")

    article = Article.objects.get(lwn_id=MERGE_WINDOW)
    assert article.teaser is False
    assert article.title == "5.8 Merge window, part 1"
    assert Article.objects.filter(lwn_id=MERGE_WINDOW, edition__lwn_id=822335).exists()
    assert "The blurb of item" not in article.body_text
    assert article.raw_page_id is None  # no longer the home page's


def test_it_replaces_a_teaser_with_the_article_page(monkeypatch: pytest.MonkeyPatch) -> None:
    import_home(monkeypatch, "one", headline(CAPABILITIES, title="Teaser title"))

    run = import_fixture("article-2020-capabilities-comments.html")

    article = Article.objects.get(lwn_id=CAPABILITIES)
    assert article.teaser is False
    assert article.title == "A crop of new capabilities"
    assert article.raw_page_id == run.raw_page_id
    assert article.comments.exists()


def test_it_treats_an_article_without_text_as_a_teaser(monkeypatch: pytest.MonkeyPatch) -> None:
    import_fixture("subscription-required.html")
    guarded = Article.objects.get(lwn_id=GUARDED)
    assert (guarded.body_text, guarded.teaser) == ("", False)

    import_home(monkeypatch, "one", headline(GUARDED, subscriber_only=True))

    article = Article.objects.get(lwn_id=GUARDED)
    assert article.teaser is True
    assert article.body_text == f"The blurb of item {GUARDED}."
    # The free date the subscription page gave is kept.
    assert (article.subscriber_only, article.free_on) == (True, guarded.free_on)


def test_it_locks_a_subscriber_only_teaser_and_never_unlocks_it(
    monkeypatch: pytest.MonkeyPatch, anonymous: AnonymousUser, subscriber: User
) -> None:
    import_home(monkeypatch, "one", headline(1001, subscriber_only=True), headline(1002))

    locked = Article.objects.get(lwn_id=1001)
    assert (locked.subscriber_only, locked.free_on) == (True, None)
    assert locked.is_locked_for(anonymous)
    assert list(Article.objects.free_for(anonymous).values_list("lwn_id", flat=True)) == [1002]
    assert Article.objects.free_for(subscriber).count() == 2

    # A later home page without the "[$]" mark does not unlock it: only a free date does.
    import_home(monkeypatch, "two", headline(1001, subscriber_only=False, comment_count=9))
    article = Article.objects.get(lwn_id=1001)
    assert article.comment_count == 9
    assert article.is_locked_for(anonymous)


def test_it_locks_an_article_with_text_that_the_home_page_marks_subscriber_only(
    monkeypatch: pytest.MonkeyPatch, anonymous: AnonymousUser
) -> None:
    import_fixture("article-2020-capabilities-comments.html")
    assert not Article.objects.get(lwn_id=CAPABILITIES).subscriber_only

    import_home(monkeypatch, "one", headline(CAPABILITIES, subscriber_only=True))

    assert Article.objects.get(lwn_id=CAPABILITIES).is_locked_for(anonymous)


def test_it_stores_a_home_page_atomically(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that fails half-way (here its update) leaves nothing of itself behind."""
    import_home(monkeypatch, "one", headline(1001, title="First title"))
    data = page_bytes("damaged")
    # A negative count breaks the update after the new teaser was inserted.
    parsed_as(
        monkeypatch,
        {data: front_page(headline(1002), headline(1001, title="Second", comment_count=-1))},
    )

    run = page_import(data=data, source="damaged", url=HOME)

    assert run.outcome == "failed"
    assert "could not store the page" in run.error
    assert not Article.objects.filter(lwn_id=1002).exists()
    assert Article.objects.get(lwn_id=1001).title == "First title"


def test_it_lets_linking_and_the_search_index_see_teasers(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        import_fixture("article-guest-dmabuf.html")  # builds the index
    with django_capture_on_commit_callbacks(execute=True):
        run = import_home(
            monkeypatch,
            "one",
            headline(
                1001,
                blurb_html="<p>New CAP_CHECKPOINT_RESTORE rules for io_uring.</p>",
                blurb_text="New CAP_CHECKPOINT_RESTORE rules for io_uring.",
            ),
        )

    run.refresh_from_db()
    assert run.followups_done_at is not None
    found = search.archive_search(query="CAP_CHECKPOINT_RESTORE", user=AnonymousUser())
    assert [(hit.type, hit.lwn_id) for hit in found.hits] == [("article", 1001)]


def _store(label: str, items: list[FrontPageItem], max_queries: Any) -> Counter[str]:
    raw, _ = raw_page_store(data=page_bytes(label), url=HOME)
    with transaction.atomic(), max_queries(MAX_QUERIES):
        counts, _ = page_store(page=front_page(*items), raw=raw)
    return counts


# The advisory lock, the read, new ids and their COPY, one UPDATE: however many
# headlines the page has and however many articles the archive holds.
MAX_QUERIES = 5


def test_it_stores_a_20_item_home_page_in_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    counts = _store("new", [headline(2000 + n) for n in range(20)], django_assert_max_num_queries)
    assert counts["teasers_created"] == 20

    ArticleFactory.create_batch(150)
    full = ArticleFactory.create_batch(5, body_text="Its own text.", comment_count=0)
    # 10 teasers to update, 5 articles with text to keep (their counts raised), 5 new.
    items = [headline(2000 + n, comment_count=50) for n in range(10)]
    items += [headline(a.lwn_id, comment_count=50) for a in full if a.lwn_id]
    items += [headline(3000 + n) for n in range(5)]
    counts = _store("mixed", items, django_assert_max_num_queries)
    assert counts == Counter(
        teasers_updated=10, teasers_kept=5, articles_updated=5, teasers_created=5
    )

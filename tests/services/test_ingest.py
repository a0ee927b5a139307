from __future__ import annotations

import io
import json
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command

from articles.models import (
    Article,
    Comment,
    Edition,
    HardwareDevice,
    ImportRun,
    KernelRelease,
    MergeWindowItem,
    RawPage,
)
from articles.services import ingest
from articles.services.ingest import page_import
from tests.services.conftest import fixture_bytes, import_fixture

pytestmark = pytest.mark.django_db

BIG = "edition-2020-06-11-bigpage.html"


def stats() -> dict[str, Any]:
    out = io.StringIO()
    call_command("lwn_stats", "--json", stdout=out)
    data: dict[str, Any] = json.loads(out.getvalue())
    data.pop("import_runs")
    return data


def test_it_imports_the_big_page_edition(bigpage_run: ImportRun) -> None:
    assert bigpage_run.outcome == "ok", bigpage_run.error
    edition = Edition.objects.get(lwn_id=822335)
    assert bigpage_run.edition == edition
    assert str(edition.date) == "2020-06-11"
    assert edition.raw_page is not None
    assert edition.raw_page.content == fixture_bytes(BIG)
    assert edition.parser_version
    merge = Article.objects.get(lwn_id=821534)
    assert merge.edition == edition
    assert [a.name for a in merge.authors.all()] == ["Jonathan Corbet"]
    release = KernelRelease.objects.get(version="5.8")
    groups = list(
        MergeWindowItem.objects.filter(article=merge)
        .order_by("group_position")
        .values_list("group", flat=True)
        .distinct()
    )
    assert groups[:2] == ["Architecture-specific", "Core kernel"]
    assert "Internal kernel changes" in groups
    assert MergeWindowItem.objects.filter(release=release, text__contains="faccessat2").exists()
    graphics = HardwareDevice.objects.filter(release=release, category="Graphics")
    assert graphics.count() == 5
    assert graphics.first() is not None
    assert bigpage_run.counts["merge_items_created"] == MergeWindowItem.objects.count()


def test_it_marks_features_subscriber_only_for_a_week(bigpage_run: ImportRun) -> None:
    capabilities = Article.objects.get(lwn_id=821729)
    assert capabilities.subscriber_only
    assert str(capabilities.free_on) == "2020-06-18"


def test_it_skips_an_unchanged_page_and_changes_nothing(bigpage_run: ImportRun) -> None:
    before = stats()
    again = import_fixture(BIG)
    assert again.outcome == "skipped"
    assert again.edition_id == bigpage_run.edition_id
    assert stats() == before
    assert RawPage.objects.count() == 1


def test_it_records_a_failed_run_and_keeps_the_raw_page_for_a_malformed_page(db: None) -> None:
    data = b"\x00\x01 this is not an LWN page at all"
    run = page_import(data=data, source="junk.html")
    assert run.outcome == "failed"
    assert "not a usable LWN page" in run.error
    assert run.raw_page is not None
    assert run.raw_page.content == data
    assert stats()["editions"] == 0
    assert Article.objects.count() == 0


def test_it_rolls_back_everything_when_storing_fails_midway(bigpage_run: ImportRun) -> None:
    before = stats()
    # Same edition, but an article id already used by a *comment*-free article in
    # another edition is fine; a title longer than any column is truncated; so
    # break the store for real: an edition page whose id is missing.
    data = fixture_bytes(BIG).replace(b"822335", b"")
    run = page_import(data=data, source="no-id.html")
    assert run.outcome == "failed"
    assert run.error
    assert stats() == before


def test_it_updates_in_place_and_removes_items_that_vanished(bigpage_run: ImportRun) -> None:
    data = fixture_bytes(BIG)
    start = data.index(b'<h2 class="SummaryHL"><a href="/Articles/822350/">')
    heading_start = start
    next_heading = data.index(b'<p class="Cat1HL"', start)
    trimmed = data[:heading_start] + data[next_heading:]
    merge_item_ids = set(MergeWindowItem.objects.values_list("pk", flat=True))
    run = import_fixture(BIG, data=trimmed)
    assert run.outcome == "ok", run.error
    assert run.counts.get("articles_deleted") == 1
    assert not Article.objects.filter(lwn_id=822350).exists()
    # Unchanged rows keep their primary keys, so mentions attached to them survive.
    assert set(MergeWindowItem.objects.values_list("pk", flat=True)) == merge_item_ids


def _front_page() -> bytes:
    """The edition's front page: the big page without its brief items and announcements."""
    data = fixture_bytes(BIG)
    return (
        data[: data.index(b'<p class="Cat1HL">Brief items')] + data[data.index(b"<b>Next page") :]
    )


def test_it_keeps_the_briefs_when_the_front_page_follows_its_big_page(
    bigpage_run: ImportRun,
) -> None:
    # Saved files carry no address: both forms are edition 822335's page.
    before = list(Article.objects.order_by("position").values_list("lwn_id", flat=True))
    run = page_import(data=_front_page(), source="front.html")
    assert run.outcome == "ok", run.error
    assert run.edition_id == bigpage_run.edition_id
    assert "articles_deleted" not in run.counts
    # The features lead, then the briefs only the big page lists, in their old order.
    assert list(Article.objects.order_by("position").values_list("lwn_id", flat=True)) == before


def test_it_removes_a_brief_that_vanished_from_a_section_the_page_still_has(
    bigpage_run: ImportRun,
) -> None:
    data = fixture_bytes(BIG)
    start = data.index(b'<p class="Cat2HL">Development')
    trimmed = data[:start] + data[data.index(b'<p class="Cat1HL">Announcements') :]
    run = import_fixture(BIG, data=trimmed)
    assert run.outcome == "ok", run.error
    assert run.counts.get("articles_deleted") == 1
    assert not Article.objects.filter(lwn_id=822490).exists()
    assert Article.objects.filter(lwn_id=822481).exists()  # the other briefs stay


def test_it_never_overwrites_what_a_curator_changed(bigpage_run: ImportRun) -> None:
    article = Article.objects.get(lwn_id=822256)
    article.title = "Seccomp and deep argument inspection (curated)"
    article.curated_fields = ["title"]
    article.save()
    run = import_fixture(BIG, force=True)
    assert run.outcome == "ok"
    article.refresh_from_db()
    assert article.title == "Seccomp and deep argument inspection (curated)"


def test_it_keeps_a_curated_article_that_vanished_from_the_page(bigpage_run: ImportRun) -> None:
    article = Article.objects.get(lwn_id=822350)
    article.curated_fields = ["section"]
    article.save()
    data = fixture_bytes(BIG).replace(b"/Articles/822350/", b"/Articles/999999/")
    assert import_fixture(BIG, data=data).outcome == "ok"
    assert Article.objects.filter(lwn_id=822350).exists()


def test_it_stores_a_comment_thread_in_display_order(db: None) -> None:
    run = import_fixture("article-2020-capabilities-comments.html")
    assert run.outcome == "ok", run.error
    article = Article.objects.get(lwn_id=821729)
    comments = list(Comment.objects.filter(article=article))
    assert comments, "the fixture has comments"
    assert [c.thread_position for c in comments] == list(range(len(comments)))
    by_id = {c.pk: c for c in comments}
    for comment in comments:
        if comment.parent_id is not None:
            parent = by_id[comment.parent_id]
            assert parent.thread_position < comment.thread_position
            assert comment.depth == parent.depth + 1
    assert max(c.depth for c in comments) == 2
    assert run.counts["comments_created"] == len(comments)


def test_it_attaches_comments_to_the_article_imported_with_its_edition(
    bigpage_run: ImportRun,
) -> None:
    run = import_fixture("article-2020-capabilities-comments.html")
    assert run.outcome == "ok", run.error
    article = Article.objects.get(lwn_id=821729)
    assert article.edition is not None
    assert article.edition.lwn_id == 822335
    assert article.comments.count() > 0
    assert Article.objects.filter(lwn_id=821729).count() == 1


def test_it_records_a_subscription_page_as_subscriber_only_with_its_free_date(
    db: None,
) -> None:
    run = import_fixture("subscription-required.html")
    assert run.outcome == "ok", run.error
    article = Article.objects.get(lwn_id=783673)
    assert article.subscriber_only
    assert str(article.free_on) == "2019-04-04"


def test_it_changes_nothing_on_a_dry_run(db: None) -> None:
    run = page_import(
        data=fixture_bytes(BIG),
        source=BIG,
        url="https://lwn.net/Articles/822335/bigpage",
        dry_run=True,
    )
    assert run.outcome == "ok"
    assert run.counts["articles_created"] > 0
    assert run.pk is None
    assert ImportRun.objects.count() == 0
    assert RawPage.objects.count() == 0
    assert stats()["editions"] == 0


def test_it_sanitises_bodies_before_storing_them(db: None) -> None:
    data = fixture_bytes(BIG).replace(
        b"</h4>",
        b'</h4><p onclick="steal()">x<script>alert(1)</script>'
        b'<a href="javascript:alert(2)">y</a></p>',
        1,
    )
    run = page_import(data=data, source="xss", url="https://lwn.net/Articles/822335/bigpage")
    assert run.outcome == "ok", run.error
    for body in Article.objects.values_list("body_html", flat=True):
        assert "<script" not in body
        assert "onclick" not in body
        assert "javascript:" not in body


def test_it_adds_an_inner_page_to_its_edition_without_disturbing_the_rest(
    bigpage_run: ImportRun,
) -> None:
    edition = Edition.objects.get(lwn_id=822335)
    before = set(edition.articles.values_list("pk", flat=True))
    run = import_fixture("brief-items-2020-06-11.html")
    assert run.outcome == "ok", run.error
    assert run.edition == edition
    assert Edition.objects.count() == 1
    edition.refresh_from_db()
    assert edition.title == "LWN.net Weekly Edition for June 11, 2020"  # the inner page's is not
    after = set(edition.articles.values_list("pk", flat=True))
    assert before < after
    briefs = edition.articles.filter(listed_on=822336).order_by("position")
    assert briefs.count() == run.counts["articles_created"] + run.counts.get("articles_updated", 0)
    assert all(a.position >= 1000 for a in briefs)
    # Re-importing the big page leaves the inner page's own items alone.
    assert import_fixture(BIG, force=True).outcome == "ok"
    assert set(edition.articles.values_list("pk", flat=True)) >= after - set(
        Article.objects.filter(listed_on=822335).values_list("pk", flat=True)
    )
    assert edition.articles.filter(listed_on=822336).exists()


def test_it_keeps_the_edition_section_when_the_article_page_is_imported(
    bigpage_run: ImportRun,
) -> None:
    assert Article.objects.get(lwn_id=821729).section == "Front page"
    assert import_fixture("article-2020-capabilities-comments.html").outcome == "ok"
    assert Article.objects.get(lwn_id=821729).section == "Front page"


@pytest.mark.parametrize("exc", [SoftTimeLimitExceeded(), KeyboardInterrupt(), TypeError("bug")])
def test_it_closes_its_run_at_once_when_the_import_is_interrupted(
    db: None, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    """A task's soft time limit, Ctrl-C or a bug: the run is failed, never left "running"."""

    def page_store(**kwargs: Any) -> Any:
        raise exc

    monkeypatch.setattr(ingest, "page_store", page_store)
    with pytest.raises(type(exc)):
        import_fixture("article-2020-capabilities-comments.html")
    run = ImportRun.objects.get()
    assert run.outcome == "failed"
    assert run.finished_at is not None
    assert run.error.startswith(f"interrupted: {type(exc).__name__}")
    assert not Article.objects.exists()

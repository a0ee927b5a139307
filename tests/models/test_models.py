from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Comment, Entity, KernelRelease, Mention, RawPage
from articles.models.kernel import parse_version
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EditionFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

pytestmark = pytest.mark.django_db


def test_it_sorts_releases_numerically_not_as_text() -> None:
    for version in ["6.9", "6.14", "5.8", "6.1", "2.6.39"]:
        KernelRelease.objects.create(version=version)
    assert [r.version for r in KernelRelease.objects.all()] == [
        "2.6.39",
        "5.8",
        "6.1",
        "6.9",
        "6.14",
    ]


def test_it_rejects_a_release_that_is_not_a_version() -> None:
    with pytest.raises(ValueError, match="not a kernel version"):
        parse_version("five point eight")


def test_it_keeps_edition_lwn_ids_unique() -> None:
    EditionFactory.create(lwn_id=822335)
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFactory._meta.model.objects.create(lwn_id=822335, title="dup")


def test_it_allows_many_articles_without_an_lwn_id() -> None:
    edition = EditionFactory.create()
    ArticleFactory.create(edition=edition, lwn_id=None, position=1)
    ArticleFactory.create(edition=edition, lwn_id=None, position=2)
    assert Article.objects.filter(lwn_id__isnull=True).count() == 2


def test_it_refuses_two_articles_at_one_position_of_an_edition() -> None:
    edition = EditionFactory.create()
    ArticleFactory.create(edition=edition, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory.create(edition=edition, position=1)


def test_it_stores_raw_pages_compressed_and_gives_them_back() -> None:
    html = ("<html>" + "é" * 5000 + "</html>").encode()
    page = RawPage.objects.create(
        url="https://lwn.net/Articles/1/",
        content_hash=RawPage.hash_of(html),
        content_gz=RawPage.compress(html),
        size=len(html),
    )
    page.refresh_from_db()
    assert page.content == html
    assert len(bytes(page.content_gz)) < len(html) / 10
    assert RawPage.compress(html) == RawPage.compress(html)  # reproducible


def test_it_loads_a_comment_thread_in_display_order_with_one_query(
    django_assert_num_queries: object,
) -> None:
    article = ArticleFactory.create()
    root = CommentFactory.create(article=article, thread_position=0)
    CommentFactory.create(article=article, parent=root, depth=1, thread_position=1)
    CommentFactory.create(article=article, thread_position=2)
    with django_assert_num_queries(1):  # type: ignore[operator]
        rows = list(Comment.objects.filter(article=article))
    assert [c.thread_position for c in rows] == [0, 1, 2]
    assert rows[1].parent_id == root.pk


def test_it_requires_exactly_one_target_per_mention() -> None:
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    article = ArticleFactory.create()
    item = MergeWindowItemFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(entity=entity)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(entity=entity, article=article, merge_item=item)
    Mention.objects.create(entity=entity, merge_item=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(entity=entity, merge_item=item)


def test_it_keeps_entities_unique_per_kind() -> None:
    Entity.objects.create(kind="release", name="5.8")
    Entity.objects.create(kind="knob", name="5.8")  # a different kind may share a name
    with pytest.raises(IntegrityError), transaction.atomic():
        Entity.objects.create(kind="release", name="5.8")


def test_it_locks_subscriber_text_until_its_free_date(anonymous, subscriber) -> None:
    today = timezone.now().date()
    locked = ArticleFactory.create(subscriber_only=True, free_on=today + dt.timedelta(days=3))
    freed = ArticleFactory.create(subscriber_only=True, free_on=today)
    public = ArticleFactory.create()
    assert locked.is_locked_for(anonymous)
    assert not locked.is_locked_for(subscriber)
    assert not freed.is_locked_for(anonymous)
    readable = set(Article.objects.free_for(anonymous))
    assert readable == {freed, public}
    assert set(Article.objects.free_for(subscriber)) == {locked, freed, public}


def test_it_describes_rows_readably() -> None:
    release = KernelReleaseFactory.create(version="5.8")
    item = MergeWindowItemFactory.create(
        release=release, group="Core kernel", text="New faccessat2()"
    )
    assert str(release) == "5.8"
    assert str(item) == "5.8 · Core kernel: New faccessat2()"
    assert str(EditionFactory.create(title="LWN.net Weekly Edition for June 11, 2020")).endswith(
        "2020"
    )

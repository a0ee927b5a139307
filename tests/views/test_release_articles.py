"""The release page's articles: its merge-window sources and the articles that name it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from articles.models import Entity, EntityKind, Mention, MentionStatus
from articles.selectors.releases import release_page
from tests.factories import ArticleFactory, KernelReleaseFactory, MergeWindowItemFactory

pytestmark = pytest.mark.django_db


def test_it_lists_sources_and_articles_naming_the_release_but_not_rejected_names() -> None:
    release = KernelReleaseFactory.create(version="5.8")
    source = ArticleFactory.create(title="source", date=dt.date(2020, 6, 11))
    MergeWindowItemFactory.create(release=release, article=source)
    naming = ArticleFactory.create(title="naming", date=dt.date(2020, 8, 3))
    rejected = ArticleFactory.create(title="rejected", date=dt.date(2020, 8, 4))
    ArticleFactory.create(title="unrelated", date=dt.date(2020, 8, 5))
    entity = Entity.objects.create(kind=EntityKind.RELEASE, name="5.8")
    other = Entity.objects.create(kind=EntityKind.SYSCALL, name="faccessat2")
    Mention.objects.create(entity=entity, article=naming, sentence="5.8 is out")
    Mention.objects.create(
        entity=entity, article=rejected, sentence="5.8", status=MentionStatus.REJECTED
    )
    # A curator's rejection of another name in a source does not hide the source.
    Mention.objects.create(
        entity=other, article=source, sentence="faccessat2()", status=MentionStatus.REJECTED
    )
    page = release_page(release=release, user=AnonymousUser())
    assert [a.title for a in page.articles] == ["naming", "source"]

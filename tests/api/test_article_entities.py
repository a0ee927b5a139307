"""An article's ``entities``: what its own text, items and devices name, counted once each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from articles.models import Article, Entity, Mention, MentionStatus
from tests.api.conftest import API, locked_article
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

pytestmark = pytest.mark.django_db


def named(article: Article, name: str) -> Entity:
    """An entity named once in each of the article's texts: own, item, device, comment."""
    entity = Entity.objects.create(kind="syscall", name=name)
    release = KernelReleaseFactory.create(version="5.8")
    Mention.objects.create(entity=entity, article=article)
    item = MergeWindowItemFactory.create(release=release, article=article)
    Mention.objects.create(entity=entity, merge_item=item)
    device = HardwareDeviceFactory.create(release=release, article=article)
    Mention.objects.create(entity=entity, hardware=device)
    Mention.objects.create(entity=entity, comment=CommentFactory.create(article=article))
    return entity


def entities(client: APIClient, article: Article) -> list[tuple[str, int]]:
    body = client.get(f"{API}/articles/{article.lwn_id}/").json()
    return [(e["name"], e["mentions"]) for e in body["entities"]]


def test_it_counts_the_text_items_and_devices_but_not_the_comments(api: APIClient) -> None:
    article = ArticleFactory.create()
    named(article, "openat2")
    other = Entity.objects.create(kind="syscall", name="close_range")
    Mention.objects.create(entity=other, article=article)
    # Another article's mentions, and a rejected one, are not this article's.
    named(ArticleFactory.create(), "faccessat2")
    rejected = Entity.objects.create(kind="syscall", name="pidfd_open")
    Mention.objects.create(entity=rejected, article=article, status=MentionStatus.REJECTED)
    assert entities(api, article) == [("openat2", 3), ("close_range", 1)]


@pytest.mark.parametrize(("persona", "expected"), [("anonymous", 1), ("subscriber", 3)])
def test_it_counts_only_a_locked_articles_own_text(
    persona: str, expected: int, client_as: Callable[[str], APIClient]
) -> None:
    article = locked_article()
    named(article, "openat2")
    assert entities(client_as(persona), article) == [("openat2", expected)]

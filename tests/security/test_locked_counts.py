"""Comment counts and entity pages follow the rows they count (docs/security.md).

Release counts and the hardware category choices are rows of the paywall
matrix (``test_paywall_paths.py``).

One release gathers a free article (one merge-window item, one device) and a
locked one (three items, two devices in a category of its own, seven
comments). An entity named only in the locked article's items, one
introduced by a locked item, and one named beside it there must not reach
anonymous readers through a count, a choice list, a page, the API or a feed;
subscribers see them all (so a surface showing nothing cannot pass).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from articles.models import Article, Entity, Mention, MentionStatus
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EditionFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

SECRET_CATEGORY = "Quantum widgets"  # only in the locked article's hardware list
HIDDEN = "secretcall"  # a system call named only in the locked article's items
BESIDE = "besidecall"  # named beside faccessat2, only in a locked item


@dataclass
class Archive:
    free: Article
    locked: Article


@pytest.fixture
def archive(db: None) -> Archive:
    release = KernelReleaseFactory.create(version="5.8")
    edition = EditionFactory.create()
    free = ArticleFactory.create(edition=edition, title="The free half")
    locked = ArticleFactory.create(
        edition=edition,
        title="The locked half",
        subscriber_only=True,
        free_on=timezone.now().date() + dt.timedelta(days=30),
        comment_count=7,
    )
    MergeWindowItemFactory.create(release=release, article=free, text="Free item.")
    HardwareDeviceFactory.create(release=release, article=free, category="Graphics")
    items = [
        MergeWindowItemFactory.create(release=release, article=locked, text=f"Locked {n}.")
        for n in range(3)
    ]
    for _ in range(2):
        HardwareDeviceFactory.create(release=release, article=locked, category=SECRET_CATEGORY)
    comment = CommentFactory.create(article=locked)
    faccessat2 = Entity.objects.create(
        kind="syscall", name="faccessat2", introduced_in=items[0], introduced_release=release
    )
    hidden = Entity.objects.create(kind="syscall", name=HIDDEN)
    beside = Entity.objects.create(kind="syscall", name=BESIDE)
    accepted = MentionStatus.ACCEPTED
    Mention.objects.create(entity=faccessat2, article=free, sentence="Free.", status=accepted)
    Mention.objects.create(entity=faccessat2, merge_item=items[0], sentence="L.", status=accepted)
    Mention.objects.create(entity=faccessat2, comment=comment, sentence="C.", status=accepted)
    Mention.objects.create(entity=hidden, merge_item=items[1], sentence="L.", status=accepted)
    Mention.objects.create(entity=beside, merge_item=items[0], sentence="L.", status=accepted)
    return Archive(free=free, locked=locked)


@pytest.fixture(params=["anonymous", "subscriber"])
def persona(request: pytest.FixtureRequest, client: Client, db: None) -> str:
    if request.param == "subscriber":
        client.force_login(request.getfixturevalue("subscriber"))
    return str(request.param)


def _json(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.json()


def test_comment_counts_of_locked_articles_are_hidden(
    archive: Archive, client: Client, persona: str
) -> None:
    page = client.get(f"/editions/{archive.locked.edition.lwn_id}/").content.decode()  # type: ignore[union-attr]
    assert ("7 comments" in page) is (persona == "subscriber")
    article = _json(client, f"/api/v1/articles/{archive.locked.lwn_id}/")
    assert article["comment_count"] == (None if persona == "anonymous" else 7)


def test_an_entity_named_only_in_locked_text_is_not_shown(
    archive: Archive, client: Client, persona: str
) -> None:
    expected = 404 if persona == "anonymous" else 200
    for url in (
        f"/entities/syscall/{HIDDEN}/",
        f"/api/v1/entities/syscall/{HIDDEN}/",
        f"/feeds/entities/syscall/{HIDDEN}/",
    ):
        assert client.get(url).status_code == (404 if "feeds" in url else expected), url
    names = {e["name"] for e in _json(client, "/api/v1/entities/?kind=syscall")["results"]}
    assert (HIDDEN in names) is (persona == "subscriber")
    page = client.get("/entities/?kind=syscall").content.decode()
    assert (HIDDEN in page) is (persona == "subscriber")


def test_entity_pages_count_and_relate_only_visible_mentions(
    archive: Archive, client: Client, persona: str
) -> None:
    anonymous = persona == "anonymous"
    detail = _json(client, "/api/v1/entities/syscall/faccessat2/")
    assert detail["mention_count"] == (1 if anonymous else 3)
    assert detail["mention_counts"]["comment"] == (0 if anonymous else 1)
    assert detail["introduced"] == (None if anonymous else "5.8")
    assert (detail["introduced_in"] is None) is anonymous
    assert ({r["name"] for r in detail["related"]} == set()) is anonymous
    listed = _json(client, "/api/v1/entities/?name=faccessat2")["results"][0]
    assert (listed["mention_count"], listed["introduced"]) == (
        (1, None) if anonymous else (3, "5.8")
    )
    assert bool(_json(client, "/api/v1/entities/?introduced=5.8")["results"]) is not anonymous
    page = client.get("/entities/syscall/faccessat2/")
    html = page.content.decode()
    assert page.context["page"].paginator.count == (1 if anonymous else 3)
    assert ("introduced in" in html) is not anonymous
    assert (BESIDE in html) is not anonymous
    rows = client.get("/entities/?kind=syscall").context["page"].object_list
    assert {e.name: e.mention_count for e in rows}["faccessat2"] == (1 if anonymous else 3)


def test_entity_feeds_stay_anonymous(archive: Archive, client: Client, subscriber: User) -> None:
    """A feed is anonymous whoever asks: the entity known from a free text still has one."""
    client.force_login(subscriber)
    assert client.get("/feeds/entities/syscall/faccessat2/").status_code == 200
    assert client.get(f"/feeds/entities/syscall/{HIDDEN}/").status_code == 404

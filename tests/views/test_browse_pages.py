"""The server-rendered browsing pages, with their query counts pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Comment
from tests.factories import ArticleFactory, CommentFactory, EditionFactory

pytestmark = pytest.mark.django_db


def test_it_lists_editions_by_year(
    client: Client, archive: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):
        response = client.get("/editions/?year=2020")
    assert response.status_code == 200
    body = response.content.decode()
    assert "LWN.net Weekly Edition for June 11, 2020" in body
    assert "March 26, 2015" not in body
    assert 'href="?year=2015"' in body
    bad = client.get("/editions/?year=oops")  # a 4xx that says why, not a silent fallback
    assert (bad.status_code, b"year must be" in bad.content) == (400, True)


def test_it_shows_an_edition_by_section_with_bylines_and_counts(
    client: Client, archive: None, django_assert_num_queries
) -> None:
    # the edition, its items, their bylines, the previous and the next edition
    with django_assert_num_queries(5):
        response = client.get("/editions/822335/")
    body = response.content.decode()
    assert "<h2" in body
    assert "Front page" in body
    assert "5.8 Merge window, part 1" in body
    assert "Jake Edge" in body
    assert "12 comments" in body
    assert client.get("/editions/1/").status_code == 404


def test_it_renders_an_article_with_its_threaded_comments(
    client: Client, archive: None, django_assert_num_queries
) -> None:
    # the article, its byline, its merge-window items, its edition's items, the comments
    with django_assert_num_queries(5):
        response = client.get("/articles/821729/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "A crop of new capabilities" in body
    assert "Jonathan Corbet" in body
    total = Comment.objects.filter(article__lwn_id=821729).count()
    assert f"Comments ({total})" in body
    first = Comment.objects.filter(article__lwn_id=821729).order_by("thread_position").first()
    assert first is not None
    assert f'id="c{first.lwn_id}"' in body
    assert "<details open>" in body
    assert 'class="replies"' in body


def test_it_loads_a_thread_of_any_size_in_a_constant_number_of_queries(
    client: Client, django_assert_num_queries
) -> None:
    article = ArticleFactory.create()
    parent = None
    for n in range(60):  # a deep chain and many roots
        parent = CommentFactory.create(
            article=article,
            thread_position=n,
            parent=parent if n % 3 else None,
            depth=0 if n % 3 == 0 else (parent.depth + 1 if parent else 0),
        )
    with django_assert_num_queries(5):
        response = client.get(f"/articles/{article.lwn_id}/")
    assert response.content.decode().count('class="comment"') == 60


def test_it_shows_only_the_summary_of_a_locked_article_to_anonymous_users(
    client: Client, subscriber: object
) -> None:
    future = timezone.now().date() + dt.timedelta(days=5)
    article = ArticleFactory.create(
        subscriber_only=True, free_on=future, body_html="<p>SECRET BODY</p>"
    )
    CommentFactory.create(article=article, body_html="<p>SECRET COMMENT</p>")
    body = client.get(f"/articles/{article.lwn_id}/").content.decode()
    assert "SECRET" not in body
    assert "subscribers only until" in body
    client.force_login(subscriber)  # type: ignore[arg-type]
    body = client.get(f"/articles/{article.lwn_id}/").content.decode()
    assert "SECRET BODY" in body
    assert "SECRET COMMENT" in body


def test_it_shows_a_release_with_groups_hardware_and_neighbours(
    client: Client, archive: None, django_assert_num_queries
) -> None:
    from articles.models import KernelRelease

    KernelRelease.objects.create(version="5.7")
    KernelRelease.objects.create(version="5.10")
    # The release, its items, devices, every release in order (for the neighbours and the
    # chart's window), its articles, and the window's item counts.
    with django_assert_num_queries(6):
        response = client.get("/releases/5.8/")
    body = response.content.decode()
    assert "Core kernel" in body
    assert "faccessat2" in body
    assert "Graphics" in body
    assert "Leadtek LTK050H3146W panels" in body
    assert 'rel="prev" href="/releases/5.7/"' in body
    assert 'rel="next" href="/releases/5.10/"' in body
    assert client.get("/releases/9.99/").status_code == 404
    assert client.get("/releases/").status_code == 200


def test_it_filters_and_sorts_hardware_in_the_url(
    client: Client, archive: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(4):
        response = client.get("/hardware/?category=Graphics&release=5.8&sort=name")
    body = response.content.decode()
    assert "5 devices" in body
    names = [n for n in ("ASUS Z00T", "Chrontel CH7033", "Leadtek") if n in body]
    assert names == ["ASUS Z00T", "Chrontel CH7033", "Leadtek"]
    assert body.index("ASUS Z00T") < body.index("Leadtek")
    assert "1 device" in client.get("/hardware/?q=OV2740").content.decode()


def test_it_shows_import_status_to_staff_only(
    client: Client, archive: None, staff: object, subscriber: object
) -> None:
    assert client.get("/imports/").status_code == 302
    client.force_login(subscriber)  # type: ignore[arg-type]
    assert client.get("/imports/").status_code == 302
    client.force_login(staff)  # type: ignore[arg-type]
    response = client.get("/imports/?outcome=ok")
    assert response.status_code == 200
    assert "edition-2020-06-11-bigpage.html" in response.content.decode()


def test_it_links_home_to_editions_and_releases(client: Client, archive: None) -> None:
    EditionFactory.create()
    body = client.get("/").content.decode()
    assert 'href="/editions/822335/"' in body
    assert 'href="/releases/5.8/"' in body


def test_it_lists_releases_and_import_runs_in_a_fixed_number_of_queries(
    client: Client, archive: None, staff: object, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        assert client.get("/releases/").status_code == 200
    client.force_login(staff)  # type: ignore[arg-type]
    # session and user, nine counts for the summary, the page count and the page of runs
    with django_assert_num_queries(13):
        assert client.get("/imports/").status_code == 200

"""The pictures on the home, release, entity and author pages: there, true, and in a
number of queries that does not grow with the archive."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleAuthor, Author, Entity, KernelRelease, Mention
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    HardwareDeviceFactory,
    MergeWindowItemFactory,
)
from tests.views.chart_helpers import current, figure, links, numbers

pytestmark = pytest.mark.django_db

FUTURE = dt.date(2999, 1, 1)
GROUPS = ("Core kernel", "Filesystems")


def build(editions: int, *, start: dt.date = dt.date(2019, 1, 3)) -> None:
    """``editions`` editions, 120 days apart from ``start``, each with a feature by Ada
    Writer naming faccessat2() and CAP_BPF, a merge-window item for 5.8 and a 5.8 device."""
    release, _ = KernelRelease.objects.get_or_create(version="5.8")
    ada, _ = Author.objects.get_or_create(name="Ada Writer", defaults={"login": "ada"})
    syscall, _ = Entity.objects.get_or_create(kind="syscall", name="faccessat2")
    cap, _ = Entity.objects.get_or_create(kind="capability", name="CAP_BPF")
    offset = Article.objects.count()
    for n in range(editions):
        edition = EditionFactory.create(date=start + dt.timedelta(days=120 * n))
        article = ArticleFactory.create(
            edition=edition, body_text=f"Feature {n} text. " * 10, title=f"Feature {n + offset}"
        )
        ArticleAuthor.objects.create(article=article, author=ada)
        Mention.objects.create(entity=syscall, article=article, sentence="faccessat2()")
        Mention.objects.create(entity=cap, article=article, sentence="CAP_BPF")
        item = MergeWindowItemFactory.create(release=release, article=article, group=GROUPS[n % 2])
        if n == 0 and not syscall.introduced_in_id:
            syscall.introduced_in, syscall.introduced_release = item, release
            syscall.save()
        HardwareDeviceFactory.create(release=release, article=article, category="Graphics")


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    ["/", "/releases/5.8/", "/entities/syscall/faccessat2/", "/authors/Ada%20Writer/", "/authors/"],
)
def test_it_renders_each_picture_page_in_the_same_queries_for_2_and_10_editions(
    client: Client, url: str
) -> None:
    build(2)
    few = queries(client, url)
    build(8)
    assert queries(client, url) == few


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", 8),
        ("/releases/5.8/", 6),  # the releases in order read once, for both neighbours and chart
        ("/entities/syscall/faccessat2/", 6),  # first and latest mention in one query
        ("/authors/Ada%20Writer/", 6),
        ("/authors/", 2),
    ],
)
def test_it_pins_the_query_count_of_each_picture_page(
    client: Client, url: str, expected: int
) -> None:
    build(3)
    queries(client, url)  # the home page's first request after a new edition sums the trends
    assert queries(client, url) == expected


def test_it_draws_editions_per_year_features_merge_window_and_trends_on_home(
    client: Client,
) -> None:
    build(8)  # 2019-01-03 in 120-day steps: 4 in 2019, 3 in 2020, 2021-04-22
    body = client.get("/").content.decode()
    assert numbers(body, "home-editions") == {"2019": 4, "2020": 3, "2021": 1}
    assert links(body, "home-editions")["2020 3 editions"] == "/editions/?year=2020"
    assert "<svg" in figure(body, "home-editions")
    assert 'role="group"' in figure(body, "home-editions")  # its bars are links
    # The newest edition's feature, its blurb and its byline linking to the author page.
    assert "Feature 7" in body
    assert "Feature 7 text. Feature 7 text." in body
    assert '<a class="author" href="/authors/Ada%20Writer/">Ada Writer</a>' in body
    assert numbers(body, "home-merge-window") == {"Core kernel": 4, "Filesystems": 4}
    # The year up to 2021-04-22 has 4 articles, the year before it 3.
    assert numbers(body, "home-trending") == {"CAP_BPF (3 → 4)": 1, "faccessat2() (3 → 4)": 1}


def test_it_counts_trends_relative_to_the_newest_edition(client: Client) -> None:
    build(2, start=dt.date(2001, 6, 1))  # 2001-06-01, 2001-09-29: the year before
    build(1, start=dt.date(1995, 1, 1))  # in neither year
    build(3, start=dt.date(2002, 6, 1))  # up to 2003-01-27: the last year
    body = client.get("/").content.decode()
    trends = numbers(body, "home-trending")
    assert trends["faccessat2() (2 → 3)"] == 1
    assert "/entities/syscall/faccessat2/" in links(body, "home-trending").values()


def test_it_leaves_locked_articles_out_of_trends_and_blurbs(client: Client) -> None:
    build(3, start=dt.date(2020, 1, 1))
    Article.objects.update(subscriber_only=True, free_on=FUTURE)
    body = client.get("/").content.decode()
    assert "home-trending" not in body
    assert "Feature 2 text." not in body
    assert "subscriber-only until Jan 1, 2999" in body


def test_it_draws_groups_devices_and_the_release_among_its_neighbours(client: Client) -> None:
    build(5)
    for version in ("5.6", "5.7", "5.9"):
        KernelRelease.objects.create(version=version)
    MergeWindowItemFactory.create(release=KernelRelease.objects.get(version="5.9"))
    body = client.get("/releases/5.8/").content.decode()
    assert numbers(body, "release-groups") == {"Core kernel": 3, "Filesystems": 2}
    assert numbers(body, "release-hardware") == {"Graphics": 5}
    assert links(body, "release-hardware")["Graphics 5 devices"] == (
        "/hardware/?category=Graphics&release=5.8"
    )
    assert numbers(body, "release-timeline") == {"5.6": 0, "5.7": 0, "5.8": 5, "5.9": 1}
    assert current(body, "release-timeline") == ["5.8"]
    assert links(body, "release-timeline")["5.9 1 items"] == "/releases/5.9/"
    assert 'datetime="2019-01-03"' in body  # the merge window's first article
    assert 'datetime="2020-04-27"' in body  # and its last: 2019-01-03 + 4 times 120 days


def test_it_keeps_the_timeline_to_twenty_releases_around_this_one(client: Client) -> None:
    for minor in range(30):
        KernelRelease.objects.create(version=f"4.{minor}")
    body = client.get("/releases/4.3/").content.decode()
    timeline = list(numbers(body, "release-timeline"))
    assert timeline == [f"4.{minor}" for minor in range(20)]
    body = client.get("/releases/4.20/").content.decode()
    assert list(numbers(body, "release-timeline")) == [f"4.{minor}" for minor in range(10, 30)]


def test_it_draws_mentions_per_year_with_the_introduction_marked(client: Client) -> None:
    build(8)
    body = client.get("/entities/syscall/faccessat2/").content.decode()
    assert numbers(body, "entity-years") == {"2019": 4, "2020": 3, "2021": 1}
    svg = figure(body, "entity-years")
    assert 'class="marker"' in svg
    assert ">Linux 5.8</text>" in svg
    assert "dashed line marks 2019" in svg
    assert 'First mentioned\n      <a href="/articles/' in body
    assert "(Feature 0)" in body
    assert "(Feature 7)" in body
    assert numbers(body, "entity-related") == {"CAP_BPF (capability)": 8}
    assert links(body, "entity-related")["CAP_BPF (capability) 8 shared texts"] == (
        "/entities/capability/CAP_BPF/"
    )


def test_it_shows_an_author_with_years_subjects_and_newest_articles(client: Client) -> None:
    build(5)
    person = Entity.objects.create(kind="person", name="Ada Writer")
    Mention.objects.create(entity=person, article=Article.objects.first(), sentence="Ada")
    body = client.get("/authors/Ada%20Writer/").content.decode()
    assert numbers(body, "author-years") == {"2019": 4, "2020": 1}
    assert numbers(body, "author-entities") == {"CAP_BPF": 5, "faccessat2()": 5}
    newest = body.index("Newest articles")
    assert body.index("Feature 4", newest) < body.index("Feature 0", newest)


def test_it_leaves_an_authors_locked_articles_out_of_their_subjects(client: Client) -> None:
    build(2)
    Article.objects.filter(title="Feature 0").update(subscriber_only=True, free_on=FUTURE)
    body = client.get("/authors/Ada%20Writer/").content.decode()
    assert numbers(body, "author-entities") == {"CAP_BPF": 1, "faccessat2()": 1}


def test_it_redirects_an_authors_login_and_other_cases_and_404s_strangers(client: Client) -> None:
    build(1)
    for spelling in ("ada", "ada%20writer"):
        response = client.get(f"/authors/{spelling}/")
        assert response.status_code == 301
        assert response["Location"] == "/authors/Ada%20Writer/"
    assert client.get("/authors/Nobody/").status_code == 404


def test_it_tells_apart_authors_whose_names_differ_only_in_case(client: Client) -> None:
    build(1)
    Author.objects.create(name="ADA WRITER")
    assert client.get("/authors/ADA%20WRITER/").status_code == 200
    assert client.get("/authors/Ada%20Writer/").status_code == 200


def test_it_lists_authors_with_their_article_counts(client: Client) -> None:
    build(3)
    body = client.get("/authors/").content.decode()
    assert '<a href="/authors/Ada%20Writer/">Ada Writer</a></th><td>3</td>' in body

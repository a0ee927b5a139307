"""Navigation and reading: edition and article neighbours, contents and blurbs, the year
calendar, merge-window items linked both ways, first-mention links, folded threads and
labels that are true on the day shown. Query counts pinned, whatever the archive's size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from articles.models import Article, Edition, MergeWindowItem
from tests.factories import ArticleFactory, CommentFactory, EditionFactory

pytestmark = pytest.mark.django_db


def test_it_links_an_edition_to_the_editions_before_and_after_it(
    client: Client, archive: None
) -> None:
    later = EditionFactory.create(lwn_id=823000, date=dt.date(2020, 6, 18))
    body = client.get("/editions/822335/").content.decode()
    assert '<link rel="prev" href="/editions/' in body
    older = Edition.objects.get(date=dt.date(2015, 3, 26))
    assert f'rel="prev" href="/editions/{older.lwn_id}/"' in body
    assert f'rel="next" href="/editions/{later.lwn_id}/"' in body
    newest = client.get(f"/editions/{later.lwn_id}/").content.decode()
    assert 'rel="next"' not in newest
    assert 'rel="prev" href="/editions/822335/"' in newest


def test_it_shows_an_editions_contents_by_section_and_its_features_blurbs(
    client: Client, archive: None
) -> None:
    body = client.get("/editions/822335/").content.decode()
    contents = body[body.index('id="toc-heading"') : body.index("</nav>", body.index("toc"))]
    anchors = re.findall(r'href="#([^"]+)"', contents)
    assert anchors[:2] == ["s-front-page", "s-security"] or "s-front-page" in anchors
    for anchor in anchors:
        assert f'<h2 id="{anchor}">' in body  # every entry lands on its section
    assert '<p class="blurb">Kees Cook is mapping out the next round of work on seccomp.' in body
    assert "Package(s)" not in body  # brief items have no blurb


def test_it_hides_the_blurb_of_a_locked_feature(client: Client, today: dt.date) -> None:
    ArticleFactory.create(
        subscriber_only=True,
        free_on=today + dt.timedelta(days=3),
        body_text="SECRET FIRST PARAGRAPH",
        edition=EditionFactory.create(lwn_id=777),
    )
    body = client.get("/editions/777/").content.decode()
    assert "SECRET" not in body
    assert "subscriber-only until" in body


@pytest.mark.parametrize("editions", [2, 40])
def test_it_shows_an_edition_in_five_queries_whatever_the_archive_size(
    client: Client, editions: int, django_assert_num_queries
) -> None:
    """The edition, its items, their bylines, the edition before and the one after."""
    rows = EditionFactory.create_batch(editions)
    for edition in rows[:3]:
        ArticleFactory.create_batch(3, edition=edition)
    with django_assert_num_queries(5):
        assert client.get(f"/editions/{rows[1].lwn_id}/").status_code == 200


def test_it_shows_a_year_as_a_calendar_of_months_with_year_navigation(
    client: Client, archive: None, django_assert_num_queries
) -> None:
    EditionFactory.create(lwn_id=700001, date=dt.date(2019, 12, 26))
    with django_assert_num_queries(2):
        body = client.get("/editions/?year=2020").content.decode()
    calendar = body[body.index('<table class="calendar">') : body.index("</table>")]
    assert calendar.count('<th scope="row">') == 12
    june = calendar[calendar.index(">June<") : calendar.index(">July<")]
    assert 'href="/editions/822335/"' in june
    items = Article.objects.filter(edition__lwn_id=822335).count()
    assert '<span class="day">11</span><span class="visually-hidden"> June,</span>' in june
    assert f'<span class="count">{items}<span class="visually-hidden"> items</span>' in june
    assert 'rel="prev" href="?year=2019"' in body  # the year before that has editions
    assert 'rel="next"' not in body
    older = client.get("/editions/?year=2019").content.decode()
    assert 'rel="next" href="?year=2020"' in older
    assert 'rel="prev" href="?year=2015"' in older


@pytest.mark.parametrize("editions", [3, 60])
def test_it_shows_the_archive_in_two_queries_whatever_its_size(
    client: Client, editions: int, django_assert_num_queries
) -> None:
    EditionFactory.create_batch(editions)
    with django_assert_num_queries(2):
        assert client.get("/editions/").status_code == 200


def test_it_calls_an_article_subscriber_only_only_until_its_free_date(
    client: Client, today: dt.date
) -> None:
    edition = EditionFactory.create(lwn_id=778)
    ArticleFactory.create(
        edition=edition, title="Now free", subscriber_only=True, free_on=dt.date(2020, 6, 18)
    )
    ArticleFactory.create(edition=edition, title="Free today", subscriber_only=True, free_on=today)
    locked = ArticleFactory.create(
        edition=edition,
        title="Still locked",
        subscriber_only=True,
        free_on=today + dt.timedelta(days=1),
    )
    body = client.get("/editions/778/").content.decode()
    assert body.count("subscriber-only") == 1
    label = body[body.index("Still locked") :]
    assert "subscriber-only until" in label[: label.index("</li>")]
    free = Article.objects.get(title="Now free")
    assert "subscriber" not in client.get(f"/articles/{free.lwn_id}/").content.decode().lower()
    assert "subscribers only until" in client.get(f"/articles/{locked.lwn_id}/").content.decode()


def test_it_links_an_article_to_its_neighbours_in_the_edition(
    client: Client, archive: None
) -> None:
    body = client.get("/articles/821534/").content.decode()  # third feature of the edition
    assert 'rel="prev" href="/articles/822256/"' in body
    assert 'rel="next" href="/articles/821729/"' in body
    total = Article.objects.filter(edition__lwn_id=822335, lwn_id__isnull=False).count()
    assert f"(item 3 of {total})" in body
    first = client.get("/articles/822349/").content.decode()
    assert 'rel="prev"' not in first
    assert 'rel="next" href="/articles/822256/"' in first


@pytest.mark.parametrize("siblings", [2, 60])
def test_it_shows_an_article_in_five_queries_whatever_its_edition_size(
    client: Client, siblings: int, django_assert_num_queries
) -> None:
    """The article, its byline, its merge-window items, its edition's items, comments."""
    edition = EditionFactory.create()
    articles = ArticleFactory.create_batch(siblings, edition=edition)
    CommentFactory.create_batch(3, article=articles[1])
    with django_assert_num_queries(5):
        assert client.get(f"/articles/{articles[1].lwn_id}/").status_code == 200


def test_it_links_a_merge_window_item_to_its_article_section_and_back(
    client: Client, archive: None
) -> None:
    item = MergeWindowItem.objects.get(article__lwn_id=821534, text__startswith="A new system")
    release = client.get("/releases/5.8/").content.decode()
    assert f'href="/articles/821534/#mw-item-{item.pk}"' in release
    assert "part 1, part 1" not in release
    assert "(5.8 Merge window, part 1)" in release
    article = client.get("/articles/821534/").content.decode()
    assert f'<li id="mw-item-{item.pk}">A new system call' in article
    assert f'href="/releases/5.8/#item-{item.pk}">Linux 5.8 page</a>' in article
    # every item of the article has its anchor, the hardware list's entries too
    count = MergeWindowItem.objects.filter(article__lwn_id=821534).count()
    assert article.count('id="mw-item-') == count == 32


def test_it_leaves_a_hand_edited_merge_window_body_unmarked(client: Client, archive: None) -> None:
    Article.objects.filter(lwn_id=821534).update(body_html="<p>Rewritten by a curator.</p>")
    assert 'id="mw-item-' not in client.get("/articles/821534/").content.decode()


def test_it_links_each_entity_once_per_merge_window_group(client: Client, archive: None) -> None:
    body = client.get("/articles/821534/").content.decode()
    core = body[body.index("<h4>Core kernel</h4>") : body.index("<h4>Filesystems")]
    assert core.count('href="/entities/syscall/faccessat2/"') == 1
    assert core.count("faccessat2()") == 2
    release = client.get("/releases/5.8/").content.decode()
    group = release[release.index(">Core kernel</h3>") :]
    group = group[: group.index("</ul>")]
    assert group.count('href="/entities/syscall/faccessat2/"') == 1


def _chain(article: Article, length: int, *, start: dt.datetime) -> list[object]:
    """A reply chain ``length`` deep, one minute apart."""
    comments: list[object] = []
    parent = None
    for depth in range(length):
        parent = CommentFactory.create(
            article=article,
            parent=parent,
            depth=depth,
            thread_position=len(comments),
            posted_at=start + dt.timedelta(minutes=depth),
        )
        comments.append(parent)
    return comments


def test_it_folds_replies_deeper_than_four_levels_and_expands_them_all(client: Client) -> None:
    article = ArticleFactory.create()
    start = dt.datetime(2020, 6, 11, 12, tzinfo=dt.UTC)
    chain = _chain(article, 8, start=start)
    lone = CommentFactory.create(
        article=article, thread_position=8, posted_at=start - dt.timedelta(days=1)
    )
    body = client.get(f"/articles/{article.lwn_id}/").content.decode()
    # depths 0-4 open, 5-7 folded; the newest (the deepest) keeps its ancestors open
    newest = chain[-1]
    assert f'<a href="#c{newest.lwn_id}">Jump to the newest comment</a>' in body  # type: ignore[attr-defined]
    assert body.count("<details open>") == 9
    # the same chain with an older deep end: the newest is the lone root comment
    lone.posted_at = start + dt.timedelta(days=1)
    lone.save()
    body = client.get(f"/articles/{article.lwn_id}/").content.decode()
    assert f'<a href="#c{lone.lwn_id}">Jump to the newest comment</a>' in body
    assert body.count("<details open>") == 6
    assert body.count("<details>") == 3
    assert "3 replies deeper than 4 levels folded" in body
    assert 'href="?expand=all#comments">Expand all</a>' in body
    expanded = client.get(f"/articles/{article.lwn_id}/?expand=all").content.decode()
    assert expanded.count("<details open>") == 9
    assert "Expand all" not in expanded


def test_it_renders_a_1500_comment_thread_40_deep_in_five_queries(
    client: Client, django_assert_num_queries
) -> None:
    """The archive's largest thread: constant queries; the render time is printed."""
    import statistics
    import time

    from articles.models import Comment

    article = ArticleFactory.create()
    start = dt.datetime(2020, 6, 11, tzinfo=dt.UTC)
    rows: list[Comment] = []
    # 37 chains 40 deep (ids assigned before insert, so parents are known), plus roots.
    pk = (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for n in range(1500):
        depth = n % 40 if n < 1480 else 0
        parent_id = pk + n - 1 if depth else None
        rows.append(
            Comment(
                pk=pk + n,
                lwn_id=950000 + n,
                article=article,
                parent_id=parent_id,
                depth=depth,
                thread_position=n,
                poster_name=f"poster {n % 50}",
                posted_at=start + dt.timedelta(minutes=n * 7 % 1500),
                title=f"Comment {n}",
                body_html=f"<p>Reply {n} about io_uring and mmap() and CAP_BPF.</p>",
                body_text=f"Reply {n} about io_uring and mmap() and CAP_BPF.",
            )
        )
    Comment.objects.bulk_create(rows)
    url = f"/articles/{article.lwn_id}/"
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.content.decode().count('class="comment"') == 1500
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - began)
    print(f"\n1,500-comment thread, depth 40: median {statistics.median(timings) * 1000:.0f} ms")


@pytest.mark.parametrize("releases", [2, 40])
def test_it_shows_a_release_in_six_queries_whatever_the_number_of_releases(
    client: Client, archive: None, releases: int, django_assert_num_queries
) -> None:
    """The release, its items, its devices, every release in order (its neighbours and the
    chart's window), its articles, the window's item counts."""
    from articles.models import KernelRelease

    for minor in range(releases):
        KernelRelease.objects.create(version=f"4.{minor}")
    with django_assert_num_queries(6):
        body = client.get("/releases/5.8/").content.decode()
    assert f'rel="prev" href="/releases/4.{releases - 1}/"' in body

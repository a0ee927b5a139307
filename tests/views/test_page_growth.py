"""Pages whose cost must not grow with the archive: the paywall read as index ranges, the
entity timeline on literal locked ids, hardware categories by index hops, release and
hardware rows without their articles' bodies, a year's editions counted per edition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Edition, Entity, HardwareDevice, KernelRelease, Mention
from articles.selectors import entity_mentions
from articles.selectors.editions import edition_years
from articles.selectors.entities import entity_get
from articles.selectors.hardware import (
    DevicesByRelease,
    hardware_categories,
    hardware_page_source,
    hardware_search,
)
from articles.selectors.releases import release_page
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    EditionFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)
from tests.plans import executed_plan, plan_nodes

pytestmark = pytest.mark.django_db


def _paywalled() -> dict[str, Article]:
    """One article of each paywall state, as of when it is called."""
    today = timezone.now().date()
    return {
        "free": ArticleFactory.create(),
        "freed": ArticleFactory.create(subscriber_only=True, free_on=today - dt.timedelta(days=3)),
        "free today": ArticleFactory.create(subscriber_only=True, free_on=today),
        "undated": ArticleFactory.create(subscriber_only=True, free_on=None),
        "later": ArticleFactory.create(subscriber_only=True, free_on=today + dt.timedelta(days=2)),
    }


def test_it_reads_the_locked_articles_as_the_paywall_rule_says(subscriber: User) -> None:
    articles = _paywalled()
    locked = Article.objects.locked_pks_for(AnonymousUser())
    assert locked is not None
    expected = set(Article.objects.locked_for(AnonymousUser()).values_list("pk", flat=True))
    assert set(locked.values_list("pk", flat=True)) == expected
    assert expected == {articles["undated"].pk, articles["later"].pk}
    assert Article.objects.locked_pks_for(subscriber) is None


def test_it_hides_a_locked_articles_devices_through_the_index_ranges(subscriber: User) -> None:
    articles = _paywalled()
    for name, article in articles.items():
        HardwareDeviceFactory.create(article=article, name=name)
    shown = {d.name for d in hardware_search(user=AnonymousUser())}
    assert shown == {"free", "freed", "free today"}
    assert len(hardware_search(user=subscriber)) == len(articles)


def test_it_lists_the_hardware_categories_a_user_may_see_in_one_query(
    subscriber: User, django_assert_num_queries
) -> None:
    articles = _paywalled()
    HardwareDeviceFactory.create(article=articles["free"], category="Graphics")
    HardwareDeviceFactory.create(article=articles["free"], category="Audio")
    HardwareDeviceFactory.create(article=articles["later"], category="Audio")
    HardwareDeviceFactory.create(article=articles["later"], category="Secret sensors")
    HardwareDeviceFactory.create(article=articles["freed"], category="USB")
    with django_assert_num_queries(1):
        assert hardware_categories(user=AnonymousUser()) == ["Audio", "Graphics", "USB"]
    subscriber.has_perm("articles.view_subscriber_content")  # its permissions, read once
    with django_assert_num_queries(1):
        assert hardware_categories(user=subscriber) == [
            "Audio",
            "Graphics",
            "Secret sensors",
            "USB",
        ]
    HardwareDevice.objects.all().delete()
    assert hardware_categories(user=subscriber) == []


def test_it_lists_devices_without_their_source_articles(client: Client) -> None:
    article = ArticleFactory.create(body_html="<p>" + "merge window " * 500 + "</p>")
    HardwareDeviceFactory.create_batch(3, article=article, category="Graphics")
    devices = list(hardware_search(user=AnonymousUser(), category="Graphics"))
    assert len(devices) == 3
    assert all("article" not in d._state.fields_cache for d in devices)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/hardware/?category=Graphics").content.decode()
    assert body.count("<td>Graphics</td>") == 3
    assert body.count('<td><a href="/releases/5.8/">5.8</a></td>') == 3  # reversed once
    assert "<option>5.8</option>" in body  # the release filter's choices
    assert not any("body_html" in q["sql"] for q in queries.captured_queries)


def test_it_shows_a_releases_items_without_their_articles_bodies() -> None:
    release = KernelReleaseFactory.create(version="6.1")
    source = ArticleFactory.create(title="The 6.1 merge window", body_text="long " * 1000)
    elsewhere = ArticleFactory.create(lwn_id=None, title="An LWN page only")
    MergeWindowItemFactory.create_batch(3, release=release, article=source)
    MergeWindowItemFactory.create(release=release, article=elsewhere)
    page = release_page(release=release, user=AnonymousUser())
    items = [item for _, group in page.groups for item in group]
    assert len(items) == 4
    assert all({"body_html", "body_text"} <= item.article.get_deferred_fields() for item in items)
    hrefs = {item.source_href for item in items}  # type: ignore[attr-defined]
    assert hrefs == {f"/articles/{source.lwn_id}/", ""}
    assert [r.version for r in page.releases] == ["6.1"]


def test_it_counts_each_edition_of_a_year_by_itself(
    client: Client, django_assert_num_queries
) -> None:
    busy = EditionFactory.create(lwn_id=700100, date=dt.date(2003, 5, 8))
    EditionFactory.create(lwn_id=700101, date=dt.date(2003, 5, 15))  # no items yet
    EditionFactory.create(lwn_id=700102, date=dt.date(2004, 1, 8))
    ArticleFactory.create_batch(4, edition=busy)
    with django_assert_num_queries(2):
        body = client.get("/editions/?year=2003").content.decode()
    calendar = body[body.index('<table class="calendar">') : body.index("</table>")]
    assert '<span class="count">4<span class="visually-hidden"> items</span>' in calendar
    assert '<span class="count">0<span class="visually-hidden"> items</span>' in calendar
    assert 'rel="next" href="?year=2004"' in body
    assert '<a href="?year=2004">2004</a></li><li><a href="?year=2003" aria-current' in body


def test_it_lists_the_years_that_have_editions_newest_first_with_gaps_kept() -> None:
    # On PostgreSQL one probe of the date index per year (a recursive query), not a read
    # of every edition: the years with several editions, the gaps and the undated must
    # come out as a DISTINCT over every row would give them.
    for lwn_id, day in enumerate(
        [
            dt.date(1998, 1, 22),
            dt.date(1998, 12, 31),
            dt.date(2001, 1, 1),
            None,
            dt.date(2020, 6, 11),
        ]
    ):
        EditionFactory.create(lwn_id=700300 + lwn_id, date=day, title=f"Edition {lwn_id}")
    assert edition_years() == [2020, 2001, 1998]
    assert edition_years() == [d.year for d in Edition.objects.dates("date", "year", order="DESC")]


def test_it_has_no_years_without_editions(db: None) -> None:
    assert edition_years() == []


def test_it_writes_a_years_editions_escaped_and_counted_in_words(client: Client) -> None:
    # The calendar and the list are written by the view, not the template: the escaping
    # and the singular are its own.
    one = EditionFactory.create(lwn_id=700200, date=dt.date(2005, 3, 3), title="<b>A & B</b>")
    ArticleFactory.create(edition=one)
    body = client.get("/editions/?year=2005").content.decode()
    assert "<b>A" not in body
    assert '<a href="/editions/700200/">&lt;b&gt;A &amp; B&lt;/b&gt;</a>' in body
    assert '<span class="muted">(1 item)</span>' in body
    assert '<span class="count">1<span class="visually-hidden"> item</span>' in body
    assert '<tr class="empty"><th scope="row">January</th><td class="muted">no editions' in body


def _entity_with_locked_texts() -> Entity:
    """An entity named in free and locked articles, their items, devices and comments."""
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    for article in _paywalled().values():
        item = MergeWindowItemFactory.create(article=article)
        device = HardwareDeviceFactory.create(article=article)
        comment = CommentFactory.create(article=article)
        for target in (
            {"article": article},
            {"merge_item": item},
            {"hardware": device},
            {"comment": comment},
        ):
            Mention.objects.create(entity=entity, sentence="faccessat2()", **target)
    Mention.objects.create(
        entity=entity, article=ArticleFactory.create(), sentence="x", status="rejected"
    )
    return entity


@pytest.mark.parametrize("persona", ["anonymous", "subscriber"])
def test_it_shows_the_same_timeline_from_the_locked_ids_as_the_paywall_rule(
    request: pytest.FixtureRequest, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    entity = _entity_with_locked_texts()
    rule = list(Mention.objects.filter(entity=entity).visible_to(user).order_by("pk"))
    counts = entity_mentions.entity_counts(entity=entity, user=user)
    if connection.vendor == "postgresql":
        assert counts.locked is not None  # read once, for the counts and the timeline
    page, rows = entity_mentions.entity_timeline(entity=entity, user=user, counts=counts)
    assert sorted(row.mention.pk for row in rows) == [m.pk for m in rule]
    assert page.paginator.count == len(rule)
    first, latest = entity_mentions.entity_first_and_latest(entity=entity, user=user, counts=counts)
    alone = entity_mentions.entity_first_and_latest(entity=entity, user=user)
    assert (first and first.mention.pk, latest and latest.mention.pk) == (
        alone[0] and alone[0].mention.pk,
        alone[1] and alone[1].mention.pk,
    )
    hidden = len(rule) != Mention.objects.filter(entity=entity).exclude(status="rejected").count()
    assert hidden == (persona == "anonymous")


def test_it_links_a_release_groups_items_once_and_reuses_the_result() -> None:
    from articles.templatetags.entity_links import _sections_linked, with_entity_links

    release = KernelReleaseFactory.create(version="6.2")
    items = [
        MergeWindowItemFactory.create(release=release, html=f"<p>CAP_BPF and {name}()</p>")
        for name in ("faccessat2", "setns")
    ]
    _sections_linked.cache_clear()
    first = with_entity_links(items)
    again = with_entity_links(items)
    assert _sections_linked.cache_info().hits == 1
    assert [html for _, html in first] == [html for _, html in again]
    assert [item for item, _ in again] == items
    assert first[0][1].count('class="entity"') == 2  # CAP_BPF and faccessat2()
    assert first[1][1].count('class="entity"') == 1  # setns() only: CAP_BPF was linked
    items[1].html = "<p>CAP_BPF and pidfd_open()</p>"
    changed = with_entity_links(items)
    assert "pidfd_open" in changed[1][1]
    assert _sections_linked.cache_info().misses == 2


def test_it_pages_devices_in_release_order_reading_only_the_releases_a_page_spans(
    django_assert_num_queries,
) -> None:
    articles = _paywalled()
    # Versions whose text order is not their numeric order (5.10 after 5.9), releases
    # of different sizes, a category to filter out, and locked articles' devices.
    position = iter(range(1000, 0, -1))  # listed in the opposite order to their ids
    for version, count in (("5.9", 7), ("5.10", 3), ("5.8", 12), ("6.1", 1), ("4.20", 5)):
        release = KernelReleaseFactory.create(version=version)
        for n in range(count):
            article = list(articles.values())[n % len(articles)]
            for category in ("Graphics", "Sound"):
                HardwareDeviceFactory.create(
                    release=release, article=article, category=category, position=next(position)
                )
    versions = dict(KernelRelease.objects.values_list("pk", "version"))
    for sort in ("-release", "release"):
        source = hardware_page_source(user=AnonymousUser(), category="Graphics", sort=sort)
        assert isinstance(source, DevicesByRelease)
        whole = list(hardware_search(user=AnonymousUser(), category="Graphics", sort=sort))
        assert len(whole) == 20  # 28 devices, 8 of them under locked articles
        with django_assert_num_queries(1):
            assert source.count() == len(whole)
        for start in range(0, 20, 3):
            for size in (1, 4, 50):
                with django_assert_num_queries(1):
                    page = source[start : start + size]
                assert [d.pk for d in page] == [d.pk for d in whole[start : start + size]]
                shown = [getattr(d, "release_version", None) for d in page]
                assert shown == [versions[d.release_id] for d in page]
    assert not isinstance(hardware_page_source(user=AnonymousUser(), sort="name"), DevicesByRelease)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_it_looks_up_an_entity_reading_one_shown_mention_in_its_day_index() -> None:
    # Whether a reader may see the entity at all: EXISTS over every mention let
    # PostgreSQL build a bitmap of all of them first (20,376 for the busiest entity at
    # full size); the newest shown mention, in the (entity, day, id) index's order,
    # stops at the first one.
    ArticleFactory.create(subscriber_only=True, free_on=None)  # something is locked
    article = ArticleFactory.create()
    busy = Entity.objects.create(kind="syscall", name="openat2")
    comments = CommentFactory.create_batch(200, article=article)
    Mention.objects.bulk_create([Mention(entity=busy, comment=c) for c in comments])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        assert entity_get(kind="syscall", name="openat2", user=AnonymousUser()) == busy
    read = [
        (node.get("Index Name"), node["Actual Rows"])
        for node in plan_nodes(executed_plan(queries.captured_queries[-1]["sql"]))
        if node.get("Relation Name") == "articles_mention"
    ]
    assert ("mention_entity_day", 1) in read
    assert all(rows <= 1 for _, rows in read)
    hidden = Entity.objects.create(kind="syscall", name="secret_call")
    locked = ArticleFactory.create(subscriber_only=True, free_on=None)
    Mention.objects.create(entity=hidden, comment=CommentFactory.create(article=locked))
    assert entity_get(kind="syscall", name="secret_call", user=AnonymousUser()) is None

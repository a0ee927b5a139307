"""Kept tallies, pairs and ``Mention.day`` stay equal to counting the mentions themselves.

Every write path is exercised against the real PostgreSQL triggers: import and link,
relink, re-import, a text's new date, curation (accept, reject, merge, rename, add)
and deletion. The selectors that read the tallies answer what the live counts answer,
for a reader with locked texts and for a subscriber. So do the home page's kept trends
(``EntityTrend``), summed once before the writes and kept by triggers through them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import Coalesce, TruncDate
from django.test.utils import CaptureQueriesContext

from articles.models import (
    Article,
    Comment,
    Entity,
    EntityPair,
    EntityTally,
    EntityTrend,
    HardwareDevice,
    ImportRun,
    Mention,
    MentionStatus,
    TrendWindow,
)
from articles.models.tallies import DAILY_SOURCES, UNDATED
from articles.selectors import trends
from articles.selectors.entities import hidden_mentions, locked_article_ids
from articles.selectors.entity_lists import _entity_list_live, entity_list
from articles.selectors.entity_mentions import (
    _by_year,
    _related_live,
    entity_counts,
    entity_first_and_latest,
    entity_related,
    entity_timeline,
)
from articles.selectors.mention_rows import MENTION_TYPES
from articles.services.linking import (
    entities_merge,
    entities_relink_all,
    entity_rename,
    mention_add_manual,
    mention_curate,
)
from articles.services.trends import Window, trends_refresh
from tests.links.conftest import entity, import_and_link
from tests.plans import executed_plan, plan_nodes
from tests.services.conftest import FIXTURE_URLS

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers that keep tallies are PostgreSQL's"
)
_VISIBLE = (MentionStatus.PENDING, MentionStatus.ACCEPTED)


def _source(row: dict[str, object]) -> str:
    return next(t for t in MENTION_TYPES if row[f"{t}_id"])


def _tally_day(source: str, day: dt.date | None) -> dt.date:
    if day is None:
        return dt.date.fromisoformat(UNDATED)
    return day if source in DAILY_SOURCES else dt.date(day.year, 1, 1)


def assert_kept() -> None:
    """Tallies, totals, pairs, days and trends as the mentions are now (rows at zero are
    ignored)."""
    rows = list(
        Mention.objects.annotate(
            when=Coalesce(
                "article__date",
                "merge_item__article__date",
                "hardware__article__date",
                TruncDate("comment__posted_at"),
            )
        ).values("id", "entity_id", "status", "day", "when", *(f"{t}_id" for t in MENTION_TYPES))
    )
    assert [(r["id"], r["day"]) for r in rows] == [(r["id"], r["when"]) for r in rows]
    visible = [r for r in rows if r["status"] in _VISIBLE]
    tallies: Counter[tuple[int, str, dt.date]] = Counter()
    texts: dict[tuple[str, int], list[int]] = {}
    for row in visible:
        source = _source(row)
        tallies[(row["entity_id"], source, _tally_day(source, row["day"]))] += 1
        tallies[(row["entity_id"], "all", dt.date.fromisoformat(UNDATED))] += 1
        year = _tally_day(source, row["day"]).replace(month=1, day=1)
        tallies[(row["entity_id"], "year", year)] += 1
        texts.setdefault((source, row[f"{source}_id"]), []).append(row["entity_id"])
    pairs: Counter[tuple[int, int]] = Counter()
    for entities in texts.values():
        for a in entities:
            for b in entities:
                if a != b:
                    pairs[(a, b)] += 1
    kept = {(t.entity_id, t.source, t.day): t.n for t in EntityTally.objects.exclude(n=0)}
    assert kept == dict(tallies)
    assert {(p.entity_id, p.other_id): p.shared for p in EntityPair.objects.exclude(shared=0)} == (
        dict(pairs)
    )
    assert_trends_kept(visible)


def assert_trends_kept(visible: list[dict[str, object]]) -> None:
    """The kept sums of the kept window are the mentions' counts in it, for every entity."""
    window = Window.up_to(TrendWindow.objects.get().until)
    sums: Counter[tuple[object, str]] = Counter()
    for row in visible:
        day = row["day"]
        if _source(row) in DAILY_SOURCES and isinstance(day, dt.date):
            if window.middle < day <= window.until:
                sums[(row["entity_id"], "recent")] += 1
            elif window.start < day <= window.middle:
                sums[(row["entity_id"], "prior")] += 1
    kept: Counter[tuple[object, str]] = Counter()
    for trend in EntityTrend.objects.all():
        kept[(trend.entity_id, "recent")] += trend.recent
        kept[(trend.entity_id, "prior")] += trend.prior
    assert +kept == +sums


def assert_selectors_agree(user: User | AnonymousUser) -> None:
    """The tallied selectors answer what counting the mentions answers."""
    listed = {(e.pk, e.mention_count) for e in entity_list(user=user)}  # type: ignore[attr-defined]
    live = {(e.pk, e.mention_count) for e in _entity_list_live(user)}  # type: ignore[attr-defined]
    assert listed == live
    for one in Entity.objects.all():
        counts = entity_counts(entity=one, user=user)
        mentions = Mention.objects.filter(entity=one).visible_to(user).order_by()
        assert counts.years == {y: n for y, n in _by_year(mentions).items() if y is not None}
        assert counts.total == mentions.count()
        related = entity_related(entity=one, user=user, counts=counts)
        expected = _related_live(entity=one, user=user, limit=12)
        assert [(e.pk, e.shared) for e in related] == [(e.pk, e.shared) for e in expected]  # type: ignore[attr-defined]
        first, latest = entity_first_and_latest(entity=one, user=user)
        page, rows = entity_timeline(entity=one, user=user, counts=counts)
        assert page.paginator.count == counts.total
        whens = [row.when for row in rows]
        dated = sorted(w for w in whens if w is not None)
        assert whens == dated + [None] * (len(whens) - len(dated))
        if dated:
            assert first is not None
            assert latest is not None
            assert first.when == dated[0]
    until = max(d for d in Article.objects.values_list("date", flat=True) if d is not None)
    middle = until - dt.timedelta(days=365)
    window = {"start": middle - dt.timedelta(days=365), "middle": middle, "until": until}
    kept_counts = trends._trending_tallied(user=user, **window)
    live_counts = trends._trending_live(user=user, **window)
    # Unary +: the counters without their zero counts.
    assert [+c for c in kept_counts] == [+c for c in live_counts]
    # From the kept sums as the triggers left them, then summed again for the newest day.
    for day in (TRENDS_UNTIL, until):
        assert_trends_agree(user, Window.up_to(day))


def assert_trends_agree(user: User | AnonymousUser, window: Window) -> None:
    live = trends._trending_live(
        user=user, start=window.start, middle=window.middle, until=window.until
    )
    for limit in (2, 10_000):
        assert trends.entities_trending(user=user, until=window.until, limit=limit) == (
            trends._from_counts(*live, limit)
        )
    assert TrendWindow.objects.get().until == window.until


@pytest.fixture
def curator() -> User:
    return User.objects.create_user("curator", is_staff=True)


@pytest.fixture
def locked_archive(archive: dict[str, ImportRun]) -> dict[str, ImportRun]:
    """The fixture pages with one commented article still locked today."""
    commented = Comment.objects.values("article_id")[:1]
    Article.objects.filter(pk__in=commented).update(
        subscriber_only=True, free_on=dt.date.today() + dt.timedelta(days=7)
    )
    # The trends of the year the fixtures' 2020 articles end: summed now, kept by triggers.
    assert trends_refresh(until=TRENDS_UNTIL)
    return archive


TRENDS_UNTIL = dt.date(2021, 6, 5)


def test_it_keeps_trends_summed_before_the_first_import(db: None) -> None:
    assert trends_refresh(until=TRENDS_UNTIL)
    for name in FIXTURE_URLS:
        import_and_link(name)
    assert EntityTrend.objects.filter(recent__gt=0).exists()
    assert EntityTrend.objects.filter(prior__gt=0).exists()
    assert_kept()


def test_it_keeps_tallies_and_pairs_while_importing_and_linking(
    locked_archive: dict[str, ImportRun], subscriber: User
) -> None:
    assert EntityTally.objects.exists()
    assert EntityPair.objects.exists()
    assert hidden_mentions(user=AnonymousUser())  # the locked thread's mentions
    assert not hidden_mentions(user=subscriber)
    # The locked article's own mentions fall in the kept trends' last year.
    assert trends._hidden(locked_article_ids(AnonymousUser()), Window.up_to(TRENDS_UNTIL))
    assert_kept()
    assert_selectors_agree(AnonymousUser())
    assert_selectors_agree(subscriber)


def test_it_keeps_them_through_relink_and_reimport(
    locked_archive: dict[str, ImportRun],
) -> None:
    Mention.objects.filter(pk__in=Mention.objects.values("pk")[:20]).delete()
    entities_relink_all()
    assert_kept()
    import_and_link("edition-2020-06-11-bigpage.html", force=True)
    assert_kept()
    assert_selectors_agree(AnonymousUser())


@pytest.mark.parametrize(
    "move",
    [
        # The article of merge-window items and devices: their mentions move with it.
        lambda: Article.objects.filter(
            pk__in=HardwareDevice.objects.values("article_id")[:1]
        ).update(date=dt.date(2001, 2, 3)),
        lambda: Article.objects.filter(pk__in=Article.objects.values("pk")[:1]).update(date=None),
        lambda: Comment.objects.filter(pk__in=Comment.objects.values("pk")[:3]).update(
            posted_at=dt.datetime(2003, 4, 5, tzinfo=dt.UTC)
        ),
    ],
    ids=["article-date", "article-undated", "comment-date"],
)
def test_it_follows_a_text_to_its_new_date(
    locked_archive: dict[str, ImportRun], move: Callable[[], int]
) -> None:
    assert move() > 0
    assert_kept()
    assert_selectors_agree(AnonymousUser())


def test_it_keeps_them_through_curation(
    locked_archive: dict[str, ImportRun], curator: User
) -> None:
    mention_curate(
        mentions=Mention.objects.filter(entity__kind="capability"),
        status=MentionStatus.REJECTED,
        user=curator,
    )
    assert_kept()
    mention_curate(
        mentions=Mention.objects.filter(entity__name="CAP_BPF"),
        status=MentionStatus.ACCEPTED,
        user=curator,
    )
    assert_kept()
    entities_merge(
        source=entity("knob", "memory.swap.high"),
        target=entity("knob", "vm.swappiness"),
        user=curator,
    )
    assert_kept()
    entity_rename(entity=entity("project", "BPF"), name="eBPF", user=curator)
    comment = Comment.objects.order_by("pk").first()
    assert comment is not None
    mention_add_manual(
        entity=entity("syscall", "faccessat2"),
        target=comment,
        sentence="By hand.",
        user=curator,
    )
    assert_kept()
    assert_selectors_agree(AnonymousUser())


def test_it_keeps_them_when_texts_and_entities_go(locked_archive: dict[str, ImportRun]) -> None:
    Comment.objects.filter(pk__in=Comment.objects.values("pk")[:5]).delete()
    assert_kept()
    Article.objects.filter(pk__in=Article.objects.values("pk")[:2]).delete()
    assert_kept()
    Entity.objects.filter(pk__in=Entity.objects.values("pk")[:3]).delete()
    assert_kept()
    Mention.objects.filter(entity__kind="config").update(entity=F("entity"))
    assert_kept()
    assert_selectors_agree(AnonymousUser())


def _rows_read(sql: str, table: str) -> int:
    """The rows ``sql`` reads from ``table``, by ``EXPLAIN ANALYZE``."""
    nodes = plan_nodes(executed_plan(sql))
    return sum(n["Actual Rows"] for n in nodes if n.get("Relation Name") == table)


def test_it_counts_an_entitys_years_from_a_row_a_year(
    locked_archive: dict[str, ImportRun], subscriber: User
) -> None:
    # The entity named in most articles, its articles moved to different days of 2019:
    # a daily tally each, which the year chart must not read (their number grows with
    # the archive; the years' does not).
    busiest = (
        Mention.objects.filter(article__isnull=False)
        .values("entity")
        .annotate(texts=Count("article", distinct=True))
        .order_by("-texts", "entity")
        .first()
    )
    assert busiest is not None
    assert busiest["texts"] >= 3
    named = Entity.objects.get(pk=busiest["entity"])
    texts = Article.objects.filter(mentions__entity=named).distinct().order_by("pk")
    for offset, article in enumerate(texts):
        Article.objects.filter(pk=article.pk).update(date=dt.date(2019, 1, 1 + offset))
    assert_kept()
    tallies = EntityTally.objects.filter(entity=named)
    years = tallies.filter(source="year").count()
    assert tallies.filter(source="article", n__gt=0).count() >= 3
    assert tallies.exclude(source__in=("all", "year")).count() > years

    with CaptureQueriesContext(connection) as queries:
        counts = entity_counts(entity=named, user=subscriber)
    (tally_query,) = [q["sql"] for q in queries if "articles_entitytally" in q["sql"]]
    assert _rows_read(tally_query, "articles_entitytally") == years
    assert counts.years[2019] == Mention.objects.filter(entity=named, day__year=2019).count()

"""Read paths for weekly editions: the recent ones, the archive by year (as a calendar),
one edition with its items, blurbs and neighbours."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Left
from django.utils.text import Truncator

from articles.models import Article, ArticleKind, Edition
from articles.models.editions import edition_name
from articles.selectors.articles import BYLINE

# Enough stored text for a blurb's first paragraph; the rest of a body stays in the table.
BLURB_SOURCE_CHARS = 700
BLURB_WORDS = 40
# The kinds whose first paragraph the edition page shows under the title.
BLURB_KINDS = frozenset({ArticleKind.FEATURE, ArticleKind.GUEST})


def with_article_counts(editions: QuerySet[Edition]) -> QuerySet[Edition]:
    """``editions`` each with its ``article_count``, counted per edition in a subquery on
    the (edition, position) index: PostgreSQL runs it for the rows it returns only, where
    a join and GROUP BY counted every article of the archive first. ``COUNT(*)``, not of
    the id: the id is not in that index, so counting it read each article's row from the
    table (636 blocks for the 53 editions of 1998 at full size); counting rows is an
    index-only scan."""
    return editions.annotate(article_count=_article_count())


def _article_count() -> Coalesce:
    articles = (
        Article.objects.filter(edition=OuterRef("pk"))
        .order_by()
        .values("edition")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(articles), 0)


@dataclass(slots=True)
class EditionRow:
    """An edition as the lists show it (home, a year of the archive): plain values read in
    one query, not a model instance each. A year's 53 instances were most of what the
    archive's page spent per edition, so the page grew with the year it shows."""

    pk: int
    lwn_id: int
    date: dt.date | None
    title: str
    article_count: int
    href: str = ""  # the edition page's, set by the view

    def __str__(self) -> str:
        return edition_name(self.title, self.lwn_id)


def _rows(editions: QuerySet[Edition], *, limit: int | None = None) -> list[EditionRow]:
    counted = editions.annotate(article_count=_article_count()).values_list(
        "pk", "lwn_id", "date", "title", "article_count"
    )
    return [EditionRow(*values) for values in (counted if limit is None else counted[:limit])]


def edition_list_recent(*, limit: int = 10) -> list[EditionRow]:
    """The newest editions with their article counts."""
    return _rows(Edition.objects.order_by("-date", "-lwn_id"), limit=limit)


# Each step finds the newest edition before the year of the last one found: about thirty
# probes of the date index for thirty years, where DISTINCT read and sorted every edition.
_YEARS_SQL = """
WITH RECURSIVE years(day) AS (
    SELECT max(date) FROM {edition}
    UNION ALL
    SELECT (SELECT max(e.date) FROM {edition} e
            WHERE e.date < date_trunc('year', years.day)::date)
    FROM years WHERE years.day IS NOT NULL
)
SELECT extract(year FROM day)::int FROM years WHERE day IS NOT NULL
"""


def edition_years() -> list[int]:
    """Years that have editions, newest first: the database makes the distinct years
    (some thirty) rather than handing over every edition's date."""
    if connection.vendor != "postgresql":
        return [day.year for day in Edition.objects.dates("date", "year", order="DESC")]
    with connection.cursor() as cursor:
        cursor.execute(_YEARS_SQL.format(edition=Edition._meta.db_table))
        return [year for (year,) in cursor.fetchall()]


def edition_list_for_year(*, year: int | None) -> list[EditionRow]:
    """A year's editions (every edition without ``year``), newest first, with counts."""
    editions = Edition.objects.order_by("-date")
    return _rows(editions.filter(date__year=year) if year else editions)


@dataclass
class CalendarMonth:
    """One row of the archive's year calendar: a month and its editions in date order."""

    month: int
    name: str
    editions: list[EditionRow]


def edition_calendar(*, editions: list[EditionRow], year: int) -> list[CalendarMonth]:
    """A year's editions as twelve month rows (a weekly edition gives four or five each)."""
    by_month: dict[int, list[EditionRow]] = {month: [] for month in range(1, 13)}
    for edition in sorted(editions, key=lambda e: (e.date or dt.date.min, e.lwn_id)):
        if edition.date is not None and edition.date.year == year:
            by_month[edition.date.month].append(edition)
    return [
        CalendarMonth(month=month, name=calendar.month_name[month], editions=rows)
        for month, rows in by_month.items()
    ]


def edition_get(*, lwn_id: int) -> Edition | None:
    return Edition.objects.filter(lwn_id=lwn_id).first()


def edition_neighbours(*, edition: Edition) -> tuple[Edition | None, Edition | None]:
    """The editions just before and after ``edition`` by date (then LWN id): two queries."""
    if edition.date is None:
        return None, None
    before = Q(date__lt=edition.date) | Q(date=edition.date, lwn_id__lt=edition.lwn_id)
    after = Q(date__gt=edition.date) | Q(date=edition.date, lwn_id__gt=edition.lwn_id)
    fields = ("lwn_id", "date", "title")
    previous = Edition.objects.filter(before).order_by("-date", "-lwn_id").only(*fields).first()
    following = Edition.objects.filter(after).order_by("date", "lwn_id").only(*fields).first()
    return previous, following


def edition_articles(*, edition: Edition) -> QuerySet[Article]:
    """The edition's items in page order, with bylines and the start of their text (for
    blurbs), in two queries."""
    return (
        Article.objects.filter(edition=edition)
        .order_by("position")
        .defer("body_html", "body_text")
        .annotate(blurb_source=Left("body_text", BLURB_SOURCE_CHARS))
        .prefetch_related(BYLINE)
    )


def article_blurb(article: Article) -> str:
    """The first paragraph of a feature's stored text, cut to a few dozen words; "" for
    brief items, teasers of nothing, and articles without text."""
    if article.kind not in BLURB_KINDS:
        return ""
    source: str = getattr(article, "blurb_source", None) or article.body_text
    first = next((part for part in source.split("\n\n") if part.strip()), "")
    return Truncator(" ".join(first.split())).words(BLURB_WORDS)

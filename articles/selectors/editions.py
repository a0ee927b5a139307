"""Read paths for weekly editions: the recent ones, the archive by year, one with its items."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from articles.models import Article, Edition
from articles.selectors.articles import BYLINE


def edition_list_recent(*, limit: int = 10) -> QuerySet[Edition]:
    return Edition.objects.annotate(article_count=Count("articles")).order_by("-date", "-lwn_id")[
        :limit
    ]


def edition_years() -> list[int]:
    """Years that have editions, newest first."""
    dates = Edition.objects.exclude(date=None).values_list("date", flat=True)
    return sorted({d.year for d in dates if d is not None}, reverse=True)


def edition_list_for_year(*, year: int | None) -> QuerySet[Edition]:
    editions = Edition.objects.annotate(article_count=Count("articles")).order_by("-date")
    return editions.filter(date__year=year) if year else editions


def edition_get(*, lwn_id: int) -> Edition | None:
    return Edition.objects.filter(lwn_id=lwn_id).first()


def edition_articles(*, edition: Edition) -> QuerySet[Article]:
    """The edition's items in page order, with bylines, in two queries."""
    return Article.objects.filter(edition=edition).order_by("position").prefetch_related(BYLINE)

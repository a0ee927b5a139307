"""Aggregates for the pictures: counts by year, by release, by group (trends: ``trends``).

Each function is one or two GROUP BY queries, whatever the size of the archive,
and counts only what ``user`` may see (the rules of ``selectors.articles`` and
``Mention.objects.visible_to``): entity names read from a locked article's text
are left out of every count that names entities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import ExtractYear, Substr
from django.urls import reverse

from articles.links.names import display, url_name
from articles.models import (
    Article,
    ArticleKind,
    Author,
    Edition,
    KernelRelease,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.selectors.articles import BYLINE, hide_locked
from articles.selectors.mention_rows import mention_date

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

RELEASE_WINDOW = 20
TOP = 10
BLURB = 400  # characters of a feature's text shown as its blurb
_VISIBLE = (MentionStatus.PENDING, MentionStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity and how often it was named (``before``: in the period before, for trends)."""

    kind: str
    name: str
    count: int
    before: int = 0

    @property
    def display_name(self) -> str:
        return display(self.kind, self.name)

    @property
    def url(self) -> str:
        return reverse(
            "articles:entity-detail",
            kwargs={"kind": self.kind, "name": url_name(self.kind, self.name)},
        )

    @property
    def rise(self) -> int:
        return self.count - self.before


@dataclass(frozen=True, slots=True)
class ReleasePoint:
    """One release in a timeline of releases: its visible items and merge-window dates."""

    version: str
    items: int
    first: dt.date | None
    last: dt.date | None
    current: bool


def _locked_pks(user: User | AnonymousUser) -> QuerySet[Article, Any] | None:
    return Article.objects.locked_pks_for(user)


def editions_per_year() -> dict[int, int]:
    """How many editions each year has, in one query."""
    rows = (
        Edition.objects.exclude(date=None)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return {row["year"]: row["n"] for row in rows}


def release_window(
    *,
    release: KernelRelease,
    user: User | AnonymousUser,
    size: int = RELEASE_WINDOW,
    releases: list[KernelRelease] | None = None,
) -> list[ReleasePoint]:
    """Up to ``size`` releases around ``release`` (it included), oldest first, in two queries,
    one given ``releases`` (every release in version order, as the release page has them).

    Each with the merge-window items ``user`` may see and the dates of the first
    and last merge-window article.
    """
    if releases is None:
        releases = list(KernelRelease.objects.order_by("major", "minor", "patch").only("version"))
    ordered = [(row.pk, row.version) for row in releases]
    index = next((i for i, (pk, _) in enumerate(ordered) if pk == release.pk), 0)
    start = max(0, min(index - size // 2, len(ordered) - size))
    window = ordered[start : start + size]
    items = hide_locked(
        MergeWindowItem.objects.filter(release_id__in=[pk for pk, _ in window]),
        user=user,
        via="article",
    )
    counts = {
        row["release_id"]: row
        for row in items.order_by()
        .values("release_id")
        .annotate(n=Count("pk"), first=Min("article__date"), last=Max("article__date"))
    }
    return [
        ReleasePoint(
            version=version,
            items=counts.get(pk, {}).get("n", 0),
            first=counts.get(pk, {}).get("first"),
            last=counts.get(pk, {}).get("last"),
            current=pk == release.pk,
        )
        for pk, version in window
    ]


def merge_window_groups(
    *, release: KernelRelease, user: User | AnonymousUser
) -> list[tuple[str, int]]:
    """``release``'s merge-window items per group ``user`` may see, largest first (one query)."""
    items = hide_locked(MergeWindowItem.objects.filter(release=release), user=user, via="article")
    rows = items.order_by().values("group").annotate(n=Count("pk")).order_by("-n", "group")
    return [(row["group"], row["n"]) for row in rows]


def mention_years(*, mentions: QuerySet[Mention]) -> dict[int, int]:
    """``mentions`` counted by the year of the text they are in, in one query."""
    rows = (
        mentions.order_by()
        .annotate(when=mention_date())
        .exclude(when=None)
        .annotate(year=ExtractYear("when"))
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {row["year"]: row["n"] for row in rows}


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature of an edition with its blurb (empty while locked for the reader)."""

    article: Article
    blurb: str
    locked: bool


def edition_features(*, edition_id: int, user: User | AnonymousUser) -> list[Feature]:
    """An edition's features and guest articles with the start of their text, two queries."""
    articles = (
        Article.objects.filter(
            edition_id=edition_id, kind__in=(ArticleKind.FEATURE, ArticleKind.GUEST)
        )
        .defer("body_html", "body_text")
        .annotate(start=Substr("body_text", 1, BLURB + 1))
        .prefetch_related(BYLINE)
        .order_by("position")
    )
    features = []
    for article in articles:
        locked = article.is_locked_for(user)
        text = " ".join(str(article.start).split())  # type: ignore[attr-defined]
        if len(text) > BLURB:
            text = text[:BLURB].rsplit(" ", 1)[0] + " …"
        features.append(Feature(article=article, blurb="" if locked else text, locked=locked))
    return features


def author_years(*, author: Author) -> dict[int, int]:
    """``author``'s articles counted by year, one query."""
    rows = (
        Article.objects.filter(articleauthor__author=author)
        .exclude(date=None)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {row["year"]: row["n"] for row in rows}


def author_entities(
    *, author: Author, user: User | AnonymousUser, limit: int = TOP
) -> list[EntityCount]:
    """The entities ``author``'s articles name most, by the number of articles, one query.

    People are left out (an author's page is about what they write about), and so
    are articles still locked for ``user``: their entity names are their text.
    """
    mentions = Mention.objects.filter(status__in=_VISIBLE, article__articleauthor__author=author)
    locked = _locked_pks(user)
    if locked is not None:
        mentions = mentions.exclude(article__in=locked)
    rows = (
        mentions.exclude(entity__kind="person")
        .order_by()
        .values("entity__kind", "entity__name")
        .annotate(n=Count("article", distinct=True))
        .order_by("-n", "entity__kind", "entity__name")[:limit]
    )
    return [EntityCount(row["entity__kind"], row["entity__name"], row["n"]) for row in rows]

"""Read paths for kernel releases: the list, and one release's page (merge-window items,
hardware, related articles, neighbours)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse

from articles.models import (
    Article,
    HardwareDevice,
    KernelRelease,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.selectors.articles import hide_locked

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def release_list_recent(*, user: User | AnonymousUser, limit: int = 5) -> QuerySet[KernelRelease]:
    """The newest releases, counting only the items and devices ``user`` may see."""
    return release_list(user=user)[:limit]


def release_list(*, user: User | AnonymousUser) -> QuerySet[KernelRelease]:
    """Releases, newest first, counting only the items and devices ``user`` may see
    (``with_counts_for``: a page of the newest few counts those few releases' rows)."""
    return KernelRelease.objects.with_counts_for(user).order_by("-major", "-minor", "-patch")


def release_choices() -> QuerySet[KernelRelease]:
    """Every release, newest first, without counts (the hardware browser's filter)."""
    return KernelRelease.objects.order_by("-major", "-minor", "-patch")


def release_get(*, version: str) -> KernelRelease | None:
    return KernelRelease.objects.filter(version=version).first()


@dataclass
class ReleasePage:
    release: KernelRelease
    groups: list[tuple[str, list[MergeWindowItem]]]
    hardware: list[tuple[str, list[HardwareDevice]]]
    articles: list[Article]
    previous: KernelRelease | None
    next: KernelRelease | None
    # Every release in version order (read once for the neighbours and the charts' window).
    releases: list[KernelRelease]


def release_page(*, release: KernelRelease, user: User | AnonymousUser) -> ReleasePage:
    """Merge-window items by heading, hardware by category, related articles, neighbours.

    Items and devices taken from an article still locked for ``user`` are left out.
    """
    groups: dict[str, list[MergeWindowItem]] = {}
    items = hide_locked(
        # Of the source article only what the page shows: its body is repeated per item,
        # and every field is work per row on a list of a hundred items.
        MergeWindowItem.objects.filter(release=release)
        .select_related("article")
        .only("group", "html", "text", "article__lwn_id", "article__title"),
        user=user,
        via="article",
    ).order_by("part", "article__date", "group_position", "position")
    hrefs: dict[int, str] = {}
    for item in items:
        # Reversed once per source article (a release has a few), not once per item.
        if item.article_id not in hrefs:
            lwn_id = item.article.lwn_id
            hrefs[item.article_id] = (
                reverse("articles:article-detail", args=[lwn_id]) if lwn_id is not None else ""
            )
        item.source_href = hrefs[item.article_id]  # type: ignore[attr-defined]
        groups.setdefault(item.group, []).append(item)
    hardware: dict[str, list[HardwareDevice]] = {}
    devices = hide_locked(
        HardwareDevice.objects.filter(release=release).only("category", "name"),
        user=user,
        via="article",
    )
    for device in devices.order_by("category", "position"):
        hardware.setdefault(device.category, []).append(device)
    ordered = _releases_in_order()
    previous, following = _neighbours(release, ordered)
    source_ids = {item.article_id for group in groups.values() for item in group}
    # Each side reads an index (the sources by key, the release's own mentions by
    # entity); a join of articles to every mention, made DISTINCT over whole rows,
    # took 0.3 s at full size.
    named = (
        Mention.objects.filter(
            entity__kind="release", entity__name=release.version, article__isnull=False
        )
        .exclude(status=MentionStatus.REJECTED)
        .order_by()  # SQLite allows no ORDER BY inside a UNION
        .values("article_id")
    )
    sources = Article.objects.filter(pk__in=source_ids).order_by().values("pk")
    mentioned = Article.objects.filter(pk__in=named.union(sources)).only("lwn_id", "title", "date")
    return ReleasePage(
        release=release,
        groups=list(groups.items()),
        hardware=list(hardware.items()),
        articles=list(mentioned.order_by("-date")[:50]),
        previous=previous,
        next=following,
        releases=ordered,
    )


def _releases_in_order() -> list[KernelRelease]:
    """Every release in version order (6.9 < 6.10), by its numeric columns only: one query
    over a few hundred short rows at most."""
    return list(
        KernelRelease.objects.order_by("major", "minor", "patch").only(
            "version", "major", "minor", "patch"
        )
    )


def _neighbours(
    release: KernelRelease, ordered: list[KernelRelease]
) -> tuple[KernelRelease | None, KernelRelease | None]:
    key = (release.major, release.minor, release.patch)
    older = [row for row in ordered if (row.major, row.minor, row.patch) < key]
    newer = [row for row in ordered if (row.major, row.minor, row.patch) > key]
    return (older[-1] if older else None), (newer[0] if newer else None)


def release_neighbours(
    *, release: KernelRelease
) -> tuple[KernelRelease | None, KernelRelease | None]:
    """The releases just before and after ``release`` in version order, in one query."""
    return _neighbours(release, _releases_in_order())

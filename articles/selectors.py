"""Read paths shared by views, the API, feeds and management commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.utils import timezone

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleKind,
    Comment,
    Edition,
    Entity,
    HardwareDevice,
    ImportOutcome,
    ImportRun,
    KernelRelease,
    Mention,
    MergeWindowItem,
)
from articles.models.articles import SUBSCRIBER_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

M = TypeVar("M", bound=Model)


def hide_locked(queryset: QuerySet[M], *, user: User | AnonymousUser, via: str) -> QuerySet[M]:
    """Drop rows whose article (reached through ``via``) is still locked for ``user``.

    Merge-window items, devices and comments of a locked article are its text, so
    pages, the API and feeds leave them out rather than show them without a body.
    """
    if user.has_perm(SUBSCRIBER_PERMISSION):
        return queryset
    locked = Article.objects.subscriber_only_on(timezone.now().date()).values("pk")
    return queryset.exclude(**{f"{via}__in": locked})


def _counts_by(queryset: QuerySet[Any], field: str, choices: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(choices, 0)
    for row in queryset.values(field).annotate(n=Count("pk")).order_by():
        counts[row[field]] = row["n"]
    return counts


def archive_stats() -> dict[str, Any]:
    """Counts of everything stored, as printed by ``lwn_stats``."""
    return {
        "editions": Edition.objects.count(),
        "articles": _counts_by(Article.objects.all(), "kind", list(ArticleKind.values)),
        "comments": Comment.objects.count(),
        "releases": KernelRelease.objects.count(),
        "merge_window_items": MergeWindowItem.objects.count(),
        "hardware_devices": HardwareDevice.objects.count(),
        "entities": Entity.objects.count(),
        "mentions": Mention.objects.count(),
        "import_runs": _counts_by(ImportRun.objects.all(), "outcome", list(ImportOutcome.values)),
    }


def edition_list_recent(*, limit: int = 10) -> QuerySet[Edition]:
    return Edition.objects.annotate(article_count=Count("articles")).order_by("-date", "-lwn_id")[
        :limit
    ]


def release_list_recent(*, limit: int = 5) -> QuerySet[KernelRelease]:
    return KernelRelease.objects.annotate(item_count=Count("merge_items")).order_by(
        "-major", "-minor", "-patch"
    )[:limit]


# --- Browsing -------------------------------------------------------------------

# Bylines in order with their authors, for ``Article.byline``: one query per page.
BYLINE = Prefetch(
    "articleauthor_set",
    queryset=ArticleAuthor.objects.select_related("author").order_by("position"),
)


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


def article_get(*, lwn_id: int) -> Article | None:
    return (
        Article.objects.select_related("edition")
        .prefetch_related(BYLINE)
        .filter(lwn_id=lwn_id)
        .first()
    )


def article_releases(*, article: Article) -> list[KernelRelease]:
    """Releases whose merge-window items this article lists."""
    return list(
        KernelRelease.objects.filter(merge_items__article=article)
        .distinct()
        .order_by("major", "minor", "patch")
    )


@dataclass
class ThreadNode:
    comment: Comment
    replies: list[ThreadNode] = field(default_factory=list)
    descendants: int = 0


def comment_thread(*, article: Article) -> list[ThreadNode]:
    """The article's comments as a tree, from one query in display order."""
    roots: list[ThreadNode] = []
    nodes: dict[int, ThreadNode] = {}
    for comment in Comment.objects.filter(article=article).order_by("thread_position"):
        node = ThreadNode(comment)
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent else roots).append(node)
    for node in reversed(list(nodes.values())):  # children come after parents
        node.descendants = sum(1 + child.descendants for child in node.replies)
    return roots


@dataclass
class ThreadRow:
    """One comment in display order, for rendering a nested thread with one flat loop."""

    node: ThreadNode
    closes: range  # how many enclosing reply lists end right after this comment


def thread_rows(roots: list[ThreadNode]) -> list[ThreadRow]:
    """Flatten a thread for templates: a flat loop renders far faster than recursion."""
    rows: list[ThreadRow] = []

    def walk(nodes: list[ThreadNode], depth_closing: int) -> None:
        for index, node in enumerate(nodes):
            last = index == len(nodes) - 1
            if node.replies:
                rows.append(ThreadRow(node, range(0)))
                walk(node.replies, depth_closing + 1 if last else 1)
            else:
                rows.append(ThreadRow(node, range(depth_closing if last else 0)))

    walk(roots, 0)
    return rows


def release_list() -> QuerySet[KernelRelease]:
    return KernelRelease.objects.annotate(
        item_count=Count("merge_items", distinct=True),
        device_count=Count("hardware", distinct=True),
    ).order_by("-major", "-minor", "-patch")


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


def release_page(*, release: KernelRelease, user: User | AnonymousUser) -> ReleasePage:
    """Merge-window items by heading, hardware by category, related articles, neighbours.

    Items and devices taken from an article still locked for ``user`` are left out.
    """
    groups: dict[str, list[MergeWindowItem]] = {}
    items = hide_locked(
        MergeWindowItem.objects.filter(release=release).select_related("article"),
        user=user,
        via="article",
    ).order_by("part", "article__date", "group_position", "position")
    for item in items:
        groups.setdefault(item.group, []).append(item)
    hardware: dict[str, list[HardwareDevice]] = {}
    devices = hide_locked(HardwareDevice.objects.filter(release=release), user=user, via="article")
    for device in devices.order_by("category", "position"):
        hardware.setdefault(device.category, []).append(device)
    key = (release.major, release.minor, release.patch)
    ordered = list(KernelRelease.objects.order_by("major", "minor", "patch"))
    keys = [(r.major, r.minor, r.patch) for r in ordered]
    index = keys.index(key)
    source_ids = {item.article_id for group in groups.values() for item in group}
    mentioned = Article.objects.filter(
        Q(pk__in=source_ids)
        | Q(mentions__entity__kind="release", mentions__entity__name=release.version)
    ).exclude(mentions__status="rejected")
    return ReleasePage(
        release=release,
        groups=list(groups.items()),
        hardware=list(hardware.items()),
        articles=list(mentioned.distinct().order_by("-date")[:50]),
        previous=ordered[index - 1] if index > 0 else None,
        next=ordered[index + 1] if index + 1 < len(ordered) else None,
    )


HARDWARE_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "category": ("category", "name"),
    "release": ("release__major", "release__minor", "release__patch", "category", "position"),
    "-release": ("-release__major", "-release__minor", "-release__patch", "category", "position"),
}


def hardware_search(
    *,
    user: User | AnonymousUser,
    category: str = "",
    release: str = "",
    name: str = "",
    sort: str = "-release",
) -> QuerySet[HardwareDevice]:
    """Devices matching the filters, without those of articles still locked for ``user``."""
    devices = hide_locked(
        HardwareDevice.objects.select_related("release", "article"), user=user, via="article"
    )
    if category:
        devices = devices.filter(category=category)
    if release:
        devices = devices.filter(release__version=release)
    if name:
        devices = devices.filter(name__icontains=name)
    return devices.order_by(*HARDWARE_SORTS.get(sort, HARDWARE_SORTS["-release"]))


def hardware_categories() -> list[str]:
    return list(
        HardwareDevice.objects.order_by("category").values_list("category", flat=True).distinct()
    )


def import_runs_recent(*, outcome: str = "") -> QuerySet[ImportRun]:
    runs = ImportRun.objects.select_related("edition").order_by("-started_at")
    return runs.filter(outcome=outcome) if outcome else runs

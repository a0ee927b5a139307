from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Now

from articles.models.articles import Article

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

from articles.models.fields import SanitizedHTMLField

_VERSION_RE = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")


def parse_version(version: str) -> tuple[int, int, int]:
    """``"6.14"`` → ``(6, 14, 0)``; raises ValueError for anything else."""
    match = _VERSION_RE.match(version.strip())
    if not match:
        raise ValueError(f"not a kernel version: {version!r}")
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


class KernelReleaseQuerySet(models.QuerySet["KernelRelease"]):
    def with_counts_for(self, user: User | AnonymousUser) -> KernelReleaseQuerySet:
        """Annotate ``item_count`` and ``device_count`` with only the rows ``user`` may see.

        Items and devices of an article still locked for ``user`` are its text: the
        release pages leave them out, so their counts must too. Each count is its own
        subquery on the release's rows: joining both lists to count them multiplies a
        release's items by its devices first, which grows with the square of the
        archive's density.
        """
        locked = Article.objects.locked_pks_for(user)
        return self.annotate(
            item_count=_count_shown(MergeWindowItem, locked),
            device_count=_count_shown(HardwareDevice, locked),
        )


def _count_shown(
    model: type[MergeWindowItem | HardwareDevice], locked: QuerySet[Article, Any] | None
) -> Coalesce:
    rows = model.objects.filter(release=OuterRef("pk"))
    if locked is not None:
        rows = rows.exclude(article__in=locked)
    # COUNT(*): rows are counted from the release index alone, where the id is read from the table.
    counted = rows.order_by().values("release").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)


class KernelRelease(models.Model):
    """A mainline release such as 5.8; the numeric parts make 6.14 sort after 6.9."""

    version = models.CharField(max_length=20, unique=True)
    major = models.PositiveSmallIntegerField()
    minor = models.PositiveSmallIntegerField()
    patch = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = KernelReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["major", "minor", "patch"]
        indexes = [
            models.Index(fields=["major", "minor", "patch"], name="release_numeric_order"),
            models.Index(fields=["updated_at", "id"], name="release_updated"),
        ]

    def __str__(self) -> str:
        return self.version

    def save(self, *args: object, **kwargs: object) -> None:
        # Derived columns only: keeps the sort key consistent with the version string.
        self.major, self.minor, self.patch = parse_version(self.version)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MergeWindowItem(models.Model):
    """One bullet of a merge-window summary, under one of LWN's group headings."""

    release = models.ForeignKey(KernelRelease, on_delete=models.CASCADE, related_name="merge_items")
    # The (article, position) constraint's index serves lookups by article.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="merge_items", db_index=False
    )
    part = models.PositiveSmallIntegerField(null=True, blank=True)
    group = models.CharField(max_length=200, help_text='e.g. "Core kernel"')
    group_position = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField(help_text="Order within the article")
    text = models.TextField()
    html = SanitizedHTMLField(blank=True, help_text="Sanitized HTML")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["release", "article_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="merge_item_position")
        ]
        # Not db_index=True: see Article.Meta.indexes.
        indexes = [
            models.Index(fields=["group"], name="merge_item_group"),
            models.Index(fields=["updated_at", "id"], name="merge_item_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.release} · {self.group}: {self.text[:60]}"


class HardwareDevice(models.Model):
    """A device named in a merge window's hardware-support list."""

    release = models.ForeignKey(KernelRelease, on_delete=models.CASCADE, related_name="hardware")
    # The (article, position) constraint's index serves lookups by article.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="hardware", db_index=False
    )
    category = models.CharField(max_length=200, help_text='e.g. "Graphics"')
    name = models.CharField(max_length=500, help_text="As LWN wrote it")
    position = models.PositiveIntegerField(help_text="Order within the article")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["release", "category", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="hardware_position")
        ]
        indexes = [
            # A category's devices per release, and whether their article is locked,
            # from the index alone (the hardware page counts each release's devices).
            models.Index(
                fields=["category", "release", "position"],
                include=["article"],
                name="hardware_category_release",
            ),
            models.Index(fields=["updated_at", "id"], name="hardware_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.category}, {self.release})"


class HardwareTally(models.Model):
    """How many devices one article lists under one category for one release.

    The hardware list's paginator counts a category's devices per release from these
    rows (a few per release) instead of from the devices (1,650 in the commonest
    category at full size, and growing with every merge window). On PostgreSQL the
    triggers of migration 0025 keep them in step with every write to
    ``articles_hardwaredevice`` (imports, re-parses, the admin, cascades); a row whose
    count falls to zero is deleted. On SQLite nothing keeps them and the selector counts
    the devices (``articles.selectors.hardware``). Keyed by article so that a reader's
    locked articles can be left out, as from the devices themselves.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    release = models.ForeignKey(
        KernelRelease, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.CharField(max_length=200)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "release", "category"], name="hardware_tally_once"
            )
        ]
        indexes = [
            # A category's counts per release, and whether their article is locked,
            # from the index alone.
            models.Index(
                fields=["category", "release"],
                include=["article", "n"],
                name="hardware_tally_category",
            ),
            models.Index(
                fields=["release"], include=["article", "n"], name="hardware_tally_release"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.category} ({self.release_id}): {self.n}"

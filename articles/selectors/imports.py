"""Read paths for the import status page and ``lwn_stats``: recent runs, archive counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from articles.models import (
    Article,
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


def import_runs_recent(*, outcome: str = "") -> QuerySet[ImportRun]:
    runs = ImportRun.objects.select_related("edition").order_by("-started_at")
    return runs.filter(outcome=outcome) if outcome else runs


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

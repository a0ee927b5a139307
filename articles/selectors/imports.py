"""Read paths for the import status page and ``lwn_stats``: recent runs, archive counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet, prefetch_related_objects

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


def import_runs_recent(*, outcome: str = "", warning: str = "") -> QuerySet[ImportRun]:
    """Runs, newest first; only those ending in ``outcome`` and with parse warning
    ``warning`` (a code of ``articles.lwn.WARNING_CODES``) when given."""
    runs = ImportRun.objects.select_related("edition").order_by("-started_at")
    if outcome:
        runs = runs.filter(outcome=outcome)
    return runs.with_warning(warning) if warning else runs


def import_runs_warnings_load(*, runs: Iterable[ImportRun]) -> None:
    """Load the parse warnings (``run.parse_warnings.all()``) of the runs that have any,
    in one query for them all, and none when no run has a warning (most pages)."""
    warned = [run for run in runs if run.counts.get("warnings")]
    prefetch_related_objects(warned, "parse_warnings")


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

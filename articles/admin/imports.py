"""Admin for the import audit trail."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.models import ImportOutcome, ImportRun
from articles.services.followup import followups_queue


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ["source", "outcome", "started_at", "finished_at", "summary", "edition"]
    list_filter = ["outcome", "parser_version", "followups_requeued"]
    search_fields = ["source", "error"]
    date_hierarchy = "started_at"
    list_select_related = ["edition"]
    readonly_fields = [
        "source",
        "started_at",
        "finished_at",
        "outcome",
        "counts",
        "error",
        "raw_page",
        "edition",
        "parser_version",
        "followups_queued_at",
        "followups_done_at",
        "followups_requeued",
    ]
    actions = ["queue_followups_again"]

    @admin.display(description="changes")
    def summary(self, obj: ImportRun) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted(obj.counts.items()) if v) or "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs are written by imports only

    @admin.action(description="Queue follow-ups again (linking, indexing)", permissions=["change"])
    def queue_followups_again(self, request: HttpRequest, queryset: QuerySet[ImportRun]) -> None:
        # After the cause of failing follow-ups is fixed: a fresh count of attempts too.
        runs = queryset.filter(outcome=ImportOutcome.OK)
        runs.update(followups_requeued=0, followups_done_at=None)
        queued = sum(followups_queue(run_id=pk) for pk in runs.values_list("pk", flat=True))
        if queued < runs.count():
            self.message_user(
                request, "The broker is unavailable: the sweep queues the rest.", messages.WARNING
            )
        self.message_user(request, f"Queued the follow-ups of {queued} import(s).")

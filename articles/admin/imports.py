"""Admin for the import audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.lwn import WARNING_CODES
from articles.models import ImportOutcome, ImportRun
from articles.models.imports import ImportWarning, warned_with
from articles.services.followup import followups_queue


class WarningCodeFilter(admin.SimpleListFilter):
    """Runs whose page gave a parse warning of one code (the parser's catalogue)."""

    title = "parse warning"
    parameter_name = "warning"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return sorted(WARNING_CODES.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[ImportRun]) -> QuerySet[ImportRun]:
        code = self.value()
        return queryset.filter(warned_with(code)) if code else queryset


class ImportWarningInline(admin.TabularInline[ImportWarning, ImportRun]):
    model = ImportWarning
    fields = ("code", "where", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: ImportRun | None = None) -> bool:
        return False  # warnings are written by imports only


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = [
        "source",
        "outcome",
        "started_at",
        "finished_at",
        "summary",
        "warnings",
        "edition",
    ]
    list_filter = ["outcome", WarningCodeFilter, "parser_version", "followups_requeued"]
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
    inlines = [ImportWarningInline]
    actions = ["queue_followups_again"]

    @admin.display(description="changes")
    def summary(self, obj: ImportRun) -> str:
        return obj.changes_text or "-"

    @admin.display(description="warnings")
    def warnings(self, obj: ImportRun) -> int:
        return obj.warning_count  # from counts: no query per row

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs are written by imports only

    @admin.action(description="Queue follow-ups again (linking, indexing)", permissions=["change"])
    def queue_followups_again(self, request: HttpRequest, queryset: QuerySet[ImportRun]) -> None:
        # After the cause of failing follow-ups is fixed: a fresh count of attempts too.
        runs = queryset.filter(outcome=ImportOutcome.OK)
        # Indexed on their own: the bulk import's one rebuild is long gone.
        runs.update(followups_requeued=0, followups_done_at=None, index_deferred=False)
        queued = sum(followups_queue(run_id=pk) for pk in runs.values_list("pk", flat=True))
        if queued < runs.count():
            self.message_user(
                request, "The broker is unavailable: the sweep queues the rest.", messages.WARNING
            )
        self.message_user(request, f"Queued the follow-ups of {queued} import(s).")

"""Admin for the import audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from articles.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ["source", "outcome", "started_at", "finished_at", "summary", "edition"]
    list_filter = ["outcome", "parser_version"]
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
    ]

    @admin.display(description="changes")
    def summary(self, obj: ImportRun) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted(obj.counts.items()) if v) or "-"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # runs are written by imports only

"""Admin for the curation trail: a read-only list of who changed what, and when.

Events are written by the curation services only; nobody edits or deletes them here.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.models import CurationEvent


@admin.register(CurationEvent)
class CurationEventAdmin(admin.ModelAdmin[CurationEvent]):
    list_display = ["at", "action", "target_kind", "target_key", "username"]
    list_filter = ["action", "target_kind", "at"]
    search_fields = ["target_key", "username"]
    date_hierarchy = "at"
    fields = ("at", "action", "target_kind", "target_key", "user", "username", "changes")
    readonly_fields = fields

    @admin.display(description="Details (before and after)")
    def changes(self, obj: CurationEvent) -> SafeString:
        return format_html("<pre>{}</pre>", json.dumps(obj.details, indent=2, sort_keys=True))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

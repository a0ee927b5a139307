"""Admin for kernel releases, merge-window items and hardware devices."""

from __future__ import annotations

from django.contrib import admin

from articles.admin.common import ReindexingAdmin
from articles.models import HardwareDevice, KernelRelease, MergeWindowItem


class MergeWindowItemReleaseInline(admin.TabularInline[MergeWindowItem, KernelRelease]):
    model = MergeWindowItem
    fields = ("group", "position", "text", "article")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(KernelRelease)
class KernelReleaseAdmin(admin.ModelAdmin[KernelRelease]):
    list_display = ["version", "major", "minor", "patch"]
    search_fields = ["version"]
    readonly_fields = ["major", "minor", "patch"]
    inlines = [MergeWindowItemReleaseInline]


@admin.register(MergeWindowItem)
class MergeWindowItemAdmin(ReindexingAdmin[MergeWindowItem]):
    list_display = ["short_text", "group", "release", "part", "article"]
    list_filter = ["release", "group", "part"]
    search_fields = ["text"]
    list_select_related = ["release", "article"]
    raw_id_fields = ["article"]

    @admin.display(description="text")
    def short_text(self, obj: MergeWindowItem) -> str:
        return obj.text[:100]


@admin.register(HardwareDevice)
class HardwareDeviceAdmin(ReindexingAdmin[HardwareDevice]):
    list_display = ["name", "category", "release", "article"]
    list_filter = ["release", "category"]
    search_fields = ["name", "category"]
    list_select_related = ["release", "article"]
    raw_id_fields = ["article"]

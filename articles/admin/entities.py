"""Admin for entities and the mention curation queue."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Entity, Mention, MentionStatus


class MentionInline(admin.TabularInline[Mention, Entity]):
    model = Mention
    fields = ["target_label", "sentence", "source", "status"]
    readonly_fields = ["target_label", "sentence", "source"]
    extra = 0
    show_change_link = True


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin[Entity]):
    list_display = ["name", "kind", "introduced_release"]
    list_filter = ["kind", "introduced_release"]
    search_fields = ["name", "description"]
    list_select_related = ["introduced_release"]
    raw_id_fields = ["introduced_in"]
    inlines = [MentionInline]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin[Mention]):
    list_display = ["entity", "target_label", "short_sentence", "source", "status", "curated_by"]
    list_filter = ["status", "source", "entity__kind"]
    search_fields = ["entity__name", "sentence"]
    list_select_related = ["entity", "curated_by"]
    raw_id_fields = ["entity", "article", "merge_item", "hardware", "comment"]
    readonly_fields = ["curated_by", "curated_at", "created_at"]
    actions = ["accept", "reject"]

    @admin.display(description="sentence")
    def short_sentence(self, obj: Mention) -> str:
        return obj.sentence[:120]

    def _curate(self, request: HttpRequest, queryset: QuerySet[Mention], status: str) -> int:
        return queryset.update(status=status, curated_by=request.user, curated_at=timezone.now())

    @admin.action(description="Accept selected mentions")
    def accept(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = self._curate(request, queryset, MentionStatus.ACCEPTED)
        self.message_user(request, f"Accepted {n} mention(s).", messages.SUCCESS)

    @admin.action(description="Reject selected mentions")
    def reject(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = self._curate(request, queryset, MentionStatus.REJECTED)
        self.message_user(request, f"Rejected {n} mention(s).", messages.SUCCESS)

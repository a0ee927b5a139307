"""Django admin for curating the archive."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    Edition,
    Entity,
    HardwareDevice,
    ImportRun,
    KernelRelease,
    Mention,
    MentionStatus,
    MergeWindowItem,
    RawPage,
)

RAW_PREVIEW_LIMIT = 200_000


def _preview(text: str) -> SafeString:
    clipped = text[:RAW_PREVIEW_LIMIT]
    note = (
        ""
        if len(text) <= RAW_PREVIEW_LIMIT
        else f"\n… ({len(text) - RAW_PREVIEW_LIMIT} more characters)"
    )
    return format_html(
        '<pre style="max-height:30em;overflow:auto;white-space:pre-wrap">{}{}</pre>', clipped, note
    )


@admin.register(RawPage)
class RawPageAdmin(admin.ModelAdmin[RawPage]):
    list_display = ["url", "lwn_id", "size", "short_hash", "fetched_at"]
    search_fields = ["url", "=lwn_id", "=content_hash"]
    date_hierarchy = "fetched_at"
    fields = ("url", "lwn_id", "content_hash", "size", "fetched_at", "page_source")
    readonly_fields = fields

    @admin.display(description="hash")
    def short_hash(self, obj: RawPage) -> str:
        return obj.content_hash[:12]

    @admin.display(description="Raw HTML (read-only)")
    def page_source(self, obj: RawPage) -> SafeString:
        return _preview(obj.content.decode("utf-8", errors="replace"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # raw pages only come from imports


class ArticleInline(admin.TabularInline[Article, Edition]):
    model = Article
    fields = ("position", "section", "kind", "title", "lwn_id", "comment_count")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin[Edition]):
    list_display = ["title", "date", "lwn_id", "parser_version", "parsed_at"]
    search_fields = ["title", "=lwn_id"]
    date_hierarchy = "date"
    list_filter = ["parser_version"]
    readonly_fields = ["raw_page", "parsed_at", "parser_version", "created_at", "updated_at"]
    inlines = [ArticleInline]


class ArticleAuthorInline(admin.TabularInline[ArticleAuthor, Article]):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ["author"]


class CommentInline(admin.TabularInline[Comment, Article]):
    model = Comment
    fk_name = "article"
    fields = ("thread_position", "depth", "title", "poster_name", "poster_role", "posted_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False


class MergeWindowItemInline(admin.TabularInline[MergeWindowItem, Article]):
    model = MergeWindowItem
    fields = ["position", "group", "part", "text"]
    extra = 0
    show_change_link = True


class HardwareDeviceInline(admin.TabularInline[HardwareDevice, Article]):
    model = HardwareDevice
    fields = ["position", "category", "name"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = [
        "title",
        "kind",
        "section",
        "date",
        "lwn_id",
        "comment_count",
        "subscriber_only",
    ]
    list_filter = ["kind", "section", "subscriber_only", "edition__date"]
    search_fields = ["title", "=lwn_id", "authors__name", "body_text"]
    date_hierarchy = "date"
    list_select_related = ["edition"]
    autocomplete_fields = ["edition"]
    readonly_fields = ["raw_page", "curated_fields", "created_at", "updated_at", "body_preview"]
    inlines = [ArticleAuthorInline, MergeWindowItemInline, HardwareDeviceInline, CommentInline]
    actions = ["mark_free_now"]

    @admin.display(description="Body as stored (sanitized HTML)")
    def body_preview(self, obj: Article) -> SafeString:
        return _preview(obj.body_html)

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        # Remember what a curator touched so a re-import does not undo it.
        if change and form.changed_data:
            obj.curated_fields = sorted(set(obj.curated_fields) | set(form.changed_data))
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected articles as free to read now")
    def mark_free_now(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        updated = queryset.update(free_on=timezone.now().date())
        self.message_user(request, f"{updated} article(s) are now free to read.", messages.SUCCESS)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin[Author]):
    list_display = ["name", "login"]
    search_fields = ["name", "login"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ["title", "poster_name", "poster_role", "posted_at", "article", "depth"]
    list_filter = ["poster_role", "posted_at"]
    search_fields = ["title", "poster_name", "=lwn_id", "body_text"]
    date_hierarchy = "posted_at"
    list_select_related = ["article"]
    raw_id_fields = ["article", "parent"]


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
class MergeWindowItemAdmin(admin.ModelAdmin[MergeWindowItem]):
    list_display = ["short_text", "group", "release", "part", "article"]
    list_filter = ["release", "group", "part"]
    search_fields = ["text"]
    list_select_related = ["release", "article"]
    raw_id_fields = ["article"]

    @admin.display(description="text")
    def short_text(self, obj: MergeWindowItem) -> str:
        return obj.text[:100]


@admin.register(HardwareDevice)
class HardwareDeviceAdmin(admin.ModelAdmin[HardwareDevice]):
    list_display = ["name", "category", "release", "article"]
    list_filter = ["release", "category"]
    search_fields = ["name", "category"]
    list_select_related = ["release", "article"]
    raw_id_fields = ["article"]


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


admin.site.site_header = "lwnkb administration"
admin.site.site_title = "lwnkb"

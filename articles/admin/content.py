"""Admin for editions, articles, authors, comments and raw pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString

from articles.admin.common import ReindexingAdmin, preview, reindex_on_commit
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    Edition,
    HardwareDevice,
    MergeWindowItem,
    RawPage,
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
        return preview(obj.content.decode("utf-8", errors="replace"))

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
class ArticleAdmin(ReindexingAdmin[Article]):
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
    article_field = None  # each row is the article to re-index

    @admin.display(description="Body as stored (sanitized HTML)")
    def body_preview(self, obj: Article) -> SafeString:
        return preview(obj.body_html)

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        # Remember what a curator touched so a re-import does not undo it.
        if change and form.changed_data:
            obj.curated_fields = sorted(set(obj.curated_fields) | set(form.changed_data))
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected articles as free to read now", permissions=["change"])
    def mark_free_now(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        now = timezone.now()
        updated = queryset.update(free_on=now.date(), updated_at=now)  # a change API sync sees
        reindex_on_commit(ids)  # search shows their text from now on too
        self.message_user(request, f"{updated} article(s) are now free to read.", messages.SUCCESS)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin[Author]):
    list_display = ["name", "login"]
    search_fields = ["name", "login"]


@admin.register(Comment)
class CommentAdmin(ReindexingAdmin[Comment]):
    list_display = ["title", "poster_name", "poster_role", "posted_at", "article", "depth"]
    list_filter = ["poster_role", "posted_at"]
    search_fields = ["title", "poster_name", "=lwn_id", "body_text"]
    date_hierarchy = "posted_at"
    list_select_related = ["article"]
    raw_id_fields = ["article", "parent"]

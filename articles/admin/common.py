"""Helpers shared by the admin modules."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any, TypeVar

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles import tasks

M = TypeVar("M", bound=Model)

RAW_PREVIEW_LIMIT = 200_000


def preview(text: str) -> SafeString:
    clipped = text[:RAW_PREVIEW_LIMIT]
    note = (
        ""
        if len(text) <= RAW_PREVIEW_LIMIT
        else f"\n… ({len(text) - RAW_PREVIEW_LIMIT} more characters)"
    )
    return format_html(
        '<pre style="max-height:30em;overflow:auto;white-space:pre-wrap">{}{}</pre>', clipped, note
    )


class ReindexingAdmin(admin.ModelAdmin[M]):
    """Re-index the articles an admin change touches, once the change commits.

    The search index keeps each text's words and paywall state (subscriber-only,
    free date). Without this, an article made subscriber-only here would keep
    showing its text in search snippets, and a comment moved under a locked
    article would stay findable. ``article_field`` names the row's article
    (``None``: the row is the article).
    """

    article_field: str | None = "article"

    def _article_ids(self, objs: Iterable[M]) -> set[int]:
        column = "pk" if self.article_field is None else f"{self.article_field}_id"
        return {pk for obj in objs if (pk := getattr(obj, column, None))}

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        before = form.initial.get(self.article_field) if change and self.article_field else None
        super().save_model(request, obj, form, change)
        reindex_on_commit({*self._article_ids([obj]), *([before] if before else [])})

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        ids = self._article_ids([obj])
        super().delete_model(request, obj)
        reindex_on_commit(ids)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        ids = self._article_ids(queryset)
        super().delete_queryset(request, queryset)
        reindex_on_commit(ids)


def reindex_on_commit(article_ids: Iterable[int]) -> None:
    """Queue ``index_articles`` for these articles after the current transaction commits."""
    ids = sorted(set(article_ids))
    if ids:
        # Robust: the edit is saved either way; a broker outage is logged (with the
        # task and its ids) rather than turned into an error page after the commit.
        transaction.on_commit(partial(tasks.index_articles.delay, ids), robust=True)

"""Articles: summaries in lists, the full text by LWN id, and each one's comment thread.

Paywall: everyone sees an article's summary (title, authors, date, section,
URL, ``subscriber_only``, ``free_on``). While it is locked for the caller
(``Article.is_locked_for``) ``locked`` is true and ``body_html`` and
``body_text`` are null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.base import BrowseViewSet
from articles.api.comments import CommentThreadSerializer, comment_thread_data
from articles.api.formats import iso_date, iso_datetime
from articles.caching import article_changed_at
from articles.filters import ArticleFilter
from articles.models import Article, ArticleAuthor, Author

Row = TypeVar("Row")
# The columns a summary reads (plus the annotations of ``article_list_queryset``).
SUMMARY_COLUMNS = [
    "id",
    "lwn_id",
    "url",
    "title",
    "kind",
    "section",
    "date",
    "edition",
    "subscriber_only",
    "free_on",
    "comment_count",
    "updated_at",
]
SUMMARY_FIELDS = [
    "lwn_id",
    "url",
    "title",
    "kind",
    "section",
    "date",
    "edition",
    "authors",
    "subscriber_only",
    "free_on",
    "locked",
    "comment_count",
    "updated_at",
]


class AuthorSerializer(serializers.ModelSerializer[Author]):
    class Meta:
        model = Author
        fields = ["name", "login"]
        read_only_fields = fields


class ArticleSummarySerializer(serializers.ModelSerializer[Article]):
    """What anyone may see of any article."""

    # A plain string: items without a page of their own have an empty URL.
    url = serializers.CharField(read_only=True, help_text="On lwn.net; empty when unknown")
    edition = serializers.IntegerField(
        source="edition_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the edition"
    )
    authors = AuthorSerializer(source="byline", many=True, read_only=True)
    locked = serializers.SerializerMethodField(
        help_text="True while the text is subscriber-only for the caller"
    )

    class Meta:
        model = Article
        fields = SUMMARY_FIELDS
        read_only_fields = fields

    def get_locked(self, article: Article) -> bool:
        request = self.context.get("request")
        return request is not None and article.is_locked_for(request.user)

    def to_representation(self, instance: Article) -> dict[str, Any]:
        # Written out by hand: a list page renders 50 of these, and DRF's per-field
        # machinery costs about twenty times as much. The fields declared above still
        # describe the schema; tests check that both name the same keys and the
        # schemathesis run checks every value against the schema.
        locked = self.get_locked(instance)
        return {
            "lwn_id": instance.lwn_id,
            "url": instance.url,
            "title": instance.title,
            "kind": instance.kind,
            "section": instance.section,
            "date": iso_date(instance.date),
            "edition": instance.edition_lwn_id,  # type: ignore[attr-defined]
            "authors": bylines_of(instance),
            "subscriber_only": instance.subscriber_only,
            "free_on": iso_date(instance.free_on),
            "locked": locked,
            # A locked article's comments are its text: not even how many there are.
            "comment_count": None if locked else instance.comment_count,
            "updated_at": iso_datetime(instance.updated_at),
        }


class ArticleSerializer(ArticleSummarySerializer):
    """The summary plus the text, which is null while the article is locked."""

    body_html = serializers.CharField(
        read_only=True, allow_null=True, help_text="Sanitized HTML; null while locked"
    )
    body_text = serializers.CharField(
        read_only=True, allow_null=True, help_text="Plain text; null while locked"
    )

    class Meta(ArticleSummarySerializer.Meta):
        fields = [*SUMMARY_FIELDS, "listed_on", "body_html", "body_text"]
        read_only_fields = fields

    def to_representation(self, instance: Article) -> dict[str, Any]:
        data = super().to_representation(instance)
        locked = data["locked"]
        data["listed_on"] = instance.listed_on
        data["body_html"] = None if locked else instance.body_html
        data["body_text"] = None if locked else instance.body_text
        return data


def article_list_queryset() -> QuerySet[Article]:
    """Summaries, sortable by cursor; bodies are left in the database.

    Bylines come separately, from ``attach_bylines`` once the page is known.
    """
    return Article.objects.only(*SUMMARY_COLUMNS).annotate(
        edition_lwn_id=F("edition__lwn_id"),
        # Cursor pagination needs non-null sort columns; undated items sort oldest.
        sort_date=Coalesce("date", Value(dt.date.min)),
        sort_lwn_id=Coalesce("lwn_id", Value(0)),
    )


def attach_bylines(articles: Iterable[Article]) -> None:
    """Give each article its byline as ``bylines``, from one query for all of them.

    Plain rows rather than ``prefetch_related``: for a page of 50 summaries that
    skips some 150 model instances and 50 queryset clones.
    """
    by_id: dict[int, Article] = {a.pk: a for a in articles}
    for article in by_id.values():
        article.bylines = []  # type: ignore[attr-defined]
    rows = (
        ArticleAuthor.objects.filter(article_id__in=list(by_id))
        .order_by("article_id", "position")
        .values_list("article_id", "author__name", "author__login")
    )
    for article_id, name, login in rows if by_id else ():
        by_id[article_id].bylines.append({"name": name, "login": login})  # type: ignore[attr-defined]


def bylines_of(article: Article) -> list[dict[str, str | None]]:
    bylines: list[dict[str, str | None]] | None = getattr(article, "bylines", None)
    if bylines is None:  # not attached: one query, for callers outside the API views
        bylines = [{"name": a.name, "login": a.login} for a in article.byline]
    return bylines


@extend_schema_view(
    list=extend_schema(summary="Articles, newest first (summaries)"),
    retrieve=extend_schema(summary="One article by its LWN id, with its text unless locked"),
)
class ArticleViewSet(BrowseViewSet[Article]):
    """Features, guest articles and brief items of every edition."""

    lookup_field = "lwn_id"
    lookup_value_regex = r"[0-9]+"
    filterset_class = ArticleFilter
    ordering_map = {"date": "sort_date", "lwn_id": "sort_lwn_id", "title": "title"}
    ordering = ["-date"]

    def get_queryset(self) -> QuerySet[Article]:
        if self.action == "comments":
            return Article.objects.only("pk", "lwn_id", "subscriber_only", "free_on")
        if self.action == "retrieve":
            return Article.objects.defer("curated_fields").annotate(
                edition_lwn_id=F("edition__lwn_id")
            )
        return article_list_queryset()

    def paginate_queryset(self, queryset: QuerySet[Article, Row]) -> list[Row] | None:
        page = super().paginate_queryset(queryset)
        attach_bylines(cast("list[Article]", page or []))
        return page

    def get_object(self) -> Article:
        article = super().get_object()
        if self.action == "retrieve":
            attach_bylines([article])
        return article

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Article]]:
        return ArticleSerializer if self.action == "retrieve" else ArticleSummarySerializer

    def changed_at(self, obj: Any) -> dt.datetime | None:
        return article_changed_at(obj)

    @extend_schema(
        summary="The article's comments as a tree",
        description="Replies are nested under `replies`, in LWN's display order. While the "
        "article is locked for the caller, `locked` is true and `comments` is empty.",
        responses=CommentThreadSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def comments(
        self, request: Request, lwn_id: str | None = None, format: str | None = None
    ) -> Response:
        """One article's whole thread, nested, from one ordered query."""
        # ``format`` comes from the router's suffix route (``comments.json``); the
        # renderer has already used it.
        article = self.get_object()
        # Comments carry no modification time, so only the ETag can vouch for them.
        self.last_modified_known = False
        return Response(comment_thread_data(article=article, user=request.user))

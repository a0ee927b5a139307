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
from articles.api.links import Links, links_for, lwn_article_url
from articles.caching import article_changed_at
from articles.filters import ArticleFilter
from articles.models import Article, ArticleAuthor, Author
from articles.selectors.article_entities import ArticleEntity, article_entities

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
    "html_url",
    "lwn_url",
    "comments_url",
    "title",
    "kind",
    "section",
    "date",
    "edition",
    "edition_url",
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

    # Items without an LWN id (brief items with no page of their own) have no detail
    # endpoint or page here: their links are null.
    url = serializers.URLField(read_only=True, allow_null=True, help_text="This article in the API")
    html_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="This article's page on this site"
    )
    lwn_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="On lwn.net; null when unknown"
    )
    comments_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The comment thread in the API"
    )
    section = serializers.CharField(read_only=True, allow_null=True)
    edition = serializers.IntegerField(
        source="edition_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the edition"
    )
    edition_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The edition in the API"
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
        links = links_for(self.context)
        lwn_id = instance.lwn_id
        url = links.article(lwn_id)
        edition: int | None = instance.edition_lwn_id  # type: ignore[attr-defined]
        return {
            "lwn_id": lwn_id,
            "url": url,
            "html_url": links.article_page(lwn_id),
            "lwn_url": lwn_article_url(lwn_id, instance.url),
            "comments_url": f"{url}comments/" if url else None,
            "title": instance.title,
            "kind": instance.kind,
            "section": instance.section or None,
            "date": iso_date(instance.date),
            "edition": edition,
            "edition_url": links.edition(edition),
            "authors": bylines_of(instance),
            "subscriber_only": instance.subscriber_only,
            "free_on": iso_date(instance.free_on),
            "locked": locked,
            # A locked article's comments are its text: not even how many there are.
            "comment_count": None if locked else instance.comment_count,
            "updated_at": iso_datetime(instance.updated_at),
        }


class ArticleEntitySerializer(serializers.Serializer[ArticleEntity]):
    """An entity the article names (in its text, merge-window items or hardware list)."""

    kind = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField(help_text="The entity in the API")
    html_url = serializers.URLField(help_text="The entity's page on this site")
    mentions = serializers.IntegerField(help_text="How often this article names it")


def article_entity_data(rows: Iterable[ArticleEntity], links: Links) -> list[dict[str, Any]]:
    return [
        {
            "kind": row.kind,
            "name": row.name,
            "url": links.entity(row.kind, row.name),
            "html_url": links.entity_page(row.kind, row.name),
            "mentions": row.mentions,
        }
        for row in rows
    ]


class ArticleSerializer(ArticleSummarySerializer):
    """The summary plus the text, which is null while the article is locked."""

    body_html = serializers.CharField(
        read_only=True, allow_null=True, help_text="Sanitized HTML; null while locked or empty"
    )
    body_text = serializers.CharField(
        read_only=True, allow_null=True, help_text="Plain text; null while locked or empty"
    )
    entities = ArticleEntitySerializer(
        many=True,
        read_only=True,
        help_text="Entities it names, most mentioned first; all: entities/?article=<lwn id>",
    )

    class Meta(ArticleSummarySerializer.Meta):
        fields = [*SUMMARY_FIELDS, "listed_on", "body_html", "body_text", "entities"]
        read_only_fields = fields

    def to_representation(self, instance: Article) -> dict[str, Any]:
        data = super().to_representation(instance)
        locked = data["locked"]
        data["listed_on"] = instance.listed_on
        data["body_html"] = None if locked else instance.body_html or None
        data["body_text"] = None if locked else instance.body_text or None
        rows: list[ArticleEntity] = getattr(instance, "entity_rows", [])
        data["entities"] = article_entity_data(rows, links_for(self.context))
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
        by_id[article_id].bylines.append({"name": name, "login": login or None})  # type: ignore[attr-defined]


def bylines_of(article: Article) -> list[dict[str, str | None]]:
    bylines: list[dict[str, str | None]] | None = getattr(article, "bylines", None)
    if bylines is None:  # not attached: one query, for callers outside the API views
        bylines = [{"name": a.name, "login": a.login or None} for a in article.byline]
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
            article.entity_rows = article_entities(article=article, user=self.request.user)
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
        context = self.get_serializer_context()
        return Response(comment_thread_data(article=article, user=request.user, context=context))

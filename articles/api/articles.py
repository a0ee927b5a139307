"""Articles: summaries in lists, the full text by LWN id, and each one's comment thread.

Paywall: everyone sees an article's summary (title, authors, date, section,
URL, ``subscriber_only``, ``free_on``). While it is locked for the caller
(``Article.is_locked_for``) ``locked`` is true and ``body_html`` and
``body_text`` are null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, cast

from django.db.models import F, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.base import BrowseViewSet
from articles.api.comments import CommentThreadSerializer, comment_thread_data
from articles.api.errors import not_found_message
from articles.api.formats import iso_date, iso_datetime
from articles.api.links import Links, links_for, lwn_article_url
from articles.api.permissions import reads_subscriber_content
from articles.caching import article_changed_at
from articles.filters import ArticleFilter
from articles.models import Article, Author
from articles.models.articles import paywalled_on
from articles.selectors.article_entities import ArticleEntity, article_entities
from articles.selectors.articles import article_bylines, article_detail, article_summary_rows

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
        # Written out by hand (``summary_data``): a list page renders 50 of these, and
        # DRF's per-field machinery costs about twenty times as much. The fields
        # declared above still describe the schema; tests check that both name the
        # same keys and the schemathesis run checks every value against the schema.
        return summary_data(
            cast("SummaryRow", instance),
            links_for(self.context),
            locked=self.get_locked(instance),
            authors=bylines_of(instance),
        )


class SummaryRow(Protocol):
    """What ``summary_data`` reads: an ``Article`` annotated with ``edition_lwn_id``, or a
    row of ``article_summary_rows``."""

    @property
    def lwn_id(self) -> int | None: ...
    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def edition_lwn_id(self) -> int | None: ...
    @property
    def subscriber_only(self) -> bool: ...
    @property
    def free_on(self) -> dt.date | None: ...
    @property
    def comment_count(self) -> int | None: ...
    @property
    def updated_at(self) -> dt.datetime: ...


def summary_data(
    row: SummaryRow,
    links: Links,
    *,
    locked: bool,
    authors: list[dict[str, str | None]],
    tz: dt.tzinfo | None = None,
) -> dict[str, Any]:
    """One article summary as the API writes it (``ArticleSummarySerializer``'s fields)."""
    lwn_id = row.lwn_id
    url = links.article(lwn_id)
    edition = row.edition_lwn_id
    return {
        "lwn_id": lwn_id,
        "url": url,
        "html_url": links.article_page(lwn_id),
        "lwn_url": lwn_article_url(lwn_id, row.url),
        "comments_url": f"{url}comments/" if url else None,
        "title": row.title,
        "kind": row.kind,
        "section": row.section or None,
        "date": iso_date(row.date),
        "edition": edition,
        "edition_url": links.edition(edition),
        "authors": authors,
        "subscriber_only": row.subscriber_only,
        "free_on": iso_date(row.free_on),
        "locked": locked,
        # A locked article's comments are its text: not even how many there are.
        "comment_count": None if locked else row.comment_count,
        "updated_at": iso_datetime(row.updated_at, tz),
    }


def locked_today(row: SummaryRow, *, today: dt.date, reads_subscriber: bool) -> bool:
    """``Article.is_locked_for`` for a summary row, with the caller's rights decided once."""
    if reads_subscriber:
        return False
    return paywalled_on(subscriber_only=row.subscriber_only, free_on=row.free_on, day=today)


def summaries_data(rows: Sequence[Any], request: Request) -> list[dict[str, Any]]:
    """A page of ``article_summary_rows`` as the API writes it, bylines from one query.

    What is the same for every row (the caller's paywall rights, today, the links'
    origin, the time zone) is decided once for the page.
    """
    links = links_for({"request": request})
    bylines = article_bylines(row.pk for row in rows)
    reads_subscriber = reads_subscriber_content(request.user)
    today = timezone.now().date()
    tz = timezone.get_current_timezone()
    return [
        summary_data(
            row,
            links,
            locked=locked_today(row, today=today, reads_subscriber=reads_subscriber),
            authors=bylines[row.pk],
            tz=tz,
        )
        for row in rows
    ]


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


def attach_bylines(articles: Iterable[Article]) -> None:
    """Give each article its byline as ``bylines``, from one query for all of them."""
    by_id: dict[int, Article] = {a.pk: a for a in articles}
    for pk, bylines in article_bylines(by_id).items():
        by_id[pk].bylines = bylines  # type: ignore[attr-defined]


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
            # Read by hand in ``get_object``; this says what the detail reads.
            return Article.objects.defer("curated_fields").annotate(
                edition_lwn_id=F("edition__lwn_id")
            )
        return article_summary_rows()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Rows, not instances, and summaries built by ``summaries_data`` rather than
        # through the serializer: see ``article_summary_rows``.
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(summaries_data(rows or [], request))

    def get_object(self) -> Article:
        if self.action != "retrieve":
            return super().get_object()
        # The detail by hand rather than through DRF's get_object and the ORM (see
        # ``article_detail``); what they would do besides is done here too.
        value = self.kwargs[self.lookup_field]
        article = article_detail(lwn_id=int(value))
        if article is None:
            raise NotFound(not_found_message(Article, self.lookup_field, value))
        self.check_object_permissions(self.request, article)
        self._note([article])
        attach_bylines([article])
        article.entity_rows = article_entities(article=article, user=self.request.user)  # type: ignore[attr-defined]
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

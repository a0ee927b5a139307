"""Weekly editions by LWN id; the detail lists the edition's items in page order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from articles.api.articles import ArticleSummarySerializer, summaries_data
from articles.api.base import BrowseViewSet
from articles.api.filters import EditionFilter
from articles.api.formats import iso_date, iso_datetime
from articles.api.links import links_for, lwn_article_url
from articles.caching import article_changed_at, latest
from articles.models import Edition
from articles.selectors.articles import article_summary_rows
from articles.selectors.editions import with_article_counts


class EditionSerializer(serializers.ModelSerializer[Edition]):
    url = serializers.URLField(
        read_only=True, allow_null=True, help_text="This edition in the API (null without LWN id)"
    )
    html_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="This edition's page on this site"
    )
    lwn_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="On lwn.net; null when unknown"
    )
    articles_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="Its articles in the API (articles/?edition=)"
    )
    title = serializers.CharField(read_only=True, allow_null=True)
    article_count = serializers.IntegerField(read_only=True, help_text="Items in the edition")
    parser_version = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Edition
        fields = [
            "lwn_id",
            "url",
            "html_url",
            "lwn_url",
            "articles_url",
            "date",
            "title",
            "article_count",
            "parsed_at",
            "parser_version",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Edition) -> dict[str, Any]:
        # By hand, like ArticleSummarySerializer.
        links = links_for(self.context)
        lwn_id = instance.lwn_id
        return {
            "lwn_id": lwn_id,
            "url": links.edition(lwn_id),
            "html_url": links.edition_page(lwn_id),
            "lwn_url": lwn_article_url(lwn_id, instance.url),
            "articles_url": links.api_list("article", edition=lwn_id) if lwn_id else None,
            "date": iso_date(instance.date),
            "title": instance.title or None,
            "article_count": instance.article_count,  # type: ignore[attr-defined]
            "parsed_at": iso_datetime(instance.parsed_at),
            "parser_version": instance.parser_version or None,
            "updated_at": iso_datetime(instance.updated_at),
        }


class EditionDetailSerializer(EditionSerializer):
    articles = ArticleSummarySerializer(many=True, read_only=True, help_text="In page order")

    class Meta(EditionSerializer.Meta):
        fields = [*EditionSerializer.Meta.fields, "articles"]
        read_only_fields = fields

    def to_representation(self, instance: Edition) -> dict[str, Any]:
        data = super().to_representation(instance)
        # The article list's own rows and writer (``summaries_data``), read by the view.
        data["articles"] = summaries_data(instance.summary_rows, self.context["request"])  # type: ignore[attr-defined]
        return data


@extend_schema_view(
    list=extend_schema(summary="Editions, newest first"),
    retrieve=extend_schema(summary="One edition by its LWN id, with its items"),
)
class EditionViewSet(BrowseViewSet[Edition]):
    """LWN Weekly Editions."""

    lookup_field = "lwn_id"
    lookup_value_regex = r"[0-9]+"
    filterset_class = EditionFilter
    ordering_map = {"date": "sort_date", "lwn_id": "lwn_id"}
    ordering = ["-date"]

    def get_queryset(self) -> QuerySet[Edition]:
        # Counted per edition returned (a subquery), where a join and GROUP BY counted
        # every article of the archive for each page: 207 ms a page at full size.
        return with_article_counts(
            Edition.objects.annotate(sort_date=Coalesce("date", Value(dt.date.min)))
        )

    def get_object(self) -> Edition:
        edition = super().get_object()
        rows = article_summary_rows().filter(edition_id=edition.pk).order_by("position")
        edition.summary_rows = list(rows)
        return edition

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Edition]]:
        return EditionDetailSerializer if self.action == "retrieve" else EditionSerializer

    def changed_at(self, obj: Any) -> dt.datetime | None:
        if self.action != "retrieve":
            return obj.updated_at
        return latest([obj.updated_at, *(article_changed_at(a) for a in obj.summary_rows)])

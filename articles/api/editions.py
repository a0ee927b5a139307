"""Weekly editions by LWN id; the detail lists the edition's items in page order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from articles.api.articles import (
    ArticleSummarySerializer,
    article_list_queryset,
    attach_bylines,
)
from articles.api.base import BrowseViewSet
from articles.api.filters import EditionFilter
from articles.caching import article_changed_at, latest
from articles.models import Edition


class EditionSerializer(serializers.ModelSerializer[Edition]):
    article_count = serializers.IntegerField(read_only=True, help_text="Items in the edition")
    url = serializers.CharField(read_only=True, help_text="On lwn.net; empty when unknown")

    class Meta:
        model = Edition
        fields = [
            "lwn_id",
            "date",
            "title",
            "url",
            "article_count",
            "parsed_at",
            "parser_version",
            "updated_at",
        ]
        read_only_fields = fields


class EditionDetailSerializer(EditionSerializer):
    articles = ArticleSummarySerializer(many=True, read_only=True, help_text="In page order")

    class Meta(EditionSerializer.Meta):
        fields = [*EditionSerializer.Meta.fields, "articles"]
        read_only_fields = fields


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
        editions = Edition.objects.annotate(
            article_count=Count("articles"), sort_date=Coalesce("date", Value(dt.date.min))
        )
        if self.action == "retrieve":
            items = article_list_queryset().order_by("position")
            editions = editions.prefetch_related(Prefetch("articles", queryset=items))
        return editions

    def get_object(self) -> Edition:
        edition = super().get_object()
        attach_bylines(edition.articles.all())
        return edition

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Edition]]:
        return EditionDetailSerializer if self.action == "retrieve" else EditionSerializer

    def changed_at(self, obj: Any) -> dt.datetime | None:
        if self.action != "retrieve":
            return obj.updated_at
        return latest([obj.updated_at, *(article_changed_at(a) for a in obj.articles.all())])

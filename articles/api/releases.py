"""Kernel releases and their merge-window items.

``/releases/<version>/`` gathers a release: its merge-window items grouped by
LWN's headings in page order, its hardware list by category, the articles
they come from, and the neighbouring releases. Items and devices taken from an
article still locked for the caller are left out (they are its text).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.base import BrowseViewSet
from articles.api.filters import MappedOrderingFilter, MergeWindowItemFilter, release_key
from articles.api.formats import iso_date, iso_datetime
from articles.api.hardware import HardwareDeviceSerializer, hardware_devices
from articles.api.links import links_for, lwn_article_url
from articles.api.permissions import hide_locked
from articles.api.sync import UpdatedAfterFilter
from articles.models import Article, HardwareDevice, KernelRelease, MergeWindowItem


class ReleaseSerializer(serializers.ModelSerializer[KernelRelease]):
    url = serializers.URLField(read_only=True, help_text="This release in the API")
    html_url = serializers.URLField(read_only=True, help_text="This release's page on this site")
    items_url = serializers.URLField(
        read_only=True, help_text="Its merge-window items (merge-window-items/?release=)"
    )
    hardware_url = serializers.URLField(
        read_only=True, help_text="Its devices (hardware/?release=)"
    )
    articles_url = serializers.URLField(
        read_only=True, help_text="The articles listing them (articles/?release=)"
    )
    item_count = serializers.IntegerField(read_only=True, help_text="Merge-window items")
    device_count = serializers.IntegerField(read_only=True, help_text="Hardware devices")

    class Meta:
        model = KernelRelease
        fields = ["version", "url", "html_url", "items_url", "hardware_url", "articles_url"]
        fields += ["major", "minor", "patch", "item_count", "device_count"]
        fields += ["updated_at"]
        read_only_fields = fields

    def to_representation(self, instance: KernelRelease) -> dict[str, Any]:
        links = links_for(self.context)
        version = instance.version
        return {
            "version": version,
            "url": links.release(version),
            "html_url": links.release_page(version),
            "items_url": links.api_list("merge-window-item", release=version),
            "hardware_url": links.api_list("hardware", release=version),
            "articles_url": links.api_list("article", release=version),
            "major": instance.major,
            "minor": instance.minor,
            "patch": instance.patch,
            "item_count": instance.item_count,  # type: ignore[attr-defined]
            "device_count": instance.device_count,  # type: ignore[attr-defined]
            "updated_at": iso_datetime(instance.updated_at),
        }


class MergeWindowItemSerializer(serializers.ModelSerializer[MergeWindowItem]):
    url = serializers.URLField(read_only=True, help_text="This item in the API")
    html_url = serializers.URLField(read_only=True, help_text="The item in its release's page")
    release = serializers.CharField(source="release_version", read_only=True)
    release_url = serializers.URLField(read_only=True, help_text="The release in the API")
    article = serializers.IntegerField(
        source="article_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the article"
    )
    article_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The article in the API"
    )
    html = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = MergeWindowItem
        fields = ["id", "url", "html_url", "release", "release_url", "article", "article_url"]
        fields += ["part", "group", "group_position", "position", "text", "html", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance: MergeWindowItem) -> dict[str, Any]:
        # By hand, like ArticleSummarySerializer: a release page renders hundreds.
        links = links_for(self.context)
        release: str = instance.release_version  # type: ignore[attr-defined]
        article: int | None = instance.article_lwn_id  # type: ignore[attr-defined]
        return {
            "id": instance.pk,
            "url": links.merge_item(instance.pk),
            "html_url": links.merge_item_page(release, instance.pk),
            "release": release,
            "release_url": links.release(release),
            "article": article,
            "article_url": links.article(article),
            "part": instance.part,
            "group": instance.group,
            "group_position": instance.group_position,
            "position": instance.position,
            "text": instance.text,
            "html": instance.html or None,
            "updated_at": iso_datetime(instance.updated_at),
        }


class ArticleRefSerializer(serializers.ModelSerializer[Article]):
    url = serializers.URLField(read_only=True, allow_null=True, help_text="The article in the API")
    html_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The article's page on this site"
    )
    lwn_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="On lwn.net; null when unknown"
    )

    class Meta:
        model = Article
        fields = ["lwn_id", "url", "html_url", "lwn_url", "title", "date"]
        read_only_fields = fields

    def to_representation(self, instance: Article) -> dict[str, Any]:
        links = links_for(self.context)
        return {
            "lwn_id": instance.lwn_id,
            "url": links.article(instance.lwn_id),
            "html_url": links.article_page(instance.lwn_id),
            "lwn_url": lwn_article_url(instance.lwn_id, instance.url),
            "title": instance.title,
            "date": iso_date(instance.date),
        }


class ItemGroupSerializer(serializers.Serializer[dict[str, Any]]):
    heading = serializers.CharField(help_text='LWN\'s group heading, e.g. "Core kernel"')
    items = MergeWindowItemSerializer(many=True)


class DeviceCategorySerializer(serializers.Serializer[dict[str, Any]]):
    category = serializers.CharField(help_text='e.g. "Graphics"')
    devices = HardwareDeviceSerializer(many=True)


class ReleaseDetailSerializer(ReleaseSerializer):
    previous = serializers.CharField(allow_null=True, help_text="The release before, if stored")
    previous_url = serializers.URLField(allow_null=True, help_text="It in the API")
    next = serializers.CharField(allow_null=True, help_text="The release after, if stored")
    next_url = serializers.URLField(allow_null=True, help_text="It in the API")
    groups = ItemGroupSerializer(many=True, help_text="Merge-window items by heading, in order")
    hardware = DeviceCategorySerializer(many=True, help_text="Hardware support by category")
    articles = ArticleRefSerializer(many=True, help_text="The articles listing them")

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "previous", "previous_url", "next", "next_url"]
        fields += ["groups", "hardware", "articles"]
        read_only_fields = fields


def merge_items(queryset: QuerySet[MergeWindowItem]) -> QuerySet[MergeWindowItem]:
    return queryset.annotate(
        release_version=F("release__version"), article_lwn_id=F("article__lwn_id")
    )


@extend_schema_view(
    list=extend_schema(summary="Kernel releases, newest first"),
    retrieve=extend_schema(
        summary="One release: merge-window items by heading, hardware by category",
        responses=ReleaseDetailSerializer,
    ),
)
class ReleaseViewSet(BrowseViewSet[KernelRelease]):
    """Mainline kernel releases that LWN's merge-window summaries cover."""

    serializer_class = ReleaseSerializer
    lookup_field = "version"
    lookup_value_regex = r"[0-9]+\.[0-9]+(?:\.[0-9]+)?"
    filter_backends = [UpdatedAfterFilter, MappedOrderingFilter]
    ordering_map = {"version": "release_key"}
    ordering = ["-version"]

    def get_queryset(self) -> QuerySet[KernelRelease]:
        # Counts follow the rows: a locked article's items and devices are not counted.
        return KernelRelease.objects.with_counts_for(self.request.user).annotate(
            release_key=release_key()
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The release page as data, in a fixed number of queries."""
        release = self.get_object()
        items = merge_items(MergeWindowItem.objects.filter(release=release))
        items = hide_locked(items, request.user, via="article").order_by(
            "part", "article__date", "group_position", "position"
        )
        groups: dict[str, list[MergeWindowItem]] = {}
        for item in items:
            groups.setdefault(item.group, []).append(item)
        devices = hide_locked(
            hardware_devices(HardwareDevice.objects.filter(release=release)),
            request.user,
            via="article",
        ).order_by("category", "position")
        hardware: dict[str, list[HardwareDevice]] = {}
        for device in devices:
            hardware.setdefault(device.category, []).append(device)
        sources = {i.article_id for g in groups.values() for i in g}
        sources |= {d.article_id for c in hardware.values() for d in c}
        articles = Article.objects.filter(pk__in=sources).only("lwn_id", "title", "date", "url")
        others = KernelRelease.objects.annotate(key=release_key()).values_list("version", flat=True)
        key = release.release_key
        previous = others.filter(key__lt=key).order_by("-key").first()
        following = others.filter(key__gt=key).order_by("key").first()
        context = self.get_serializer_context()
        links = links_for(context)
        item_fields = MergeWindowItemSerializer(context=context)
        device_fields = HardwareDeviceSerializer(context=context)
        ref = ArticleRefSerializer(context=context)
        data = {
            **ReleaseSerializer(release, context=context).data,
            "previous": previous,
            "previous_url": links.release(previous),
            "next": following,
            "next_url": links.release(following),
            "groups": [
                {"heading": heading, "items": [item_fields.to_representation(i) for i in rows]}
                for heading, rows in groups.items()
            ],
            "hardware": [
                {
                    "category": category,
                    "devices": [device_fields.to_representation(d) for d in rows],
                }
                for category, rows in hardware.items()
            ],
            "articles": [ref.to_representation(a) for a in articles.order_by("date", "pk")],
        }
        return Response(data)


@extend_schema_view(
    list=extend_schema(summary="Merge-window items"),
    retrieve=extend_schema(summary="One merge-window item"),
)
class MergeWindowItemViewSet(BrowseViewSet[MergeWindowItem]):
    """The bullets of LWN's merge-window summaries, filterable by release, group and text."""

    serializer_class = MergeWindowItemSerializer
    filterset_class = MergeWindowItemFilter
    ordering_map = {"id": "id", "release": "release_key"}
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[MergeWindowItem]:
        items = merge_items(MergeWindowItem.objects.all()).annotate(
            release_key=release_key("release__")
        )
        return hide_locked(items, self.request.user, via="article")

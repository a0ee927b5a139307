"""Hardware named in merge-window hardware-support lists, searchable by device name."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from articles.api.base import BrowseViewSet
from articles.api.filters import HardwareFilter, release_key
from articles.api.formats import iso_datetime
from articles.api.links import links_for
from articles.api.permissions import hide_locked
from articles.models import HardwareDevice


class HardwareDeviceSerializer(serializers.ModelSerializer[HardwareDevice]):
    url = serializers.URLField(read_only=True, help_text="This device in the API")
    html_url = serializers.URLField(
        read_only=True, help_text="Its release's hardware list of its category, on this site"
    )
    release = serializers.CharField(source="release_version", read_only=True)
    release_url = serializers.URLField(read_only=True, help_text="The release in the API")
    article = serializers.IntegerField(
        source="article_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the article"
    )
    article_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The article in the API"
    )

    class Meta:
        model = HardwareDevice
        fields = ["id", "url", "html_url", "name", "category", "release", "release_url"]
        fields += ["article", "article_url", "position", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance: HardwareDevice) -> dict[str, Any]:
        # By hand, like ArticleSummarySerializer: a release page renders hundreds.
        links = links_for(self.context)
        release: str = instance.release_version  # type: ignore[attr-defined]
        article: int | None = instance.article_lwn_id  # type: ignore[attr-defined]
        return {
            "id": instance.pk,
            "url": links.device(instance.pk),
            "html_url": links.device_page(release, instance.category),
            "name": instance.name,
            "category": instance.category,
            "release": release,
            "release_url": links.release(release),
            "article": article,
            "article_url": links.article(article),
            "position": instance.position,
            "updated_at": iso_datetime(instance.updated_at),
        }


def hardware_devices(queryset: QuerySet[HardwareDevice]) -> QuerySet[HardwareDevice]:
    """Devices with the release version and article id the serializer shows, no joins later."""
    return queryset.annotate(
        release_version=F("release__version"), article_lwn_id=F("article__lwn_id")
    )


@extend_schema_view(
    list=extend_schema(summary="Hardware devices; q searches the device name"),
    retrieve=extend_schema(summary="One hardware device"),
)
class HardwareViewSet(BrowseViewSet[HardwareDevice]):
    """Devices by category and release, as LWN listed them."""

    serializer_class = HardwareDeviceSerializer
    filterset_class = HardwareFilter
    ordering_map = {"id": "id", "name": "name", "category": "category", "release": "release_key"}
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[HardwareDevice]:
        devices = hardware_devices(HardwareDevice.objects.all()).annotate(
            release_key=release_key("release__")
        )
        return hide_locked(devices, self.request.user, via="article")

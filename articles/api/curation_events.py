"""``/api/v1/curation/events/``: the curation trail, read-only, for curators and staff.

Every mention decision, manual mention, rename, merge, alias change and "free
now", from admin or the API, with who, when and the before and after. Newest
first, cursor-paged; filter by ``action``, ``target_kind``, ``target_key`` or
``user`` (a username).
"""

from __future__ import annotations

import datetime as dt

import django_filters as df
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from articles.api.base import BrowseViewSet
from articles.api.permissions import IsCuratorOrStaff
from articles.models import CurationAction, CurationEvent, CurationTarget


class CurationEventSerializer(serializers.ModelSerializer[CurationEvent]):
    user = serializers.CharField(source="username", help_text="Who; kept if the account goes")
    details = serializers.DictField(help_text="What changed: `before` and `after`, and context")

    class Meta:
        model = CurationEvent
        fields = ["id", "action", "target_kind", "target_key", "user", "at", "details"]
        read_only_fields = fields


class CurationEventFilter(df.FilterSet):
    action = df.ChoiceFilter(choices=CurationAction.choices)
    target_kind = df.ChoiceFilter(choices=CurationTarget.choices)
    target_key = df.CharFilter(help_text="e.g. syscall/faccessat2, an LWN id, a mention id")
    user = df.CharFilter(field_name="username", help_text="A username")

    class Meta:
        model = CurationEvent
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="The curation trail, newest first (curators and staff)"),
    retrieve=extend_schema(summary="One curation event (curators and staff)"),
)
class CurationEventViewSet(BrowseViewSet[CurationEvent]):
    """Who curated what, when, from what to what."""

    serializer_class = CurationEventSerializer
    permission_classes = [IsAuthenticated, IsCuratorOrStaff]
    filterset_class = CurationEventFilter
    ordering_map = {"at": "at", "id": "pk"}
    ordering = ["-at"]
    # Events are written once: ``updated_after`` reads the time they were recorded.
    sync_field = "at"

    def get_queryset(self) -> QuerySet[CurationEvent]:
        return CurationEvent.objects.all()

    def changed_at(self, obj: CurationEvent) -> dt.datetime | None:
        return obj.at  # events are never changed once written

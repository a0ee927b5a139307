"""``/api/v1/deletions/``: what left the API's lists, oldest first, by cursor.

Each row names the list (``kind``, the resource name in the URL), the key the
row had there (an LWN id, a release version, an id, or ``kind:name`` for an
entity) and ``deleted_at``. ``updated_after`` works as on every list, on
``deleted_at``. Mentions and import runs, whose lists are for curators and
staff, are left out for everyone else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from articles.api.caching import ConditionalGetMixin
from articles.api.pagination import CountedCursorPagination
from articles.api.permissions import IsCuratorOrStaff
from articles.api.sync import UpdatedAfterFilter
from articles.filters import ChoiceFilter
from articles.models import Tombstone, TombstoneKind

# The kinds whose lists only curators and staff may read.
CURATORS_ONLY = (TombstoneKind.MENTION, TombstoneKind.IMPORT_RUN)


class TombstoneSerializer(serializers.ModelSerializer[Tombstone]):
    class Meta:
        model = Tombstone
        fields = ["kind", "key", "deleted_at"]
        read_only_fields = fields


class TombstoneFilter(df.FilterSet):
    kind = ChoiceFilter(choices=TombstoneKind.choices, help_text="Only deletions from this list")

    class Meta:
        model = Tombstone
        fields: list[str] = []


class DeletionPagination(CountedCursorPagination):
    sort = ("deleted_at", "pk")


@extend_schema_view(list=extend_schema(summary="Rows deleted from the lists, oldest first"))
class DeletionViewSet(
    ConditionalGetMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Tombstone]
):
    """Tombstones of deleted editions, articles, comments, entities and the rest."""

    serializer_class = TombstoneSerializer
    filter_backends = [UpdatedAfterFilter, DjangoFilterBackend]
    filterset_class = TombstoneFilter
    pagination_class = DeletionPagination
    sync_field = "deleted_at"

    def get_queryset(self) -> QuerySet[Tombstone]:
        tombstones = Tombstone.objects.all()
        if not IsCuratorOrStaff().has_permission(self.request, self):
            tombstones = tombstones.exclude(kind__in=CURATORS_ONLY)
        return tombstones

    def changed_at(self, obj: Any) -> dt.datetime | None:
        return obj.deleted_at

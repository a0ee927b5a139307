"""The import audit trail, for staff only.

Everyone else gets 401 (no credentials) or 403, whatever the id: the answer
never depends on whether a run exists, so nothing leaks. The endpoint itself
is documented in the public schema, so hiding it behind 404 would gain nothing.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser

from articles.api.base import BrowseViewSet
from articles.api.filters import ImportRunFilter
from articles.models import ImportRun


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    counts = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="What changed, by kind"
    )
    edition = serializers.IntegerField(
        source="edition_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the edition"
    )
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ImportRun
        fields = ["id", "source", "started_at", "finished_at", "duration_seconds", "outcome"]
        fields += ["counts", "error", "edition", "raw_page", "parser_version"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Import runs, newest first (staff only)"),
    retrieve=extend_schema(summary="One import run (staff only)"),
)
class ImportRunViewSet(BrowseViewSet[ImportRun]):
    """What every import did: source, outcome, counts and error."""

    serializer_class = ImportRunSerializer
    permission_classes = [IsAdminUser]
    filterset_class = ImportRunFilter
    ordering_map = {"started_at": "started_at", "id": "id"}
    ordering = ["-started_at"]

    def get_queryset(self) -> QuerySet[ImportRun]:
        return ImportRun.objects.annotate(edition_lwn_id=F("edition__lwn_id"))

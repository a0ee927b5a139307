"""The import audit trail: staff see every run, curators the runs they started.

A curator polls the run an action answered with (``Location``); someone else's
run is 404 to them, as if unknown. Anonymous callers get 401 and subscribers 403
whatever the id: for them the answer never depends on whether a run exists.

Each run carries its parse warnings (code, where, message), as ``/imports/`` shows
them; ``?warning=CODE`` lists the runs that gave one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from articles.api.base import BrowseViewSet
from articles.api.filters import ImportRunFilter
from articles.api.links import links_for
from articles.api.permissions import IsCuratorOrStaff
from articles.models import ImportRun
from articles.models.imports import ImportWarning
from articles.selectors.imports import import_runs_warnings_load


class ImportWarningSerializer(serializers.ModelSerializer[ImportWarning]):
    class Meta:
        model = ImportWarning
        fields = ["code", "where", "message"]
        read_only_fields = fields


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    counts = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="What changed, by kind"
    )
    edition = serializers.IntegerField(
        source="edition_lwn_id", allow_null=True, read_only=True, help_text="LWN id of the edition"
    )
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)
    started_by = serializers.CharField(
        source="started_by.username",
        allow_null=True,
        read_only=True,
        help_text="Who asked for it through the API (null for imports by command or schedule)",
    )
    url = serializers.SerializerMethodField(help_text="This run in the API")
    # Runs have no page of their own (staff see them all on /imports/).
    html_url = serializers.SerializerMethodField(help_text="Always null")
    warnings = serializers.SerializerMethodField(
        help_text="Parse warnings, in the order the parser found them (articles/lwn/warnings.py)"
    )

    class Meta:
        model = ImportRun
        fields = ["id", "url", "html_url", "source", "started_at", "finished_at"]
        fields += ["duration_seconds", "outcome"]
        fields += ["counts", "error", "edition", "raw_page", "parser_version", "started_by"]
        fields += ["warnings"]
        fields += ["updated_at"]
        read_only_fields = fields

    def get_url(self, run: ImportRun) -> str:
        return links_for(self.context).api("import-run-detail", "pk", run.pk)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_html_url(self, run: ImportRun) -> None:
        return None

    @extend_schema_field(ImportWarningSerializer(many=True))
    def get_warnings(self, run: ImportRun) -> list[dict[str, Any]]:
        # Loaded by the view for the runs that have any (import_runs_warnings_load);
        # the count says which, so a run without warnings costs no query.
        if not run.counts.get("warnings"):
            return []
        return ImportWarningSerializer(run.parse_warnings.all(), many=True).data  # type: ignore[return-value]


@extend_schema_view(
    list=extend_schema(summary="Import runs, newest first (staff: all; curators: their own)"),
    retrieve=extend_schema(summary="One import run (staff: any; curators: their own)"),
)
class ImportRunViewSet(BrowseViewSet[ImportRun]):
    """What every import did: source, outcome, counts and error."""

    serializer_class = ImportRunSerializer
    permission_classes = [IsAuthenticated, IsCuratorOrStaff]
    filterset_class = ImportRunFilter
    ordering_map = {"started_at": "started_at", "id": "id"}
    ordering = ["-started_at"]

    def get_queryset(self) -> QuerySet[ImportRun]:
        runs = ImportRun.objects.annotate(edition_lwn_id=F("edition__lwn_id")).select_related(
            "started_by"
        )
        if self.request.user.is_staff:
            return runs
        return runs.filter(started_by=self.request.user.pk)

    def paginate_queryset(self, queryset: QuerySet[ImportRun, Any]) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        import_runs_warnings_load(runs=page or [])
        return page

    def get_object(self) -> Any:
        run = super().get_object()
        import_runs_warnings_load(runs=[run])
        return run

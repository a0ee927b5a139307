"""The API's filter sets and ordering, built from the shared filters of ``articles.filters``.

Cursor pagination needs one plain, sortable column first, so the API maps its
public sort names to columns (:class:`MappedOrderingFilter`) and sorts releases
by one integer (:func:`release_key`).
"""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import ExpressionWrapper, F, IntegerField, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.views import APIView

from articles.filters import (
    ChoiceFilter,
    EntityFilter,
    IdFilter,
    ReleaseBoundFilter,
    ReleaseFilter,
)
from articles.lwn import WARNING_CODES
from articles.models import (
    Comment,
    Edition,
    HardwareDevice,
    ImportOutcome,
    ImportRun,
    MergeWindowItem,
    PosterRole,
)
from articles.models.imports import ImportRunQuerySet


def release_key(prefix: str = "") -> ExpressionWrapper:
    """One integer that sorts like (major, minor, patch): cursor pagination needs one column."""
    return ExpressionWrapper(
        F(f"{prefix}major") * 1_000_000 + F(f"{prefix}minor") * 1_000 + F(f"{prefix}patch"),
        output_field=IntegerField(),
    )


class MappedOrderingFilter(OrderingFilter):
    """``ordering=date,-title``: public names mapped to sortable columns.

    Cursor pagination needs a plain, non-null column first (no ``__``), so views
    map names such as ``date`` to annotations (``COALESCE(date, '0001-01-01')``).
    The view sets ``ordering_map`` (public name → column) and ``ordering`` (the
    default, in public names); ``pk`` is appended so ties page deterministically.
    """

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: APIView) -> list[str]:
        mapping: dict[str, str] = view.ordering_map  # type: ignore[attr-defined]
        terms = [t.strip() for t in request.query_params.get(self.ordering_param, "").split(",")]
        chosen = [t for t in terms if t]
        unknown = [t for t in chosen if t.removeprefix("-") not in mapping]
        if unknown:
            # An ignored key would answer 200 in another order than asked: say so instead.
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown sort key {', '.join(unknown)}; use "
                        + ", ".join(mapping)
                        + " (comma-separated, - for descending)."
                    ]
                }
            )
        if not chosen:
            chosen = list(view.ordering)  # type: ignore[attr-defined]
        ordering = [("-" if t.startswith("-") else "") + mapping[t.lstrip("-")] for t in chosen]
        if not {"pk", "-pk"} & set(ordering):
            ordering.append("-pk" if ordering[0].startswith("-") else "pk")
        return ordering

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        names = list(view.ordering_map)  # type: ignore[attr-defined]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated sort keys, '-' for descending; default "
                + ",".join(view.ordering),  # type: ignore[attr-defined]
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": names + [f"-{n}" for n in names]},
                },
            }
        ]


class EditionFilter(df.FilterSet):
    date_after = df.DateFilter(field_name="date", lookup_expr="gte", help_text="On or after")
    date_before = df.DateFilter(field_name="date", lookup_expr="lte", help_text="On or before")
    # Python dates stop at 9999; a larger year would crash the lookup, not match nothing.
    year = IdFilter(field_name="date__year", min_value=1, max_value=9999)

    class Meta:
        model = Edition
        fields: list[str] = []


class CommentFilter(df.FilterSet):
    article = IdFilter(field_name="article__lwn_id", help_text="LWN id of the article")
    poster = df.CharFilter(field_name="poster_name", lookup_expr="iexact")
    role = ChoiceFilter(field_name="poster_role", choices=PosterRole.choices)
    posted_after = df.DateFilter(field_name="posted_at__date", lookup_expr="gte")
    posted_before = df.DateFilter(field_name="posted_at__date", lookup_expr="lte")
    entity = EntityFilter(field_name="comment", help_text="kind:name, e.g. capability:CAP_BPF")

    class Meta:
        model = Comment
        fields: list[str] = []


class MergeWindowItemFilter(df.FilterSet):
    release = ReleaseFilter(field_name="release__version", help_text="e.g. 5.8")
    release_min = ReleaseBoundFilter(field_name="release", help_text="This release or later")
    release_max = ReleaseBoundFilter(
        field_name="release", upper=True, help_text="This release or earlier"
    )
    group = df.CharFilter(field_name="group", lookup_expr="iexact", help_text="e.g. Core kernel")
    part = IdFilter(field_name="part")
    text = df.CharFilter(field_name="text", lookup_expr="icontains", help_text="Text contains")
    article = IdFilter(field_name="article__lwn_id", help_text="LWN id of the article")
    entity = EntityFilter(field_name="merge_item", help_text="kind:name, e.g. syscall:faccessat2")

    class Meta:
        model = MergeWindowItem
        fields: list[str] = []


class HardwareFilter(df.FilterSet):
    category = df.CharFilter(field_name="category", lookup_expr="iexact", help_text="e.g. Graphics")
    release = ReleaseFilter(field_name="release__version", help_text="e.g. 5.8")
    release_min = ReleaseBoundFilter(field_name="release", help_text="This release or later")
    release_max = ReleaseBoundFilter(
        field_name="release", upper=True, help_text="This release or earlier"
    )
    q = df.CharFilter(field_name="name", lookup_expr="icontains", help_text="Device name contains")
    article = IdFilter(field_name="article__lwn_id", help_text="LWN id of the article")
    entity = EntityFilter(field_name="hardware", help_text="kind:name")

    class Meta:
        model = HardwareDevice
        fields: list[str] = []


class ImportRunFilter(df.FilterSet):
    outcome = ChoiceFilter(choices=ImportOutcome.choices)
    edition = IdFilter(field_name="edition__lwn_id", help_text="LWN id of the edition")
    warning = ChoiceFilter(
        choices=sorted(WARNING_CODES.items()),
        method="filter_warning",
        help_text="Runs whose page gave this parse warning",
    )

    def filter_warning(
        self, queryset: ImportRunQuerySet, name: str, value: str
    ) -> ImportRunQuerySet:
        return queryset.with_warning(value) if value else queryset

    class Meta:
        model = ImportRun
        fields: list[str] = []

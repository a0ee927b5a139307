"""The base of every browsing endpoint: read-only, filtered, cursor-paged, cacheable."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from articles.api.caching import ConditionalGetMixin
from articles.api.errors import not_found_message
from articles.api.filters import MappedOrderingFilter
from articles.api.pagination import CountedCursorPagination
from articles.api.sync import UpdatedAfterFilter

M = TypeVar("M", bound=Model)
Row = TypeVar("Row")


class BrowseViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet[M]):
    """List with filters, ordering and cursors; detail by natural key; ETag and 304.

    Subclasses set ``ordering_map`` (public sort key → column) and ``ordering``
    (the default, in public keys); see ``MappedOrderingFilter``.
    """

    filter_backends = [UpdatedAfterFilter, DjangoFilterBackend, MappedOrderingFilter]
    pagination_class = CountedCursorPagination
    ordering_map: dict[str, str] = {"id": "pk"}
    ordering: list[str] = ["id"]

    def filter_queryset(self, queryset: QuerySet[M, Row]) -> QuerySet[M, Row]:
        # List filters do not apply to a detail URL (DRF would still build and
        # validate the whole FilterSet for it, a third of a detail request's time).
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self) -> Any:  # as ConditionalGetMixin's: views read annotations
        # Django's message names the model class ("No KernelRelease matches the given
        # query."); callers get "No kernel release with version 9.99.".
        try:
            return super().get_object()
        except Http404:
            value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            model = self.get_queryset().model
            raise NotFound(not_found_message(model, self.lookup_field, value)) from None

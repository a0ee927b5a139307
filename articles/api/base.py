"""The base of every browsing endpoint: read-only, filtered, cursor-paged, cacheable."""

from __future__ import annotations

from typing import Any, TypeVar, cast

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
        filtered: Any = queryset  # values() rows as well as instances
        for backend in self.filter_backends:
            if issubclass(backend, DjangoFilterBackend) and not self._asks_filterset():
                continue
            filtered = backend().filter_queryset(self.request, filtered, self)
        return cast("QuerySet[M, Row]", filtered)

    def _asks_filterset(self) -> bool:
        """Whether a query parameter may belong to the FilterSet.

        Without one every filter is a no-op, and building and validating the FilterSet
        (its form, a deep copy of every filter) was a sixth of a bare list request.
        A prefix counts, for filters whose widgets add suffixes (``date_min``).
        """
        filterset = getattr(self, "filterset_class", None)
        if filterset is None:
            return bool(self.request.query_params)
        names = tuple(filterset.base_filters)
        return any(key.startswith(names) for key in self.request.query_params)

    def get_object(self) -> Any:  # as ConditionalGetMixin's: views read annotations
        # Django's message names the model class ("No KernelRelease matches the given
        # query."); callers get "No kernel release with version 9.99.".
        try:
            return super().get_object()
        except Http404:
            value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            model = self.get_queryset().model
            raise NotFound(not_found_message(model, self.lookup_field, value)) from None

"""``updated_after``: every list, oldest change first, for tools that mirror the archive.

``?updated_after=<ISO 8601 time>`` keeps the rows whose ``updated_at`` is later
and sorts them by (``updated_at``, id), so the cursor walks changes in the
order they happened and many rows written in one bulk statement (one
timestamp) page without gaps or repeats. Deletions are the ``deletions``
list's (``articles.api.deletions``), which takes the same parameter.

The parameter decides the order, so ``ordering`` beside it is a 400 rather
than one of the two being ignored. Add :class:`UpdatedAfterFilter` first in a
view's ``filter_backends``: the paginator takes the first backend that says
how to sort, and this one defers to the view's own ordering when the
parameter is absent.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.request import Request
from rest_framework.views import APIView

UPDATED_AFTER = "updated_after"
ORDERING = "ordering"
BAD_TIME = (
    "An ISO 8601 time such as 2024-05-01T12:00:00Z (a date means its midnight UTC; "
    "a time without an offset is UTC)."
)
WITH_ORDERING = f"{UPDATED_AFTER} sorts by update time, oldest first; drop {ORDERING}."
# An unencoded "+02:00" arrives as " 02:00": the query string's "+" is a space.
_SPACED_OFFSET = re.compile(r"(?<=\d) (\d\d(?::?\d\d)?)$")


def time_parse(raw: str) -> dt.datetime | None:
    """``raw`` as an aware datetime, or None when it is not an ISO 8601 date or time."""
    text = _SPACED_OFFSET.sub(r"+\1", raw.strip())
    try:
        moment = parse_datetime(text)
        day = None if moment is not None else parse_date(text)
    except ValueError:  # well formed but impossible, such as month 13
        return None
    if moment is None and day is not None:
        moment = dt.datetime.combine(day, dt.time.min)
    if moment is None:
        return None
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=dt.UTC)
    try:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
        return moment.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the year 1 in UTC
        return None


def updated_after(request: Request) -> dt.datetime | None:
    """The request's ``updated_after``, None without one; 400 when it is malformed."""
    raw = request.query_params.get(UPDATED_AFTER, "")
    if not raw:
        return None
    moment = time_parse(raw)
    if moment is None:
        raise ValidationError({UPDATED_AFTER: [BAD_TIME]})
    if request.query_params.get(ORDERING):
        raise ValidationError({ORDERING: [WITH_ORDERING]})
    return moment


class UpdatedAfterFilter(BaseFilterBackend):
    """Rows changed after ``updated_after``, sorted by (change time, id).

    The column is the view's ``sync_field`` (``updated_at`` unless set; the
    deletions list uses ``deleted_at``).
    """

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: APIView) -> Any:
        moment = updated_after(request)
        if moment is None:
            return queryset
        return queryset.filter(**{f"{_field(view)}__gt": moment})

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: APIView) -> list[str]:
        """(change time, id) with ``updated_after``; else what the view's ordering says."""
        if updated_after(request) is not None:
            return [_field(view), "pk"]
        for backend in getattr(view, "filter_backends", ()):
            if backend is not type(self) and hasattr(backend, "get_ordering"):
                return list(backend().get_ordering(request, queryset, view))
        return []  # the paginator's own sort

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": UPDATED_AFTER,
                "required": False,
                "in": "query",
                "description": f"Only rows whose {_field(view)} is later than this ISO 8601 "
                f"time, sorted by {_field(view)} then id (oldest first); not with {ORDERING}",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


def _field(view: APIView) -> str:
    return str(getattr(view, "sync_field", "updated_at"))

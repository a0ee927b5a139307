"""The throughput floors for ``bench/bench_api.py``: the cheapest answers Django gives.

Routed under ``/bench/`` only with ``LWNKB_BENCH_FLOOR=true``. Each runs the same
middleware as the API; they differ in how much of an API request they do, so the
benchmark can say where an endpoint's cost goes:

- ``floor/``: a fixed JSON body, no database (the floor every ratio is taken against);
- ``floor-query/``: plain Django reading one page of article summaries (50 rows, the
  list's default order, through its index) in one query, no DRF;
- ``floor-drf/``: a DRF view with the API's authentication, throttles and content
  negotiation answering a fixed body, no database.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

FLOOR_BODY = {"ok": True, "what": "lwnkb benchmark floor: a fixed JSON body, no database"}

# The article list's first page: its default order and its index (migration 0017).
PAGE_SQL = (
    "SELECT id, lwn_id, title, date FROM articles_article "
    "ORDER BY COALESCE(date, '0001-01-01') DESC, id DESC LIMIT 50"
)


def bench_floor(request: HttpRequest) -> JsonResponse:
    """A fixed JSON body."""
    return JsonResponse(FLOOR_BODY)


def bench_floor_query(request: HttpRequest) -> JsonResponse:
    """Fifty summary rows from one indexed query, written as JSON by plain Django."""
    with connection.cursor() as cursor:
        cursor.execute(PAGE_SQL)
        rows = cursor.fetchall()
    results = [
        {"id": pk, "lwn_id": lwn_id, "title": title, "date": day.isoformat() if day else None}
        for pk, lwn_id, title, day in rows
    ]
    return JsonResponse({"results": results})


class BenchFloorDRF(APIView):
    """A fixed body through DRF's dispatch, with the API's default policies."""

    def get(self, request: Request) -> Response:
        return Response(FLOOR_BODY)

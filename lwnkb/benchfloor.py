"""The throughput floor for ``bench/bench_api.py``: the cheapest JSON answer Django gives.

Routed at ``/bench/floor/`` only with ``LWNKB_BENCH_FLOOR=true``. It runs the
same middleware as the API but no database query, so API throughput is
reported as a share of what the server could do at best.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

FLOOR_BODY = {"ok": True, "what": "lwnkb benchmark floor: a fixed JSON body, no database"}


def bench_floor(request: HttpRequest) -> JsonResponse:
    """A fixed JSON body."""
    return JsonResponse(FLOOR_BODY)

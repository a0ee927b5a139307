"""The API stage: every list walked by cursor, first page to last, through the test client.

Each list is followed through ``next`` with the largest page size until it ends or
its time budget (``--api-budget``, 60 s) runs out; then the last page *reached* is
compared with the first, and the figures say which of the two it was. Lists behind
a login (import runs, mentions) are walked as a staff user.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from .target import Target, django_ready

LISTS = (
    "editions",
    "articles",
    "comments",
    "releases",
    "merge-window-items",
    "hardware",
    "entities",
    "import-runs",
    "mentions",
)
STAFF_ONLY = {"import-runs", "mentions"}
PAGE_SIZE = 100
BUDGET = 60.0


def _get(client: Any, url: str) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = client.get(url, HTTP_ACCEPT="application/json")
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    data: dict[str, Any] = response.json()
    return seconds, data


def walk(client: Any, name: str, budget: float) -> dict[str, Any]:
    url: str | None = f"/api/v1/{name}/?page_size={PAGE_SIZE}"
    times: list[float] = []
    rows = 0
    count = None
    started = time.monotonic()
    while url is not None:
        seconds, data = _get(client, url)
        times.append(seconds)
        rows += len(data.get("results", []))
        count = data.get("count", count)
        url = data.get("next")
        if url is not None and time.monotonic() - started > budget:
            break
    first = times[0] * 1000
    last = times[-1] * 1000
    return {
        "pages": len(times),
        "rows": rows,
        "count": count,
        "reached_end": url is None,
        "first_ms": round(first, 1),
        "last_ms": round(last, 1),
        "x_first": round(last / first, 2) if first else None,
        "seconds": round(time.monotonic() - started, 1),
    }


def run(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    budget: float = getattr(args, "api_budget", BUDGET)
    django_ready(target)
    from django.contrib.auth import get_user_model
    from django.test import Client

    staff, _ = get_user_model().objects.get_or_create(
        username="archive-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(staff)
    table = {}
    for name in LISTS:
        client = signed_in if name in STAFF_ONLY else anonymous
        table[name] = walk(client, name, budget)
        row = table[name]
        print(
            f"  api: {name} {row['pages']} pages{'' if row['reached_end'] else ' (budget spent)'}"
            f", first {row['first_ms']} ms, last {row['last_ms']} ms",
            file=sys.stderr,
            flush=True,
        )
    return {"page_size": PAGE_SIZE, "budget_seconds": budget, "table": table}

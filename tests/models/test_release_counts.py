"""A release's counts of merge-window items and devices, each read on its own: the list
never joins a release's items to its devices (a row per pair) to count them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import KernelRelease
from tests.factories import (
    ArticleFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)
from tests.plans import executed_plan, plan_nodes

pytestmark = pytest.mark.django_db

ITEMS, DEVICES = 6, 5


@pytest.fixture
def release() -> KernelRelease:
    """A release with items and devices from a free article and one item and one device
    from a locked article."""
    release = KernelReleaseFactory.create(version="6.2")
    free = ArticleFactory.create()
    locked = ArticleFactory.create(subscriber_only=True, free_on=None)
    for _ in range(ITEMS):
        MergeWindowItemFactory.create(release=release, article=free)
    for _ in range(DEVICES):
        HardwareDeviceFactory.create(release=release, article=free)
    MergeWindowItemFactory.create(release=release, article=locked)
    HardwareDeviceFactory.create(release=release, article=locked)
    return release


def test_it_counts_only_the_items_and_devices_a_reader_may_see(
    release: KernelRelease, subscriber: User
) -> None:
    shown = KernelRelease.objects.with_counts_for(AnonymousUser()).get(pk=release.pk)
    assert (shown.item_count, shown.device_count) == (ITEMS, DEVICES)  # type: ignore[attr-defined]
    every = KernelRelease.objects.with_counts_for(subscriber).get(pk=release.pk)
    assert (every.item_count, every.device_count) == (ITEMS + 1, DEVICES + 1)  # type: ignore[attr-defined]


def _joined(plan: dict[str, Any]) -> set[str]:
    """The tables a plan node's rows are made of (its subqueries apart)."""
    tables = {plan["Relation Name"]} if "Relation Name" in plan else set()
    for child in plan.get("Plans", []):
        if child.get("Parent Relationship") not in ("SubPlan", "InitPlan"):
            tables |= _joined(child)
    return tables


_JOINS = ("Nested Loop", "Hash Join", "Merge Join")
_PAIR = {"articles_mergewindowitem", "articles_hardwaredevice"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_it_never_joins_a_releases_items_to_its_devices(release: KernelRelease) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/api/v1/releases/")
    assert response.status_code == 200
    assert response.json()["results"][0]["item_count"] == ITEMS
    listed = next(q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"])
    plan = executed_plan(listed)
    # A join of a release's items to its devices makes a row per pair before counting.
    # (Checked on the plan's shape: row counts depend on what else the database holds.)
    joins = [node for node in plan_nodes(plan) if node["Node Type"] in _JOINS]
    assert not [join for join in joins if _joined(join) >= _PAIR], listed

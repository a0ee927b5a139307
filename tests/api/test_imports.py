"""``/api/v1/import-runs/``: staff see all, curators their own; the rest never learn ids."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from articles.models import ImportRun
from tests.api.conftest import API
from tests.services.conftest import import_fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 401), ("subscriber", 403), ("staff", 200)]
)
def test_it_shows_every_import_run_to_staff_only(
    persona: str, status: int, client_as: Callable[[str], APIClient]
) -> None:
    run = import_fixture("edition-2020-06-11-bigpage.html")
    client = client_as(persona)
    assert client.get(f"{API}/import-runs/").status_code == status
    assert client.get(f"{API}/import-runs/{run.pk}/").status_code == status
    # An unknown id gets the same answer as a known one, so nothing leaks.
    missing = client.get(f"{API}/import-runs/{run.pk + 1000}/").status_code
    assert missing == (404 if status == 200 else status)


def test_it_shows_curators_only_the_runs_they_started(
    curator: User, client_as: Callable[[str], APIClient]
) -> None:
    theirs = ImportRun.objects.create(source="api: edition 1", started_by=curator)
    scheduled = import_fixture("edition-2020-06-11-bigpage.html")
    client = client_as("curator")
    listed = client.get(f"{API}/import-runs/").json()["results"]
    assert [(r["id"], r["started_by"]) for r in listed] == [(theirs.pk, curator.username)]
    assert client.get(f"{API}/import-runs/{theirs.pk}/").status_code == 200
    # Someone else's run answers like an unknown one.
    assert client.get(f"{API}/import-runs/{scheduled.pk}/").status_code == 404


def test_it_reports_outcome_counts_and_edition(client_as: Callable[[str], APIClient]) -> None:
    import_fixture("edition-2020-06-11-bigpage.html")
    import_fixture("edition-2020-06-11-bigpage.html")  # unchanged: skipped
    staff = client_as("staff")
    runs = staff.get(f"{API}/import-runs/").json()["results"]
    assert [r["outcome"] for r in runs] == ["skipped", "ok"]
    assert runs[1]["edition"] == 822335
    assert runs[1]["counts"]["articles_created"] == 10
    assert runs[1]["duration_seconds"] >= 0
    skipped = staff.get(f"{API}/import-runs/", {"outcome": "skipped"}).json()
    assert skipped["count"] == 1
    assert ImportRun.objects.count() == 2


def test_it_lists_a_runs_parse_warnings_and_filters_runs_by_code(
    client_as: Callable[[str], APIClient],
) -> None:
    clean = import_fixture("edition-2020-06-11-bigpage.html")
    warned = ImportRun.objects.create(source="a page", counts={"warnings": 2})
    warned.parse_warnings.create(code="block-unplaced", where="item 3", message="no group")
    warned.parse_warnings.create(code="layout-unknown", where="page", message="assumed table")
    staff = client_as("staff")
    body = staff.get(f"{API}/import-runs/{warned.pk}/").json()
    assert body["warnings"] == [
        {"code": "block-unplaced", "where": "item 3", "message": "no group"},
        {"code": "layout-unknown", "where": "page", "message": "assumed table"},
    ]
    assert staff.get(f"{API}/import-runs/{clean.pk}/").json()["warnings"] == []
    listed = staff.get(f"{API}/import-runs/", {"warning": "layout-unknown"}).json()["results"]
    assert [run["id"] for run in listed] == [warned.pk]
    unknown = staff.get(f"{API}/import-runs/", {"warning": "no-such-code"})
    assert unknown.status_code == 400
    assert "warning" in unknown.json()["errors"]

"""Admin shows import runs' parse warnings: a count column, a filter by code, an inline."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from articles.models import ImportRun
from articles.services.ingest import page_import
from tests.services.conftest import import_fixture
from tests.services.warned_pages import (
    ARTICLE_URL,
    comment_without_body,
    undecodable_and_comment_without_body,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_importrun_changelist")


@pytest.fixture
def staff_client(client: Client, staff: User) -> Client:
    client.force_login(staff)
    return client


@pytest.fixture
def both(db: None) -> ImportRun:
    run = page_import(
        data=undecodable_and_comment_without_body(), source="both.html", url=ARTICLE_URL
    )
    page_import(data=comment_without_body(), source="one.html", url=ARTICLE_URL)
    import_fixture("brief-items-2020-06-11.html")
    return run


def listed(response: object) -> list[str]:
    return [run.source for run in response.context["cl"].result_list]  # type: ignore[attr-defined]


def test_it_lists_each_runs_warning_count(staff_client: Client, both: ImportRun) -> None:
    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<th scope="col" class="column-warnings">' in body
    assert '<td class="field-warnings">2</td>' in body
    assert '<td class="field-warnings">1</td>' in body
    assert '<td class="field-warnings">0</td>' in body


def test_it_filters_runs_by_warning_code(staff_client: Client, both: ImportRun) -> None:
    everything = staff_client.get(CHANGELIST)
    undecodable = staff_client.get(CHANGELIST, {"warning": "bytes-undecodable"})
    no_body = staff_client.get(CHANGELIST, {"warning": "comment-no-body"})

    assert "?warning=item-no-body" in everything.content.decode()  # every code is offered
    assert sorted(listed(everything)) == ["both.html", "brief-items-2020-06-11.html", "one.html"]
    assert listed(undecodable) == ["both.html"]
    assert sorted(listed(no_body)) == ["both.html", "one.html"]
    assert listed(staff_client.get(CHANGELIST, {"warning": "item-no-body"})) == []


def test_it_shows_a_runs_warnings_read_only_on_its_change_page(
    staff_client: Client, both: ImportRun
) -> None:
    response = staff_client.get(reverse("admin:articles_importrun_change", args=[both.pk]))

    assert response.status_code == 200
    body = " ".join(response.content.decode().split())
    assert '<td class="field-code"> <p>bytes-undecodable</p> </td>' in body
    assert '<td class="field-where"> <p>comment 821845</p> </td>' in body
    assert '<td class="field-message"> <p>comment 821845 has no body</p> </td>' in body
    assert 'name="parse_warnings-0-code"' not in body  # shown, not editable
    assert 'name="parse_warnings-MAX_NUM_FORMS" value="0"' in body  # none can be added

"""The import status page shows each run's parse warnings and filters runs by code."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.models import ImportRun
from articles.services.ingest import page_import
from tests.services.conftest import import_fixture
from tests.services.warned_pages import (
    ARTICLE_URL,
    comment_without_body,
    undecodable_and_comment_without_body,
)

pytestmark = pytest.mark.django_db


def warned_import(data: bytes, source: str) -> ImportRun:
    run = page_import(data=data, source=source, url=ARTICLE_URL)
    assert run.outcome == "ok"
    return run


@pytest.fixture
def staff_client(client: Client, staff: User) -> Client:
    client.force_login(staff)
    return client


@pytest.fixture
def runs(db: None) -> None:
    warned_import(undecodable_and_comment_without_body(), "both.html")
    warned_import(comment_without_body(), "one.html")
    assert import_fixture("brief-items-2020-06-11.html").outcome == "ok"


def test_it_shows_each_runs_warning_count_and_its_warnings(
    staff_client: Client, runs: None
) -> None:
    body = staff_client.get("/imports/").content.decode()

    assert "<summary>2 warnings</summary>" in body
    assert "<summary>1 warning</summary>" in body
    assert "<code>bytes-undecodable</code></a> at page: undecodable bytes" in body
    assert '<a href="?warning=comment-no-body"><code>comment-no-body</code></a>' in body
    assert "at comment 821845: comment 821845 has no body" in body


def test_it_filters_runs_by_warning_code(staff_client: Client, runs: None) -> None:
    response = staff_client.get("/imports/?warning=bytes-undecodable")

    assert response.status_code == 200
    body = response.content.decode()
    assert "both.html" in body
    assert "one.html" not in body
    assert "brief-items-2020-06-11.html" not in body
    assert '<option value="bytes-undecodable" selected>bytes-undecodable: bytes that' in body
    assert '<option value="item-no-body">item-no-body: an item has no body text</option>' in body


def test_it_keeps_the_warning_filter_in_the_outcome_links_and_pages(
    staff_client: Client, runs: None
) -> None:
    body = staff_client.get("/imports/?warning=comment-no-body&outcome=ok").content.decode()

    assert 'href="?warning=comment-no-body&amp;outcome=failed"' in body
    assert '<input type="hidden" name="outcome" value="ok">' in body
    assert "one.html" in body
    assert "both.html" in body


def test_it_says_no_run_matches_a_code_no_run_has(staff_client: Client, runs: None) -> None:
    response = staff_client.get("/imports/?warning=item-no-body")

    assert response.status_code == 200
    assert "No imports match these filters." in response.content.decode()


def test_it_answers_an_unknown_code_with_400_and_a_reason(staff_client: Client, runs: None) -> None:
    response = staff_client.get("/imports/?warning=no-such-code%3Cb%3E")

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is no parse warning “no-such-code&lt;b&gt;”" in body
    assert "both.html" not in body


def test_it_refuses_the_warning_filter_to_non_staff(client: Client, subscriber: User) -> None:
    client.force_login(subscriber)

    assert client.get("/imports/?warning=comment-no-body").status_code == 302


@pytest.mark.parametrize("path", ["/imports/", "/imports/?warning=comment-no-body"])
def test_it_shows_runs_and_their_warnings_in_a_fixed_number_of_queries(
    staff_client: Client, runs: None, path: str, django_assert_num_queries
) -> None:
    # session and user, nine counts for the summary, the page count, the page of runs,
    # and the warnings of the runs on the page that have any
    with django_assert_num_queries(14):
        assert staff_client.get(path).status_code == 200
    for n in range(5):
        warned_import(undecodable_and_comment_without_body() + b" " * (n + 1), f"more-{n}.html")
    with django_assert_num_queries(14):
        body = staff_client.get(path).content.decode()
    assert "more-4.html" in body

"""The periodic home-page task: import lwn.net's home page, queue its teasers' pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from articles.models import Article
from articles.tasks import import_front_page
from tests.conftest import Queued
from tests.lwnserver import FakeLWN, Reply
from tests.services.frontpages import front_page, headline, page_bytes, parsed_as

pytestmark = pytest.mark.django_db


def test_it_imports_the_home_page_and_queues_each_teasers_own_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, queued: Queued
) -> None:
    data = page_bytes("periodic")
    parsed_as(monkeypatch, {data: front_page(headline(1001), headline(1002, kind="brief"))})
    with (
        FakeLWN({"/": Reply(body=data)}) as lwn,
        override_settings(LWN_BASE_URL=lwn.url, LWN_REQUEST_INTERVAL=0, FETCH_CACHE_DIR=tmp_path),
    ):
        outcome = import_front_page.run()

    assert outcome == "home page: ok, 2 article pages queued"
    assert lwn.paths() == ["/"]  # the pages themselves are the queued tasks' work
    assert set(Article.objects.filter(teaser=True).values_list("lwn_id", flat=True)) == {1001, 1002}
    assert queued == [
        ("articles.tasks.refresh_comments", (1002,)),
        ("articles.tasks.refresh_comments", (1001,)),
    ]


def test_it_retries_when_lwn_is_unavailable_and_has_time_limits() -> None:
    task = import_front_page
    assert {cls.__name__ for cls in task.autoretry_for} >= {"FetchUnavailable"}
    assert task.soft_time_limit is not None
    assert task.time_limit is not None
    assert task.soft_time_limit < task.time_limit

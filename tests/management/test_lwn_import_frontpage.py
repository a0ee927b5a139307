"""``lwn_import`` with the lwn.net home page, and ``--follow`` to its headlines' pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from articles.models import Article, ImportRun
from tests.conftest import FIXTURES, Queued
from tests.lwnserver import FakeLWN, Reply
from tests.services.frontpages import front_page, headline, page_bytes, parsed_as

pytestmark = pytest.mark.django_db

CAPABILITIES = 821729
REFRESH = "articles.tasks.refresh_comments"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_queues_the_teasers_pages_after_a_saved_home_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, queued: Queued
) -> None:
    data = page_bytes("saved")
    parsed_as(monkeypatch, {data: front_page(headline(1001), headline(1002))})
    saved = tmp_path / "home.html"
    saved.write_bytes(data)

    out, err = run("lwn_import", "--follow", str(saved))

    assert "imported 1, skipped 0 unchanged, failed 0" in out
    assert queued == [(REFRESH, (1002,)), (REFRESH, (1001,))]
    assert "follow [1/2] article 1002: queued" in err
    assert "follow [2/2] article 1001: queued" in err


def test_it_queues_nothing_without_follow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, queued: Queued
) -> None:
    data = page_bytes("saved")
    parsed_as(monkeypatch, {data: front_page(headline(1001))})
    saved = tmp_path / "home.html"
    saved.write_bytes(data)

    run("lwn_import", str(saved))

    assert queued == []
    assert Article.objects.get(lwn_id=1001).teaser


def test_it_imports_the_home_page_from_lwn_and_its_headlines_pages_without_a_broker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = page_bytes("live")
    parsed_as(monkeypatch, {data: front_page(headline(CAPABILITIES), headline(1002))})
    routes = {
        "/": Reply(body=data),
        "/Articles/821729/": Reply(
            body=(FIXTURES / "lwn" / "article-2020-capabilities-comments.html").read_bytes()
        ),
        # /Articles/1002/ is missing: a failed run, and the exit status says so.
    }
    with (
        FakeLWN(routes) as lwn,  # type: ignore[arg-type]
        override_settings(LWN_BASE_URL=lwn.url, LWN_REQUEST_INTERVAL=0, FETCH_CACHE_DIR=tmp_path),
        pytest.raises(CommandError, match=r"1 import\(s\) failed"),
    ):
        # The bare address, as `lwn_import https://lwn.net` would be given.
        run("lwn_import", "--follow", lwn.url)

    assert lwn.paths() == ["/", "/Articles/821729/", "/Articles/1002/"]  # newest first
    article = Article.objects.get(lwn_id=CAPABILITIES)
    assert article.teaser is False
    assert article.title == "A crop of new capabilities"
    assert Article.objects.get(lwn_id=1002).teaser is True
    assert ImportRun.objects.filter(outcome="ok").count() == 2


def test_it_refuses_follow_on_a_dry_run() -> None:
    with pytest.raises(CommandError, match="--follow cannot be combined with --dry-run"):
        run("lwn_import", "--follow", "--dry-run", "https://lwn.net/")

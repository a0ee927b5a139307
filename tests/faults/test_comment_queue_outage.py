"""An edition task whose broker is gone after the import: the edition stays, the task ends."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from articles.models import Article, ImportOutcome, ImportRun
from articles.tasks import import_edition
from tests.faults.services import celery_on
from tests.lwnserver import FakeLWN, Reply
from tests.services.conftest import fixture_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres_only")]

# Nothing listens here: publishing fails as it does when Redis is down.
DEAD_BROKER = "redis://127.0.0.1:9/0"


def test_it_keeps_the_edition_and_says_the_daily_refresh_fetches_the_comments(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with FakeLWN() as fake_lwn:
        _import_with_broker_down(fake_lwn, caplog)

    assert ImportRun.objects.get(source__endswith="/bigpage").outcome == ImportOutcome.OK
    assert Article.objects.filter(edition__lwn_id=822335).exists()
    assert "refresh_recent_comments fetches them" in caplog.text


def _import_with_broker_down(fake_lwn: FakeLWN, caplog: pytest.LogCaptureFixture) -> None:
    fake_lwn.routes["/Articles/822335/bigpage"] = Reply(
        body=fixture_bytes("edition-2020-06-11-bigpage.html")
    )

    with (
        override_settings(LWN_BASE_URL=fake_lwn.url, LWN_REQUEST_INTERVAL=0.0),
        celery_on(DEAD_BROKER),
        caplog.at_level(logging.WARNING, logger="lwnkb.tasks"),
    ):
        outcome = import_edition.run(822335)

    assert outcome == "edition 822335: ok"

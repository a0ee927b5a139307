"""Linking one import is bounded by the import's time limit, however many names a page holds.

Any ``CONFIG_*`` name, dotted sysctl name or ``/proc`` path is an entity, so a
hostile page can name tens of thousands of made-up ones: 0.7 MB of them parse
and store in a second but took 18 s to link (60,000 entities, 60,000
mentions), and a page at the size limit would hold the follow-up task for
many minutes. Linking gets ``LWNKB_PARSE_TIME_LIMIT`` seconds of its own and
stops there, keeping what it linked.
"""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from articles.models import Article, Entity, ImportOutcome, ImportRun, Mention
from articles.services.ingest import page_import
from articles.services.linking import entities_link_for_import
from tests.lwn.pagebuilder import edition_bytes

URL = "https://lwn.net/Articles/990700/"
LIMIT = 1.0
# The limit, plus the statement under way when it ran out (SQLite has no statement
# timeout: it finishes), on a busy CI machine.
STOPPED_WITHIN = LIMIT + 4.0

pytestmark = pytest.mark.django_db


def names_page(count: int) -> bytes:
    """An edition whose one article names ``count`` made-up entities of each of three kinds."""
    names = " ".join(f"CONFIG_X{i} vm.x{i} /proc/x{i}" for i in range(count))
    return edition_bytes(
        f'<h2 class="SummaryHL"><a href="/Articles/990701/">Names</a></h2><p>{names}</p>'
    )


def imported(data: bytes) -> ImportRun:
    # Unbounded here, so that only linking meets the limit under test.
    with override_settings(PARSE_TIME_LIMIT=0):
        run = page_import(data=data, source="names.html", url=URL)
    assert run.outcome == ImportOutcome.OK, run.error
    return run


@override_settings(PARSE_TIME_LIMIT=LIMIT)
def test_it_stops_linking_a_page_full_of_names_at_the_time_limit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    run = imported(names_page(20_000))
    start = time.monotonic()

    counts = entities_link_for_import(run=run)

    assert time.monotonic() - start < STOPPED_WITHIN
    assert counts["linking_stopped"] == 1
    assert f"linking import {run.pk} stopped" in caplog.text
    assert "LWNKB_PARSE_TIME_LIMIT" in caplog.text
    # The one batch under way rolled back: no half-linked article, no entity from it.
    assert not Mention.objects.filter(article__lwn_id=990701).exists()
    assert not Entity.objects.filter(kind="config").exists()


# An ordinary page needs a fraction of a second, but a loaded machine (CI shares two
# cores) can stretch the first linking of a process (its extractor set-up) past 1 s;
# half the default limit still says "an ordinary page is not stopped".
@override_settings(PARSE_TIME_LIMIT=30)
def test_it_links_an_ordinary_page_within_the_same_limit() -> None:
    run = imported(names_page(20))

    counts = entities_link_for_import(run=run)

    assert "linking_stopped" not in counts
    article = Article.objects.get(lwn_id=990701)
    assert Mention.objects.filter(article=article).count() == 60
    assert Entity.objects.filter(kind="config", name="CONFIG_X7").exists()

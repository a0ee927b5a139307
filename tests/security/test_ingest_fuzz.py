"""Fuzz the importer end to end: ``page_import`` with the real database.

Whatever the bytes (fixture pages truncated, spliced with garbage or XSS
payloads, with lines dropped, or random), an import returns an ``ImportRun``
and raises nothing; a page it rejects leaves a failed run with a one-line
reason, and no rows anywhere but ``ImportRun`` and ``RawPage``. (Parser-level
fuzzing lives in tests/lwn/test_fuzz.py; this is the whole write path.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import ImportOutcome, ImportRun
from articles.services.ingest import page_import
from tests.security.hostile_site import edition_page, thread_page
from tests.security.test_parse_limits import other_rows
from tests.security.xss_payloads import PAYLOADS
from tests.services.conftest import FIXTURE_URLS, fixture_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PAGES = [(fixture_bytes(name), url) for name, url in FIXTURE_URLS.items()] + [
    (edition_page(), "https://lwn.net/Articles/990001/bigpage"),
    (thread_page(), "https://lwn.net/Articles/990300/"),
]
# Modest on purpose: every example is a real import into PostgreSQL, and these four
# tests together stay well under a minute.
FUZZ = settings(
    max_examples=25,
    deadline=dt.timedelta(seconds=20),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one database for all examples, on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
# Whether the import says where the page came from: the URL decides ids on LWN pages.
urls = st.sampled_from(["given", "none", "elsewhere"])


def _url(choice: str, url: str) -> str | None:
    return {"given": url, "none": None, "elsewhere": "https://example.org/x"}[choice]


def check_import(data: bytes, url: str | None) -> ImportRun:
    """Import ``data``; a rejected page must leave its run and nothing else."""
    before = other_rows()
    run = page_import(data=data, source="fuzz", url=url)
    stored = ImportRun.objects.get(pk=run.pk)
    assert stored.outcome == run.outcome
    assert run.outcome in (ImportOutcome.OK, ImportOutcome.SKIPPED, ImportOutcome.FAILED)
    if run.outcome == ImportOutcome.FAILED:
        assert run.error.strip(), "a failed run says why"
        assert "\n" not in run.error.strip(), run.error
        assert stored.edition_id is None
        assert other_rows() == before, run.error
    return run


@FUZZ
@given(page=st.sampled_from(PAGES), cut=st.floats(0, 1), url=urls)
def test_it_survives_truncated_pages(page: tuple[bytes, str], cut: float, url: str) -> None:
    data, address = page
    check_import(data[: int(len(data) * cut)], _url(url, address))


@FUZZ
@given(
    page=st.sampled_from(PAGES),
    at=st.floats(0, 1),
    junk=st.one_of(
        st.binary(min_size=1, max_size=300),
        st.sampled_from([p.text.encode() for p in PAYLOADS]),
        st.sampled_from([b"</div>" * 50, b"<div>" * 50, b"<details>", b"<!--", b"\xff\xfe"]),
    ),
    url=urls,
)
def test_it_survives_spliced_garbage_and_payloads(
    page: tuple[bytes, str], at: float, junk: bytes, url: str
) -> None:
    data, address = page
    split = int(len(data) * at)
    check_import(data[:split] + junk + data[split:], _url(url, address))


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data(), url=urls)
def test_it_survives_dropped_lines(page: tuple[bytes, str], data: st.DataObject, url: str) -> None:
    content, address = page
    lines = content.split(b"\n")
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    mutated = b"\n".join(line for line, kept in zip(lines, keep, strict=True) if kept)
    check_import(mutated, _url(url, address))


@FUZZ
@given(data=st.binary(max_size=2000), url=urls)
def test_it_survives_random_bytes(data: bytes, url: str) -> None:
    run = check_import(data, _url(url, "https://lwn.net/Articles/990600/"))
    if not data.strip():
        assert run.outcome == ImportOutcome.FAILED


def test_it_records_every_rejected_page_as_a_failed_run() -> None:
    """Known rejects, one per reason: each leaves exactly one failed run."""
    rejects = [
        b"",
        b"<html><head><title>Just a page</title></head><body>hi</body></html>",
        b"<div>" * 2000,
        # An edition with no LWN id anywhere: parsed, then refused by the store.
        edition_page().replace(b"/Articles/", b"/Elsewhere/"),
    ]
    for data in rejects:
        runs = ImportRun.objects.count()
        run = check_import(data, None)
        assert run.outcome == ImportOutcome.FAILED, data[:60]
        assert ImportRun.objects.count() == runs + 1

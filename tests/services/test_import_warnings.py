"""Parse warnings are kept with the import run, in its transaction, and runs are found by code."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError

from articles.models import ImportRun
from articles.models.imports import ImportWarning
from articles.selectors.imports import import_runs_recent
from articles.services import ingest
from articles.services.ingest import page_import
from tests.services.conftest import import_fixture
from tests.services.warned_pages import (
    ARTICLE_URL,
    comment_without_body,
    undecodable_and_comment_without_body,
)

pytestmark = pytest.mark.django_db


def warned_import(data: bytes, source: str = "warned.html") -> ImportRun:
    return page_import(data=data, source=source, url=ARTICLE_URL)


def kept(run: ImportRun) -> list[tuple[str, str, str]]:
    return [(w.code, w.where, w.message) for w in run.parse_warnings.all()]


def test_it_keeps_every_warning_on_an_ok_run_with_their_count() -> None:
    run = warned_import(undecodable_and_comment_without_body())

    assert run.outcome == "ok"
    assert run.counts["warnings"] == 2
    assert run.warning_count == 2
    assert "warnings" not in run.changes_text
    assert kept(ImportRun.objects.get(pk=run.pk)) == [
        (
            "bytes-undecodable",
            "page",
            "undecodable bytes in utf-8 input replaced (first at byte 3017)",
        ),
        ("comment-no-body", "comment 821845", "comment 821845 has no body"),
    ]


def test_it_writes_no_warning_rows_for_a_clean_page() -> None:
    run = import_fixture("article-2020-capabilities-comments.html")

    assert run.outcome == "ok"
    assert "warnings" not in run.counts
    assert ImportWarning.objects.count() == 0


def test_it_keeps_no_warnings_when_the_outcome_cannot_be_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The warnings commit with the "ok" they belong to, or not at all."""
    finish = ingest._finish

    def failing_ok(run: ImportRun, outcome: str, **fields: Any) -> ImportRun:
        if outcome == "ok":
            raise DatabaseError("the disk is full")
        return finish(run, outcome, **fields)

    monkeypatch.setattr(ingest, "_finish", failing_ok)
    run = warned_import(comment_without_body())

    assert run.outcome == "failed"
    assert "the disk is full" in run.error
    assert ImportWarning.objects.count() == 0


def test_it_keeps_the_first_warnings_of_a_page_that_has_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingest, "MAX_WARNINGS_KEPT", 1)
    run = warned_import(undecodable_and_comment_without_body())

    assert run.counts["warnings"] == 2  # the count is the page's, not what was kept
    assert [code for code, _, _ in kept(run)] == ["bytes-undecodable"]


def test_it_finds_the_runs_with_a_warning_code_once_each() -> None:
    both = warned_import(undecodable_and_comment_without_body(), "both.html")
    one = warned_import(comment_without_body(), "one.html")
    clean = import_fixture("article-2020-capabilities-comments.html")
    # A second warning of the same code on one run must not list that run twice.
    ImportWarning.objects.create(run=both, code="comment-no-body", where="comment 1", message="m")

    assert clean.outcome == "ok"
    assert list(import_runs_recent(warning="comment-no-body")) == [one, both]
    assert list(import_runs_recent(warning="bytes-undecodable")) == [both]
    assert list(import_runs_recent(warning="bytes-undecodable", outcome="failed")) == []
    assert list(import_runs_recent(warning="item-no-body")) == []
    assert len(import_runs_recent()) == 3


def test_it_deletes_a_runs_warnings_with_the_run() -> None:
    run = warned_import(comment_without_body())

    run.delete()

    assert ImportWarning.objects.count() == 0

"""``lwn_reparse --all`` fills comment bodies an older parser stored empty, in place."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from articles.lwn import PARSER_VERSION
from articles.models import Article, Comment, ImportRun, RawPage
from articles.services.ingest import page_import
from tests.services.conftest import fixture_bytes

pytestmark = pytest.mark.django_db

OLD_PAGE = "article-2007-oldcomments.html"
ARTICLE_ID = 254870


def _row_counts() -> dict[str, int]:
    """Rows in every table of the app, by model name."""
    return {
        model.__name__: model._default_manager.count()
        for model in apps.get_app_config("articles").get_models()
    }


def _import_old_page() -> ImportRun:
    # No address: the page must name itself (printable, feed and login links).
    run = page_import(data=fixture_bytes(OLD_PAGE), source=OLD_PAGE)
    assert run.outcome == "ok", run.error
    return run


def _blank_bodies_as_an_old_parser_did() -> None:
    """Parser version 1 read only div.FormattedComment: bare bodies came out empty."""
    blanked = Comment.objects.filter(article__lwn_id=ARTICLE_ID).update(body_html="", body_text="")
    assert blanked == 25
    ImportRun.objects.update(parser_version="1")


def test_it_fills_empty_comment_bodies_in_place() -> None:
    _import_old_page()
    before = {c.lwn_id: (c.pk, c.body_text) for c in Comment.objects.all()}
    _blank_bodies_as_an_old_parser_did()
    counts = _row_counts()

    out = io.StringIO()
    call_command("lwn_reparse", "--all", stdout=out, stderr=io.StringIO())

    assert "reparsed 1 page(s): 1 ok, 0 unchanged, 0 failed" in out.getvalue()
    after = {c.lwn_id: (c.pk, c.body_text) for c in Comment.objects.all()}
    assert after == before  # same rows (same primary keys), every body back
    assert all(text for _, text in after.values())
    assert all(c.body_html for c in Comment.objects.all())
    # Nothing duplicated; the re-parse leaves one audit record of its own.
    assert _row_counts() == {**counts, "ImportRun": counts["ImportRun"] + 1}
    reparse = ImportRun.objects.latest("pk")
    assert reparse.source == f"reparse of raw page {RawPage.objects.get().pk}"
    assert (reparse.outcome, reparse.parser_version) == ("ok", PARSER_VERSION)
    assert reparse.counts.get("comments_updated") == 25
    assert "comments_created" not in reparse.counts
    assert "warnings" not in reparse.counts  # the 2007 page parses cleanly


def test_it_keeps_the_thread_shape_through_a_reparse() -> None:
    _import_old_page()
    shape = list(
        Comment.objects.order_by("thread_position").values_list(
            "lwn_id", "parent__lwn_id", "depth", "poster_name", "poster_role"
        )
    )
    _blank_bodies_as_an_old_parser_did()
    call_command("lwn_reparse", "--all", stdout=io.StringIO(), stderr=io.StringIO())
    assert (
        list(
            Comment.objects.order_by("thread_position").values_list(
                "lwn_id", "parent__lwn_id", "depth", "poster_name", "poster_role"
            )
        )
        == shape
    )
    assert max(depth for _, _, depth, _, _ in shape) == 6
    article = Article.objects.get(lwn_id=ARTICLE_ID)
    assert article.comment_count == 25
    assert article.raw_page == RawPage.objects.get()

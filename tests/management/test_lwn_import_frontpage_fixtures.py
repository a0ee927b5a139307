"""``lwn_import`` of saved lwn.net home pages and other LWN pages, through the real parser.

The other home-page tests hand the store a parsed page; these read the fixture pages,
so parser and store are checked together, as a user's saved pages would be.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ImportRun
from tests.conftest import FIXTURES, Queued

pytestmark = pytest.mark.django_db

LWN = FIXTURES / "lwn"
HOME_PAGES = sorted(path.stem for path in LWN.glob("frontpage-*.html"))
CAPABILITIES = 821729  # article-2020-capabilities-comments.html


def expected_headlines(stem: str) -> list[dict[str, object]]:
    data = json.loads((LWN / f"{stem}.expected.json").read_text())
    headlines = data["headlines"]
    assert isinstance(headlines, list)
    return headlines


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_has_a_home_page_in_every_layout() -> None:
    assert {stem.rsplit("-", 1)[1] for stem in HOME_PAGES} == {"table", "grid", "modern"}


@pytest.mark.parametrize("stem", HOME_PAGES)
def test_it_stores_each_headline_as_a_teaser(stem: str) -> None:
    run("lwn_import", str(LWN / f"{stem}.html"))

    run_ = ImportRun.objects.get()
    assert run_.outcome == "ok", run_.error
    assert not run_.parse_warnings.exists()
    headlines = expected_headlines(stem)
    teasers = {a.lwn_id: a for a in Article.objects.filter(teaser=True)}
    assert sorted(teasers) == sorted(h["lwn_id"] for h in headlines)  # type: ignore[type-var]
    for headline in headlines:
        article = teasers[headline["lwn_id"]]  # type: ignore[index]
        assert article.title == headline["title"]
        assert "[$]" not in article.title
        assert article.edition_id is None
        if headline["subscriber_only"]:
            assert article.subscriber_only
    # None of the home page's furniture became an article of its own.
    assert not Article.objects.filter(title__icontains="Welcome to LWN.net").exists()


@pytest.mark.parametrize("stem", HOME_PAGES)
def test_it_changes_nothing_when_the_same_home_page_comes_again(stem: str) -> None:
    run("lwn_import", str(LWN / f"{stem}.html"))
    before = list(Article.objects.order_by("lwn_id").values())
    run("lwn_import", str(LWN / f"{stem}.html"))
    assert list(Article.objects.order_by("lwn_id").values()) == before


def test_it_never_overwrites_an_article_stored_from_its_own_page(
    tmp_path: Path, queued: Queued
) -> None:
    run("lwn_import", str(LWN / "article-2020-capabilities-comments.html"))
    article = Article.objects.get(lwn_id=CAPABILITIES)
    # A home page that lists the article, built from a real fixture: its first
    # headline's links now point at the stored article.
    stem = HOME_PAGES[0]
    first = expected_headlines(stem)[0]["lwn_id"]
    page = (
        (LWN / f"{stem}.html")
        .read_bytes()
        .replace(f"/Articles/{first}/".encode(), f"/Articles/{CAPABILITIES}/".encode())
    )
    saved = tmp_path / "home.html"
    saved.write_bytes(page)

    run("lwn_import", "--follow", str(saved))

    stored = Article.objects.get(lwn_id=CAPABILITIES)
    assert not stored.teaser
    assert (stored.title, stored.body_text, stored.body_html) == (
        article.title,
        article.body_text,
        article.body_html,
    )
    # --follow asks only for the pages still stored as teasers.
    followed = {args[0] for _task, args in queued}
    assert CAPABILITIES not in followed
    assert followed == set(Article.objects.filter(teaser=True).values_list("lwn_id", flat=True))


OTHER_PAGES = sorted(path.stem for path in LWN.glob("other-*.html"))


@pytest.mark.parametrize("stem", OTHER_PAGES)
def test_it_refuses_other_lwn_pages_with_status_2_naming_the_page(stem: str) -> None:
    expected = json.loads((LWN / f"{stem}.expected.json").read_text())["_refused"]
    with pytest.raises(CommandError) as refused:
        run("lwn_import", str(LWN / f"{stem}.html"))
    assert refused.value.returncode == 2
    message = str(refused.value)
    assert "\n" not in message
    assert expected in message
    assert message.startswith(str(LWN / f"{stem}.html"))
    assert not Article.objects.exists()
    assert ImportRun.objects.get().outcome == "failed"


def test_it_exits_1_when_an_import_failed_for_another_reason_too(tmp_path: Path) -> None:
    shutil.copy(LWN / "other-search.html", tmp_path / "search.html")
    # A damaged gzip file cannot be read at all: not a page the parser refused.
    (tmp_path / "damaged.html.gz").write_bytes(b"\x1f\x8b" + b"damaged")
    with pytest.raises(CommandError) as failed:
        run("lwn_import", str(tmp_path))
    assert failed.value.returncode == 1
    assert "2 import(s) failed" in str(failed.value)

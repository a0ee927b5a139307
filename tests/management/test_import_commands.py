from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from articles.management.commands.lwn_load_samples import sample_pages
from articles.models import Article, Edition, ImportRun
from tests.conftest import FIXTURES
from tests.lwnserver import FakeLWN, Reply

pytestmark = pytest.mark.django_db

LWN = FIXTURES / "lwn"
BIG = "edition-2020-06-11-bigpage.html"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_folder_recursively_including_gzipped_pages(tmp_path: Path) -> None:
    nested = tmp_path / "2020" / "06"
    nested.mkdir(parents=True)
    (nested / "edition.html.gz").write_bytes(gzip.compress((LWN / BIG).read_bytes()))
    shutil.copy(LWN / "edition-2015-03-26-front.html", tmp_path / "old.htm")
    (tmp_path / "notes.txt").write_text("not a page")
    out, err = run("lwn_import", str(tmp_path))
    assert "imported 2, skipped 0 unchanged, failed 0" in out
    assert "[1/2]" in err
    assert "[2/2]" in err
    assert set(Edition.objects.values_list("lwn_id", flat=True)) == {822335, 637393}


def test_it_reports_skips_on_a_second_run_and_fails_loudly_on_bad_pages(tmp_path: Path) -> None:
    shutil.copy(LWN / BIG, tmp_path / "big.html")
    run("lwn_import", str(tmp_path))
    (tmp_path / "broken.html").write_bytes(b"\xff\xfe definitely not html from lwn")
    with pytest.raises(CommandError, match=r"broken\.html: not an LWN page") as excinfo:
        run("lwn_import", str(tmp_path))
    assert excinfo.value.returncode == 2  # the page was the problem: a bad source
    runs = ImportRun.objects.order_by("pk")
    assert [r.outcome for r in runs] == ["ok", "skipped", "failed"]
    assert runs[2].source.endswith("broken.html")
    assert "not a usable LWN page" in runs[2].error


def test_it_changes_nothing_on_a_dry_run() -> None:
    out, _ = run("lwn_import", "--dry-run", str(LWN / BIG))
    assert "would import 1" in out
    assert Edition.objects.count() == 0
    assert ImportRun.objects.count() == 0


def test_it_names_a_source_that_does_not_exist() -> None:
    with pytest.raises(CommandError, match=r"nope\.html: no such file or folder"):
        run("lwn_import", "nope.html")
    with pytest.raises(CommandError, match="nothing to import"):
        run("lwn_import")


def test_it_imports_from_lwn_by_article_id(tmp_path: Path) -> None:
    big = (LWN / BIG).read_bytes()
    routes = {"/Articles/822335/": Reply(body=big), "/Articles/822335/bigpage": Reply(body=big)}
    # The fake site lacks the feature pages: audited as failed runs, and the exit says so.
    with (
        FakeLWN(routes) as lwn,  # type: ignore[arg-type]
        override_settings(LWN_BASE_URL=lwn.url, LWN_REQUEST_INTERVAL=0, FETCH_CACHE_DIR=tmp_path),
        pytest.raises(CommandError, match=r"6 import\(s\) failed"),
    ):
        run("lwn_import", "822335")
    assert Edition.objects.filter(lwn_id=822335).exists()
    assert ImportRun.objects.filter(outcome="ok").count() == 1
    assert lwn.paths()[:2] == ["/Articles/822335/", "/Articles/822335/bigpage"]


def test_it_refuses_addresses_outside_lwn() -> None:
    with pytest.raises(CommandError, match=r"only lwn\.net"):
        run("lwn_import", "https://example.com/Articles/1/")


def test_it_reparses_stored_pages_without_the_network() -> None:
    run("lwn_import", str(LWN / BIG))
    Article.objects.filter(lwn_id=821534).update(title="stale title from an old parser")
    out, _ = run("lwn_reparse", "--all")
    assert "reparsed 1 page(s): 1 ok, 0 unchanged, 0 failed" in out
    assert Article.objects.get(lwn_id=821534).title == "5.8 Merge window, part 1"
    out, _ = run("lwn_reparse", "--edition", "822335")
    assert "0 ok, 1 unchanged" in out
    with pytest.raises(CommandError, match=r"no stored page for edition 1$"):
        run("lwn_reparse", "--edition", "1")


def test_it_loads_the_samples_once(settings: object) -> None:
    out, _ = run("lwn_load_samples")
    assert "edition-2020-06-11-bigpage.html: ok" in out
    # Every listed page, each imported cleanly; none of the corpus's refused pages.
    listed = sample_pages(FIXTURES / "lwn")
    assert len(listed) == len(out.splitlines()) >= 7
    assert all(line.endswith(": ok") for line in out.splitlines()), out
    assert not ImportRun.objects.exclude(outcome="ok").exists()
    assert "other-search.html" not in out
    assert Edition.objects.filter(lwn_id=822335).exists()
    out, _ = run("lwn_load_samples")
    assert "samples not loaded" in out


ARCHIVE = b"""<html><head><title>Weekly edition archive [LWN.net]</title></head><body>
<div class="ArticleText">
<p><a href="/Articles/822335/">LWN.net Weekly Edition for June 11, 2020</a></p>
<p><a href="/Articles/637393/">LWN.net Weekly Edition for March 26, 2015</a></p>
</div></body></html>"""


def test_it_walks_the_archive_since_a_date_and_finds_the_current_edition(
    tmp_path: Path,
) -> None:
    big = (LWN / BIG).read_bytes()
    routes = {
        "/Archives/": Reply(body=ARCHIVE),
        "/Articles/822335/bigpage": Reply(body=big),
        # /current/ redirects to the newest edition, as on lwn.net.
        "/current/": Reply(302, headers={"Location": "/Articles/822335/"}),
        "/Articles/822335/": Reply(body=big),
    }
    with (
        FakeLWN(routes) as lwn,  # type: ignore[arg-type]
        override_settings(LWN_BASE_URL=lwn.url, LWN_REQUEST_INTERVAL=0, FETCH_CACHE_DIR=tmp_path),
        pytest.raises(CommandError),  # the feature pages are missing from the fake site
    ):
        run("lwn_import", "--since", "2020-01-01", "--current")
    # The 2015 edition is older than --since; the current one is imported once, not twice.
    assert set(Edition.objects.values_list("lwn_id", flat=True)) == {822335}
    assert lwn.paths().count("/Articles/822335/bigpage") == 1
    assert "/Articles/637393/bigpage" not in lwn.paths()

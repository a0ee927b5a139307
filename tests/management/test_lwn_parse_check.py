"""``lwn_parse --check FOLDER``: every saved page parsed, warnings by code, refusals and why."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.services.sources import local_pages
from tests.conftest import FIXTURES
from tests.services.warned_pages import ARTICLE, undecodable_and_comment_without_body

NOT_LWN = b"<html><head><title>Elsewhere</title></head><body></body></html>"


def check(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("lwn_parse", "--check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def check_json(folder: Path) -> dict[str, Any]:
    """The JSON report, whether or not some pages were refused (exit status 1)."""
    out = io.StringIO()
    try:
        call_command(
            "lwn_parse", "--check", str(folder), "--json", stdout=out, stderr=io.StringIO()
        )
    except CommandError as exc:
        if exc.returncode != 1:
            raise
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def expectation(page: Path) -> dict[str, Any]:
    """The page's ``<stem>.expected.json`` (the corpus format), or {} when it has none."""
    stem = page.name.split(".")[0]
    path = page.with_name(f"{stem}.expected.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A folder with a clean page, a page that warns twice and one that is not LWN's."""
    shutil.copy(FIXTURES / "lwn" / ARTICLE, tmp_path / "clean.html")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "warned.html").write_bytes(undecodable_and_comment_without_body())
    (tmp_path / "broken.html").write_bytes(NOT_LWN)
    return tmp_path


@pytest.mark.parametrize("folder", [Path(settings.SAMPLES_DIR), FIXTURES / "lwn"])
def test_it_checks_the_samples_and_fixtures_with_only_the_warnings_they_expect(
    folder: Path,
) -> None:
    """Today none of them warns or is refused; a page added on purpose to warn (or to be
    refused) says so in its expectation file."""
    report = check_json(folder)

    pages = local_pages(folder)
    assert report["pages"] == len(pages) >= 7
    refused = sorted(str(p) for p in pages if "_refused" in expectation(p))
    assert sorted(r["path"] for r in report["refused"]) == refused
    found: dict[str, list[str]] = {}
    for entry in report["warnings"]:
        for where in entry["found"]:
            found.setdefault(where["path"], []).append(entry["code"])
    for page in pages:
        expected = expectation(page)
        if "_refused" in expected or "_url" in expected:
            continue  # --check parses without an address, so only address-free pages compare
        codes = sorted(w["code"] for w in expected.get("warnings", []))
        assert sorted(found.get(str(page), [])) == codes, page.name


def test_it_reports_kinds_warnings_and_refused_pages_in_a_table(damaged: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("lwn_parse", "--check", str(damaged), stdout=out, stderr=err)

    assert refused.value.returncode == 1
    assert "1 of 3 page(s) refused" in str(refused.value)
    text = out.getvalue()
    assert f"3 page(s) under {damaged}: 2 parsed, 1 refused" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "article grid 2" in lines
    assert "Warnings by code (2)" in lines
    warned = damaged / "nested" / "warned.html"
    assert (
        "bytes-undecodable 1 1 bytes that are not valid in the page's charset were replaced "
        f"{warned} (page)"
    ) in lines
    assert f"comment-no-body 1 1 a comment has no body text {warned} (comment 821845)" in lines
    assert "Refused pages (1)" in lines
    assert any(line.startswith(f"{damaged / 'broken.html'} not an LWN page") for line in lines)
    assert f"check [3/3] {damaged / 'nested' / 'warned.html'}: 2 warning(s)" in err.getvalue()


def test_it_reports_as_json(damaged: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("lwn_parse", "--check", str(damaged), "--json", stdout=out)

    report = json.loads(out.getvalue())
    warned = str(damaged / "nested" / "warned.html")
    assert report["pages"] == 3
    assert report["parsed"] == 2
    assert report["by_kind_layout"] == [{"page_kind": "article", "layout": "grid", "pages": 2}]
    assert [(w["code"], w["count"], w["pages"]) for w in report["warnings"]] == [
        ("bytes-undecodable", 1, 1),
        ("comment-no-body", 1, 1),
    ]
    assert report["warnings"][1]["description"] == "a comment has no body text"
    assert report["warnings"][1]["found"] == [
        {"path": warned, "where": "comment 821845", "message": "comment 821845 has no body"}
    ]
    assert [r["path"] for r in report["refused"]] == [str(damaged / "broken.html")]
    assert report["refused"][0]["reason"].startswith("not an LWN page")


def test_it_refuses_a_page_it_cannot_read_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8b not really gzip")
    shutil.copy(FIXTURES / "lwn" / ARTICLE, tmp_path / "good.html")
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("lwn_parse", "--check", str(tmp_path), "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["parsed"] == 1
    assert [r["path"] for r in report["refused"]] == [str(tmp_path / "bad.html.gz")]
    assert not report["refused"][0]["reason"].startswith(str(tmp_path))  # said once, not twice


def test_it_exits_0_on_warnings_alone(tmp_path: Path) -> None:
    (tmp_path / "warned.html").write_bytes(undecodable_and_comment_without_body())

    out, _ = check(str(tmp_path))

    assert "1 page(s) under" in out
    assert "Refused pages" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/folder"], "no such file or folder"),
        (["--url", "https://lwn.net/Articles/1/", "."], "--url names one page"),
    ],
)
def test_it_exits_2_on_a_bad_folder_or_arguments(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as error:
        check(*args)

    assert error.value.returncode == 2


def test_it_takes_json_only_with_check() -> None:
    with pytest.raises(CommandError, match="--json goes with --check") as error:
        call_command("lwn_parse", str(FIXTURES / "lwn" / ARTICLE), "--json", stdout=io.StringIO())

    assert error.value.returncode == 2

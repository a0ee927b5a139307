"""The ``lwn_parse`` management command run over the LWN fixtures (needs Django settings)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.lwn.conftest import fixture_path

PAGE_KEYS = {
    "page_kind",
    "lwn_id",
    "title",
    "date",
    "free_on",
    "layout",
    "edition_lwn_id",
    "parser_version",
    "items",
    "comments",
    "headlines",
    "warnings",
}
ITEM_KEYS = {
    "lwn_id",
    "title",
    "kind",
    "section",
    "authors",
    "date",
    "comment_count",
    "body_text",
    "url",
    "position",
    "merge_window",
    "hardware",
}
# The 5.8 merge window's groups and their sizes in the big page (its expectation file has
# them in full).
MERGE_GROUPS: list[tuple[str, int]] = [
    ("Architecture-specific", 1),
    ("Core kernel", 8),
    ("Filesystems and block I/O", 2),
    ("Hardware support", 6),
    ("Miscellaneous", 1),
    ("Networking", 5),
    ("Security-related", 2),
    ("Internal kernel changes", 7),
]
COMMENT_KEYS = {
    "lwn_id",
    "parent_id",
    "title",
    "author",
    "role",
    "posted_at",
    "depth",
    "body_text",
}


def run_lwn_parse(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("lwn_parse", *args, stdout=out)
    data = json.loads(out.getvalue())
    assert isinstance(data, dict)
    return data


def test_it_prints_the_bigpage_as_json_with_the_contract_keys() -> None:
    data = run_lwn_parse(str(fixture_path("edition-2020-06-11-bigpage.html")))
    assert set(data) == PAGE_KEYS
    assert data["page_kind"] == "edition"
    assert data["lwn_id"] == 822335
    assert data["title"] == "LWN.net Weekly Edition for June 11, 2020"
    assert data["date"] == "2020-06-11"
    assert data["free_on"] is None
    assert data["layout"] == "grid"
    assert isinstance(data["parser_version"], str)
    assert data["parser_version"]
    assert data["comments"] == []
    assert isinstance(data["warnings"], list)
    assert len(data["items"]) == 10
    for item in data["items"]:
        assert set(item) == ITEM_KEYS


def test_it_prints_items_field_by_field() -> None:
    data = run_lwn_parse(str(fixture_path("edition-2020-06-11-bigpage.html")))
    by_title = {item["title"]: item for item in data["items"]}
    seccomp = by_title["Seccomp and deep argument inspection"]
    assert seccomp["lwn_id"] == 822256
    assert seccomp["kind"] == "feature"
    assert seccomp["section"] == "Front page"
    assert seccomp["authors"] == ["Jake Edge"]
    assert seccomp["date"] == "2020-06-10"
    assert seccomp["comment_count"] == 7
    assert seccomp["url"] == "https://lwn.net/Articles/822256/"
    assert seccomp["merge_window"] is None
    assert seccomp["hardware"] == []
    guest = by_title["DMA-BUF cache handling: Off the DMA API map (part 1)"]
    assert (guest["kind"], guest["authors"], guest["date"]) == (
        "guest",
        ["John Stultz"],
        "2020-06-04",
    )
    brief = by_title["Kernel release status"]
    assert brief["kind"] == "brief"
    assert brief["section"] == "Brief items: Kernel development"
    assert brief["authors"] == ["Jonathan Corbet"]
    assert brief["comment_count"] == 3


def test_it_prints_the_merge_window_and_hardware_lists() -> None:
    data = run_lwn_parse(str(fixture_path("edition-2020-06-11-bigpage.html")))
    merge = next(i for i in data["items"] if i["title"] == "5.8 Merge window, part 1")
    window = merge["merge_window"]
    assert set(window) == {"kernel_version", "part", "groups"}
    assert window["kernel_version"] == "5.8"
    assert window["part"] == 1
    assert [(g["title"], len(g["items"])) for g in window["groups"]] == MERGE_GROUPS
    for group in window["groups"]:
        assert set(group) == {"title", "items"}
    assert [(h["category"], len(h["devices"])) for h in merge["hardware"]] == [
        ("Graphics", 5),
        ("Hardware monitoring", 4),
        ("Interrupt control", 3),
        ("Media", 2),
        ("Miscellaneous", 6),
        ("Networking", 5),
    ]
    assert merge["hardware"][4]["devices"][-1] == "Loongson PCI controllers"


def test_it_prints_the_subscription_page() -> None:
    data = run_lwn_parse(str(fixture_path("subscription-required.html")))
    assert set(data) == PAGE_KEYS
    assert data["page_kind"] == "subscription_required"
    assert data["lwn_id"] == 783673
    assert data["title"] == "Managing sysctl knobs with BPF"
    assert data["free_on"] == "2019-04-04"
    assert data["date"] is None
    assert data["layout"] == "grid"
    assert data["items"] == []
    assert data["comments"] == []


def test_it_accepts_a_url_hint() -> None:
    path = str(fixture_path("subscription-required.html"))
    data = run_lwn_parse(path, "--url", "https://lwn.net/Articles/783673/")
    assert data["lwn_id"] == 783673
    assert data["free_on"] == "2019-04-04"


def test_it_prints_comments_with_utc_timestamps() -> None:
    data = run_lwn_parse(str(fixture_path("article-2024-details-comments.html")))
    assert data["layout"] == "modern"
    assert [c["depth"] for c in data["comments"]] == [0, 1, 2, 3, 1, 0]
    for comment in data["comments"]:
        assert set(comment) == COMMENT_KEYS
    first = data["comments"][0]
    assert first["posted_at"] == "2025-01-23T04:25:00Z"
    assert first["role"] == "supporter"
    assert first["parent_id"] is None


def test_it_rejects_a_non_lwn_file_with_returncode_2(tmp_path: Path) -> None:
    page = tmp_path / "not-lwn-page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Cat pictures</title></head>"
        "<body><h1>Cats</h1><p>Nothing to see here.</p></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as excinfo:
        run_lwn_parse(str(page))
    assert excinfo.value.returncode == 2
    assert "not-lwn-page.html" in str(excinfo.value)

"""The three byline forms and the staff login map."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup, Tag

from articles.lwn.bylines import login_name, parse_byline, split_authors


def _tag(html: str) -> Tag:
    tag = BeautifulSoup(html, "lxml").find("div")
    assert isinstance(tag, Tag)
    return tag


def test_it_reads_a_feature_byline() -> None:
    byline = parse_byline(
        _tag('<div class="FeatureByline"> By <b>Jake Edge</b><br>June 10, 2020 </div>')
    )
    assert byline is not None
    assert (byline.kind, byline.authors, byline.date) == (
        "feature",
        ["Jake Edge"],
        dt.date(2020, 6, 10),
    )


def test_it_reads_a_feature_byline_without_bold() -> None:
    byline = parse_byline(_tag('<div class="FeatureByline">By Jake Edge<br>June 10, 2020</div>'))
    assert byline is not None
    assert byline.authors == ["Jake Edge"]


def test_it_splits_co_authors() -> None:
    byline = parse_byline(
        _tag(
            '<div class="FeatureByline">By <b>Jake Edge and Jonathan Corbet</b><br>'
            "May 1, 2021</div>"
        )
    )
    assert byline is not None
    assert byline.authors == ["Jake Edge", "Jonathan Corbet"]


def test_it_reads_a_guest_byline_with_a_linked_name() -> None:
    html = (
        '<div class="GAByline"><p>June 4, 2020</p>'
        '<p>This article was contributed by <a href="https://example.org">John Stultz</a></p></div>'
    )
    byline = parse_byline(_tag(html))
    assert byline is not None
    assert (byline.kind, byline.authors, byline.date) == (
        "guest",
        ["John Stultz"],
        dt.date(2020, 6, 4),
    )


def test_it_keeps_non_ascii_author_names() -> None:
    html = (
        '<div class="GAByline"><p>March 17, 2010</p>'
        "<p>This article was contributed by Jürgen Dürr</p></div>"
    )
    byline = parse_byline(_tag(html))
    assert byline is not None
    assert byline.authors == ["Jürgen Dürr"]


@pytest.mark.parametrize(
    ("login", "name"),
    [
        ("corbet", "Jonathan Corbet"),
        ("jake", "Jake Edge"),
        ("daroc", "Daroc Alden"),
        ("jzb", "Joe Brockmeier"),
        ("ris", "Rebecca Sobol"),
        ("somebody", "somebody"),
    ],
)
def test_it_maps_staff_logins_to_names(login: str, name: str) -> None:
    assert login_name(login) == name


def test_it_reads_a_brief_byline_and_maps_the_login() -> None:
    byline = parse_byline(_tag('<div class="Byline">[Posted June 10, 2020 by corbet]</div>'))
    assert byline is not None
    assert (byline.kind, byline.authors, byline.date) == (
        "brief",
        ["Jonathan Corbet"],
        dt.date(2020, 6, 10),
    )


def test_it_keeps_an_unknown_login_as_written() -> None:
    byline = parse_byline(_tag('<div class="Byline">[Posted December 10, 2025 by newstaff]</div>'))
    assert byline is not None
    assert byline.authors == ["newstaff"]


def test_it_returns_none_for_a_plain_div() -> None:
    assert parse_byline(_tag("<div>By <b>Nobody</b></div>")) is None


def test_it_splits_an_author_list_with_an_oxford_comma() -> None:
    assert split_authors("A. One, B. Two, and C. Three") == ["A. One", "B. Two", "C. Three"]

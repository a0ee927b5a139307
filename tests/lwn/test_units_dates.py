"""LWN's date forms: bylines, edition titles and comment poster lines."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.lwn.dates import find_date, parse_date, parse_datetime

UTC = dt.UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 10, 2020", dt.date(2020, 6, 10)),
        ("By Jonathan Corbet June 5, 2020", dt.date(2020, 6, 5)),
        ("Jun 5, 2020", dt.date(2020, 6, 5)),
        ("Sept. 3, 2019", dt.date(2019, 9, 3)),
        ("September 26, 2024", dt.date(2024, 9, 26)),
        ("LWN.net Weekly Edition for March 26, 2015", dt.date(2015, 3, 26)),
        ("[Posted December 10, 2025 by corbet]", dt.date(2025, 12, 10)),
    ],
)
def test_it_parses_month_day_year(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "no date here", "Junk 5, 2020", "February 30, 2020"])
def test_it_returns_none_without_a_valid_date(text: str) -> None:
    assert parse_date(text) is None


def test_it_skips_an_impossible_date_and_finds_the_next() -> None:
    assert parse_date("February 30, 2020 or March 1, 2020") == dt.date(2020, 3, 1)


def test_it_reports_where_the_date_starts() -> None:
    assert find_date("Jake Edge June 10, 2020") == (dt.date(2020, 6, 10), 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jun 5, 2020 18:04 UTC (Fri)", dt.datetime(2020, 6, 5, 18, 4, tzinfo=UTC)),
        (
            "Posted Dec 10, 2025 4:25 UTC (Wed) by ktkaffee",
            dt.datetime(2025, 12, 10, 4, 25, tzinfo=UTC),
        ),
        ("Posted Oct 18, 2007 13:33 UTC (Thu)", dt.datetime(2007, 10, 18, 13, 33, tzinfo=UTC)),
    ],
)
def test_it_parses_comment_timestamps_as_aware_utc(text: str, expected: dt.datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == dt.timedelta(0)


def test_it_returns_none_for_a_timestamp_without_time() -> None:
    assert parse_datetime("Posted Jun 5, 2020 by someone") is None


def test_it_rejects_an_impossible_time() -> None:
    assert parse_datetime("Jun 5, 2020 25:61 UTC") is None

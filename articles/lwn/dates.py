"""The date forms LWN prints.

- bylines and edition titles: ``June 10, 2020`` (full month names, sometimes
  abbreviated, e.g. ``Sept. 3, 2019``);
- comment poster lines: ``Jun 5, 2020 18:04 UTC (Fri)``, possibly preceded by
  ``Posted``. Comment times are always UTC on LWN.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
# "Sept" is the one four-letter abbreviation LWN uses; full names are matched by
# their first three letters plus the rest of the word.
_MONTH_PATTERN = r"(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?"
_DATE_RE = re.compile(
    rf"\b{_MONTH_PATTERN}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
)
_DATETIME_RE = re.compile(
    rf"\b{_MONTH_PATTERN}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
    r"\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?:UTC|GMT)?",
    re.IGNORECASE,
)
_FULL_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _month_number(word: str) -> int | None:
    word = word.lower()
    number = _MONTHS.get(word[:3])
    if number is None:
        return None
    # Accept "Jun", "June", "Sept", "September"; reject "Junk" or "Marching".
    full = _FULL_NAMES[number - 1]
    if len(word) > 3 and not full.startswith(word):
        return None
    return number


def parse_date(text: str) -> dt.date | None:
    """The first ``Month D, YYYY`` date in *text*, or None."""
    found = find_date(text)
    return found[0] if found else None


def find_date(text: str) -> tuple[dt.date, int] | None:
    """The first ``Month D, YYYY`` date in *text* and where it starts."""
    for match in _DATE_RE.finditer(text):
        month = _month_number(match.group("month"))
        if month is None:
            continue
        try:
            day = dt.date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:
            continue
        return day, match.start()
    return None


def parse_datetime(text: str) -> dt.datetime | None:
    """The first ``Mon D, YYYY H:MM UTC`` timestamp in *text*, as aware UTC."""
    for match in _DATETIME_RE.finditer(text):
        month = _month_number(match.group("month"))
        if month is None:
            continue
        try:
            return dt.datetime(
                int(match.group("year")),
                month,
                int(match.group("day")),
                int(match.group("hour")),
                int(match.group("minute")),
                int(match.group("second") or 0),
                tzinfo=dt.UTC,
            )
        except ValueError:
            continue
    return None

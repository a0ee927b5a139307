"""How dates and times are written in API answers, as DRF's own fields write them.

The hot serializers build their dicts by hand (see ``ArticleSummarySerializer``);
these keep their values identical to what the declared fields would produce.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def iso_datetime(value: dt.datetime | None, tz: dt.tzinfo | None = None) -> str | None:
    """ISO 8601 in ``tz`` (the current time zone by default), with UTC written as ``Z``.

    A caller writing many times passes ``timezone.get_current_timezone()`` once.
    """
    if value is None:
        return None
    text = timezone.localtime(value, tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text

"""The "Subscription required" page (R2 shape) with a URL hint.

Its fields without one are a row in ``tests/lwn/expected.py``.
"""

from __future__ import annotations

import datetime as dt

from articles.lwn import parse_page
from tests.lwn.conftest import fixture_path
from tests.lwn.expected import SUBSCRIPTION

NAME = SUBSCRIPTION


def test_it_keeps_the_url_hint() -> None:
    url = "https://lwn.net/Articles/783673/"
    hinted = parse_page(fixture_path(NAME).read_bytes(), url=url)
    assert hinted.url == url
    assert hinted.lwn_id == 783673
    assert hinted.free_on == dt.date(2019, 4, 4)

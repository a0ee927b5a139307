"""The "Subscription required" page."""

from __future__ import annotations

import datetime as dt

from articles.lwn import parse_page
from tests.lwn.pagebuilder import page_bytes

OFFER = """ <!-- offer -->The page you have tried to view (<a href="/Articles/783673/">Managing
sysctl knobs with BPF</a>) is currently available to LWN subscribers only. <!-- exp -->
<table class="Form"><tr><td><form><input type="hidden" name="target" value="/Articles/783673/">
</form></td></tr></table>
<!-- login -->
<p>(Alternatively, this item will become freely available on April 4, 2019)</p>
"""


def test_it_reads_the_offered_article_and_free_date() -> None:
    page = parse_page(page_bytes(OFFER, title="Subscription required"))
    assert page.page_kind == "subscription_required"
    assert page.lwn_id == 783673
    assert page.title == "Managing sysctl knobs with BPF"
    assert page.free_on == dt.date(2019, 4, 4)
    assert page.items == []
    assert page.comments == []
    assert page.warnings == []


def test_it_warns_when_the_offer_names_nothing() -> None:
    page = parse_page(
        page_bytes("<p>Sorry.</p>", title="Subscription required"),
        url="https://lwn.net/Articles/5/",
    )
    assert page.page_kind == "subscription_required"
    assert page.lwn_id == 5
    assert page.title == "Subscription required"
    assert page.free_on is None
    assert "subscription-no-article" in [w.code for w in page.warnings]

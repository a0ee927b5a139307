from __future__ import annotations

import datetime as dt

from articles.lwn.archive import parse_archive

PAGE = b"""<html><head><title>Weekly edition archive [LWN.net]</title></head><body>
<div class="ArticleText">
<p><a href="/Articles/822335/">LWN.net Weekly Edition for June 11, 2020</a></p>
<p><a href="/Articles/821477/">LWN.net Weekly Edition for June 4, 2020</a></p>
<p><a href="/Articles/821477/">LWN.net Weekly Edition for June 4, 2020</a> (again)</p>
<p><a href="/Articles/999/">Some other article</a></p>
<p><a href="https://example.com/">LWN.net Weekly Edition for July 2, 2020</a></p>
</div></body></html>"""


def test_it_lists_editions_newest_first_without_duplicates() -> None:
    entries = parse_archive(PAGE)
    assert [(e.lwn_id, e.date) for e in entries] == [
        (822335, dt.date(2020, 6, 11)),
        (821477, dt.date(2020, 6, 4)),
    ]
    assert entries[0].title == "LWN.net Weekly Edition for June 11, 2020"


def test_it_finds_nothing_on_a_page_without_edition_links() -> None:
    assert parse_archive(b"<html><body><p>nothing</p></body></html>") == []

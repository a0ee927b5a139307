"""Property tests: whatever the bytes, ``parse_page`` returns a page whose
items all have titles, or raises ``LWNParseError`` (and nothing else), fast.

Inputs are a small representative page built here (edition with features,
briefs, a merge window and a security entry; article with both comment
markups) and the fixture pages under ``tests/fixtures/lwn/``, damaged by
truncation, dropped or shuffled lines, spliced garbage, wrong encodings, or
replaced by random bytes. Generated pages of each era's paths are in
``test_fuzz_eras.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.lwn import LWNParseError, ParsedPage, parse_page, to_json_dict
from tests.lwn.pagebuilder import (
    brief,
    edition_bytes,
    feature,
    page_bytes,
    page_html,
)

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "lwn").glob("*.html"))

MERGE_BODY = (
    "<p>Intro — with Jürgen Dürr.</p><h4>Core kernel</h4><ul><li>New <tt>faccessat2()</tt>.</li>"
    "</ul><h4>Hardware support</h4><ul><li><b>Graphics</b>: Foo panels, Bar (and Baz, Qux) "
    "encoders, and Quux bridges. Also more.</li>"
    "<li><b>Media</b>: A sensors and B decoders,</li></ul>"
)
EDITION = page_bytes(
    '<div class="nag"><b>Please consider subscribing to LWN</b><p>Pay.</p></div>\n'
    '<p class="Cat1HL">Front page</p>\n'
    + feature(100, "Seccomp and deep argument inspection", author="Jake Edge")
    + feature(101, "5.8 Merge window, part 1", body=MERGE_BODY, comments="none posted")
    + '<p class="Cat1HL">Brief items</p>\n<p class="Cat2HL">Security</p>\n'
    + '<h2 class="SummaryHL">kernel: information leak</h2>\n<table class="Vuln"><tr><td>CVE-1'
    + "</td></tr></table>\n"
    + brief(102, "Kernel release status", login="corbet")
    + "<p>\n<b>Page editor</b>: Jonathan Corbet<br>\n</p>\n",
    title="LWN.net Weekly Edition for June 11, 2020",
    head_extra='<link rel="canonical" href="https://lwn.net/Articles/822335/bigpage">\n',
)
_OLD_COMMENT = (
    '<a name="CommAnchor{id}"></a>\n<div class="CommentBox">\n<p class="CommentTitle">T{id}</p>\n'
    '<div class="CommentBody">\n<p class="CommentPoster">Posted Jun 8, 2020 15:12 UTC (Mon) by '
    '<b>user{id}</b> (subscriber, #1)</p>\n<div class="FormattedComment">Body {id}</div>\n'
    "</div>\n</div>\n"
)
_NEW_COMMENT = (
    '<details class="CommentBox" open>\n<summary>\n<h3 class="CommentTitle">N{id}</h3>\n'
    '<div class="CommentPoster">Posted Dec 10, 2025 4:25 UTC (Wed) by <b>n{id}</b> '
    '(✭ supporter ✭, #2) [<a href="/Articles/{id}/">Link</a>]</div>\n</summary>\n'
    '<div class="FormattedComment"><p>Reply {id}</p></div>\n{inner}</details>\n'
)
ARTICLE = page_html(
    '<div class="FeatureByline">\nBy <b>Jonathan Corbet</b><br>June 8, 2020\n</div>\n'
    "<p>Capabilities — Dürr.</p>\n"
    '<p><a href="/Articles/200/#Comments">Comments (4 posted)</a></p>\n'
    '<hr width="60%" align="left">\n(<a href="/Login/?target=/Articles/200/">Log in</a> to post '
    'comments)\n<a name="Comments"></a>\n'
    + _OLD_COMMENT.format(id=201)
    + '<div class="Comment">\n'
    + _OLD_COMMENT.format(id=202)
    + "</div>\n"
    + _NEW_COMMENT.format(id=203, inner=_NEW_COMMENT.format(id=204, inner="")),
    title="A crop of new capabilities",
).encode("utf-8")
PAGES = [EDITION, ARTICLE, *(path.read_bytes() for path in FIXTURES)]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# The pages that can be re-encoded wrongly (the 2008 big page is Latin-1 already).
UTF8_PAGES = [page for page in PAGES if _is_utf8(page)]

FUZZ = settings(
    max_examples=60,
    deadline=dt.timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(data: bytes) -> ParsedPage | None:
    """Parse *data*; only LWNParseError may escape, and a page must be sound."""
    try:
        page = parse_page(data)
    except LWNParseError as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        return None
    for item in page.items:
        assert item.title.strip(), f"item without a title: {item!r}"[:200]
    for comment in page.comments:
        assert comment.posted_at.utcoffset() == dt.timedelta(0)
    json.dumps(to_json_dict(page), ensure_ascii=False)
    return page


def test_it_parses_the_representative_pages_cleanly() -> None:
    edition = check(EDITION)
    assert edition is not None
    assert edition.warnings == []
    assert [i.title for i in edition.items] == [
        "Seccomp and deep argument inspection",
        "5.8 Merge window, part 1",
        "kernel: information leak",
        "Kernel release status",
    ]
    article = check(ARTICLE)
    assert article is not None
    assert article.warnings == []
    assert [c.lwn_id for c in article.comments] == [201, 202, 203, 204]


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data())
def test_it_survives_truncation(page: bytes, data: st.DataObject) -> None:
    cut = data.draw(st.integers(min_value=0, max_value=len(page)), label="cut")
    check(page[:cut])


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data())
def test_it_survives_dropped_lines(page: bytes, data: st.DataObject) -> None:
    lines = page.split(b"\n")
    keep = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    check(b"\n".join(line for line, kept in zip(lines, keep, strict=True) if kept))


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data())
def test_it_survives_shuffled_lines(page: bytes, data: st.DataObject) -> None:
    lines = page.split(b"\n")
    start = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    end = data.draw(st.integers(min_value=start, max_value=len(lines)))
    middle = data.draw(st.permutations(lines[start:end]))
    check(b"\n".join(lines[:start] + list(middle) + lines[end:]))


@FUZZ
@given(page=st.sampled_from(PAGES), data=st.data(), junk=st.binary(min_size=1, max_size=200))
def test_it_survives_spliced_garbage(page: bytes, data: st.DataObject, junk: bytes) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(page)))
    check(page[:at] + junk + page[at:])


@FUZZ
@given(
    page=st.sampled_from(UTF8_PAGES),
    encoding=st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]),
)
def test_it_survives_wrong_encodings(page: bytes, encoding: str) -> None:
    text = page.decode("utf-8")
    check(text.encode(encoding, errors="replace"))


def test_it_keeps_names_through_a_latin1_page_that_claims_utf8() -> None:
    page = check(ARTICLE.decode("utf-8").encode("latin-1", errors="replace"))
    assert page is not None
    assert "bytes-undecodable" in [warning.code for warning in page.warnings]
    assert "D\ufffdrr" in page.items[0].body_text


@FUZZ
@given(data=st.binary(max_size=4096))
def test_it_survives_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(
    prefix=st.binary(max_size=64),
    tags=st.lists(
        st.sampled_from(
            [
                b"<div>",
                b"</div>",
                b'<h2 class="SummaryHL">',
                b"</h2>",
                b'<p class="Cat1HL">',
                b'<div class="ArticleText">',
                b'<details class="CommentBox">',
                b"<main>",
                b"<li>",
                b'<div class="FeatureByline">',
                b"Jun 5, 2020 18:04 UTC",
                b"x",
                b"<br>",
                b"<pre>",
            ]
        ),
        max_size=300,
    ),
)
def test_it_survives_random_lwn_like_tag_soup(prefix: bytes, tags: list[bytes]) -> None:
    check(b"<title>Soup [LWN.net]</title>" + prefix + b"".join(tags))


def test_it_parses_deep_but_closed_nesting() -> None:
    depth = 900
    body = "<div>" * depth + '<h2 class="SummaryHL">Deep</h2><p>x</p>' + "</div>" * depth
    page = check(edition_bytes(body))
    assert page is not None
    assert [item.title for item in page.items] == ["Deep"]


def test_it_refuses_runaway_unclosed_nesting_quickly() -> None:
    body = '<div><h2 class="SummaryHL">T</h2><b>x</b>y' * 20_000
    start = time.perf_counter()
    with pytest.raises(LWNParseError, match="unclosed <div>"):
        parse_page(edition_bytes(body))
    assert time.perf_counter() - start < 5


@pytest.mark.slow
def test_it_parses_a_5_mb_page_in_bounded_time() -> None:
    body = feature(1, "5.8 Merge window, part 1", body=MERGE_BODY) + "".join(
        feature(1000 + n, f"Item {n}", body="<p>" + "Lorem ipsum dolor sit amet. " * 60 + "</p>")
        for n in range(2700)
    )
    data = edition_bytes(body)
    assert len(data) >= 5_000_000
    start = time.perf_counter()
    page = check(data)
    elapsed = time.perf_counter() - start
    assert page is not None
    assert len(page.items) == 2701
    # Generous: about 2 s on a developer machine; the bound only catches hangs
    # and accidental quadratic work.
    assert elapsed < 90, f"5 MB page took {elapsed:.1f} s"

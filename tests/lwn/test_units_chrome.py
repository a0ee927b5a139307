"""Page furniture never reaches an item body."""

from __future__ import annotations

from articles.lwn import parse_page
from tests.lwn.pagebuilder import edition_bytes, feature, page_bytes

ARTICLE_BODY = """
<div class="nag"><b>Please consider subscribing to LWN</b>
<p>Subscriptions are the lifeblood.</p></div>
<blockquote class="ad"><b>Did you know...?</b> LWN.net is paid for by subscribers.</blockquote>
<div class="FeatureByline">By <b>Jake Edge</b><br>June 10, 2020</div>
<p>Real text.</p>
<div class="osano-cm-window"><p>We use cookies</p></div>
<div class="MakeALink"><form><input type="hidden" name="articleid" value="821729">
<input type="submit" value="Send a free link"></form></div>
<table class="IndexEntries"><tr><th>Index entries for this article</th></tr>
<tr><td><a href="/Kernel/Index">Kernel</a></td></tr></table>
<script>var x = 1;</script>
<br clear="all">
<hr width="60%" align="left">
(<a href="https://lwn.net/Login/?target=/Articles/821729/">Log in</a> to post comments)
"""


def test_it_removes_article_chrome() -> None:
    page = parse_page(page_bytes(ARTICLE_BODY, title="Chrome test"))
    (item,) = page.items
    assert item.body_text == "Real text."
    for needle in (
        "subscribing",
        "Did you know",
        "cookies",
        "free link",
        "Index entries",
        "post comments",
        "var x",
    ):
        assert needle not in item.body_html


def test_it_finds_the_id_in_the_makealink_form_before_removing_it() -> None:
    page = parse_page(page_bytes(ARTICLE_BODY, title="Chrome test"))
    assert page.lwn_id == 821729


def test_it_removes_edition_footer_lines() -> None:
    body = (
        feature(1001, "Only item", comments="none posted")
        + "<p>\n<b>Page editor</b>: Jonathan Corbet<br>\n</p>\n"
        "<h2>Inside this week's LWN.net Weekly Edition</h2>\n"
        '<ul><li><a href="/Articles/1002/">Security</a>: things.</li></ul>\n'
        '<b>Next page</b>: <a href="/Articles/1002/">Security&gt;&gt;</a>\n'
    )
    page = parse_page(edition_bytes(body))
    (item,) = page.items
    assert item.body_text == "Body text."
    assert item.comment_count == 0


def test_it_removes_a_bare_page_editor_run() -> None:
    body = feature(1001, "Only item") + "<b>Page editor</b>: Jonathan Corbet <br>\n"
    (item,) = parse_page(edition_bytes(body)).items
    assert "Page editor" not in item.body_html
    assert "Jonathan Corbet" not in item.body_text


def test_it_keeps_a_bold_next_page_in_prose() -> None:
    body = '<div class="FeatureByline">By <b>A</b><br>June 1, 2020</div>'
    body += "<p>Turn to the <b>next page</b> of the manual.</p>"
    (item,) = parse_page(page_bytes(body)).items
    assert item.body_text == "Turn to the next page of the manual."

"""``html_sanitize`` against the whole payload corpus, and what the pages do after it.

Stored HTML is sanitised once and later re-parsed: by ``entity_links`` when
a page is rendered, and by browsers. So the output must be clean, stay the
same when sanitised again (no mutation on a second parse), and survive the
entity-link filter unchanged in meaning.
"""

from __future__ import annotations

import re

import lxml.html
import pytest

from articles.services.sanitize import html_sanitize
from articles.templatetags.entity_links import entity_links
from tests.security.markup import fragment_problems
from tests.security.xss_payloads import PAYLOADS, Payload

IDS = [p.name for p in PAYLOADS]


def _text(fragment: str) -> str:
    if not fragment.strip():
        return ""
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_it_leaves_no_executable_markup(payload: Payload) -> None:
    clean = html_sanitize(f"<p>Before</p>{payload.text}<p>after</p>")
    assert fragment_problems(clean) == []
    assert clean.startswith("<p>Before</p>")  # what came before survives


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_it_is_stable_when_sanitised_again(payload: Payload) -> None:
    """A second pass changes nothing: the output parses the way it was written."""
    clean = html_sanitize(payload.text)
    assert html_sanitize(clean) == clean


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_it_keeps_escaped_payloads_as_text(payload: Payload) -> None:
    clean = html_sanitize(f"<p>{payload.escaped}</p>")
    assert fragment_problems(clean) == []
    assert _text(clean) == payload.text


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_it_stays_clean_through_the_entity_link_filter(payload: Payload) -> None:
    # faccessat2() makes the filter re-parse and re-serialise the fragment.
    for source in (payload.text, f"<p>{payload.escaped}</p>"):
        linked = str(entity_links(html_sanitize(f"<p>See faccessat2() and</p>{source}")))
        assert 'class="entity"' in linked
        assert fragment_problems(linked) == []
    escaped = str(entity_links(html_sanitize(f"<p>faccessat2() {payload.escaped}</p>")))
    assert _text(escaped) == f"faccessat2() {payload.text}"


def test_it_marks_every_link_nofollow_noopener_and_keeps_no_style() -> None:
    fragments = "".join(p.text for p in PAYLOADS) + '<a href="https://example.org/">x</a>'
    clean = html_sanitize(fragments + '<p style="color:red" onclick="x()">styled</p>')
    links = re.findall(r"<a\b[^>]*>", clean)
    assert links, "the plain link must survive"
    assert all('rel="nofollow noopener"' in link for link in links)
    assert "style=" not in clean
    assert "onclick" not in clean


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/%0a%0djavascript:alert(1)",
    ],
)
def test_it_drops_script_and_data_urls_however_written(href: str) -> None:
    clean = html_sanitize(f'<a href="{href}">x</a><img src="{href}">')
    assert fragment_problems(clean) == []


def test_it_keeps_ordinary_lwn_markup() -> None:
    html = (
        '<p class="BigQuote">A <a href="https://lwn.net/Articles/1/" rel="nofollow noopener">'
        "link</a>, <tt>faccessat2()</tt> and <code>CAP_BPF</code>.</p><pre>  a &lt; b</pre>"
    )
    assert html_sanitize(html) == html

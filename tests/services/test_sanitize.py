from __future__ import annotations

import pytest

from articles.services.sanitize import html_sanitize


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg onload=alert(1)>",
        '<iframe src="https://evil.example/"></iframe>',
    ],
)
def test_it_removes_executable_content(payload: str) -> None:
    clean = html_sanitize(payload)
    for bad in ("<script", "onerror", "javascript:", "data:", "style=", "<svg", "<iframe"):
        assert bad not in clean


def test_it_makes_lwn_links_absolute_and_nofollow() -> None:
    clean = html_sanitize('<a href="/Articles/821534/">merge window</a>')
    assert clean == (
        '<a href="https://lwn.net/Articles/821534/" rel="nofollow noopener">merge window</a>'
    )


def test_it_keeps_lwn_structure_and_preformatted_text() -> None:
    html = '<div class="BigQuote"><p>quoted</p></div><pre>  a\n  b</pre>'
    assert html_sanitize(html) == html

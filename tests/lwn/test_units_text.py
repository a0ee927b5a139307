"""Plain-text rendering of body fragments."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from bs4.element import PageElement

from articles.lwn.text import inline_text, render_html, render_text


def _children(html: str) -> list[PageElement]:
    root = BeautifulSoup(f"<div id='root'>{html}</div>", "lxml").find("div")
    assert isinstance(root, Tag)
    return list(root.children)


def test_it_separates_paragraphs_with_a_blank_line() -> None:
    assert render_text(_children("<p>One\n  two</p><p>Three</p>")) == "One two\n\nThree"


def test_it_collects_bare_text_before_the_first_paragraph() -> None:
    assert render_text(_children("Bare <b>start</b>\n<p>Next</p>")) == "Bare start\n\nNext"


def test_it_keeps_line_breaks_and_splits_on_double_breaks() -> None:
    assert render_text(_children("<p>a<br>b<br><br>c</p>")) == "a\nb\n\nc"


def test_it_keeps_preformatted_layout() -> None:
    assert render_text(_children("<p>x</p><pre>\n  a  b\n    c\n</pre>")) == "x\n\n  a  b\n    c"


def test_it_skips_scripts_and_comments() -> None:
    assert render_text(_children("<p>a<!-- hidden --><script>x()</script></p>")) == "a"


def test_it_makes_list_items_paragraphs() -> None:
    assert render_text(_children("<ul><li>one</li><li>two</li></ul>")) == "one\n\ntwo"


def test_it_survives_very_deep_nesting() -> None:
    html = "<span>" * 3000 + "deep" + "</span>" * 3000
    assert render_text(_children(html)) == "deep"


def test_it_renders_inline_text_on_one_line() -> None:
    assert inline_text(_children("<p>a</p><p>b</p>")) == "a b"


def test_it_escapes_top_level_text_in_html() -> None:
    assert render_html(_children("a &lt; b <!-- c --><i>d</i>")) == "a &lt; b <i>d</i>"

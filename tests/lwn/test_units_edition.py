"""Splitting an edition into items."""

from __future__ import annotations

import datetime as dt

from articles.lwn import parse_page
from tests.lwn.pagebuilder import brief, edition_bytes, feature


def test_it_assigns_sections_from_cat_headings() -> None:
    body = (
        '<p class="Cat1HL">Front page</p>'
        + feature(1, "A")
        + '<p class="Cat1HL">Brief items</p><p class="Cat2HL">Security</p>'
        + brief(2, "B")
        + '<p class="Cat2HL">Kernel</p>'
        + brief(3, "C")
        + '<p class="Cat1HL">Announcements</p>'
        + brief(4, "D")
    )
    page = parse_page(edition_bytes(body))
    assert [(i.title, i.section, i.position) for i in page.items] == [
        ("A", "Front page", 0),
        ("B", "Brief items: Security", 1),
        ("C", "Brief items: Kernel", 2),
        ("D", "Announcements", 3),
    ]


def test_it_reads_kind_authors_date_and_count() -> None:
    page = parse_page(edition_bytes(feature(10, "Feat", comments="12 posted") + brief(11, "Br")))
    feat, br = page.items
    assert (feat.kind, feat.authors, feat.date, feat.comment_count) == (
        "feature",
        ["Jonathan Corbet"],
        dt.date(2020, 6, 10),
        12,
    )
    assert (br.kind, br.authors, br.comment_count) == ("brief", ["Jake Edge"], 2)
    assert br.body_text == "News."
    assert feat.url == "https://lwn.net/Articles/10/"


def test_it_accepts_pre_2012_paragraph_and_h3_summary_headings() -> None:
    body = feature(1, "Old", heading="p") + feature(2, "New", heading="h3")
    page = parse_page(edition_bytes(body, layout="table"))
    assert [i.title for i in page.items] == ["Old", "New"]
    assert page.items[0].body_text == "Body text."


def test_it_keeps_an_unlinked_item_and_takes_no_cve_links() -> None:
    body = (
        '<h2 class="SummaryHL">kernel: information leak</h2>'
        '<p>See <a href="https://www.cve.org/CVERecord?id=CVE-2020-0543">CVE-2020-0543</a>.</p>'
        + brief(5, "Next")
    )
    first, _ = parse_page(edition_bytes(body)).items
    assert (first.lwn_id, first.url, first.kind) == (None, None, "brief")
    assert "CVE-2020-0543" in first.body_text


def test_it_skips_an_item_without_a_title_and_warns() -> None:
    body = '<h2 class="SummaryHL"><a href="/Articles/7/"> </a></h2><p>x</p>' + feature(8, "Kept")
    page = parse_page(edition_bytes(body))
    assert [i.title for i in page.items] == ["Kept"]
    assert "item-no-title" in [w.code for w in page.warnings]


def test_it_warns_about_an_item_without_a_body() -> None:
    body = '<h2 class="SummaryHL"><a href="/Articles/7/">Empty</a></h2>' + feature(8, "Full")
    page = parse_page(edition_bytes(body))
    assert page.items[0].body_text == ""
    (warning,) = [w for w in page.warnings if w.code == "item-no-body"]
    assert warning.where == "item 0"
    assert "'Empty' has no body" in warning.message


def test_it_continues_after_a_wrapped_summary_heading() -> None:
    body = '<div><h2 class="SummaryHL"><a href="/Articles/7/">Wrapped</a></h2></div><p>Text.</p>'
    (item,) = parse_page(edition_bytes(body)).items
    assert item.body_text == "Text."


def test_it_reads_items_in_summary_sections() -> None:
    body = (
        '<div class="SummarySection"><h3 class="SummaryHL"><a href="/Articles/1/">One</a></h3>'
        "<p>First.</p></div>"
        '<div class="SummarySection"><h3 class="SummaryHL"><a href="/Articles/2/">Two</a></h3>'
        "<p>Second.</p></div>"
    )
    page = parse_page(edition_bytes(body))
    assert [(i.title, i.body_text) for i in page.items] == [("One", "First."), ("Two", "Second.")]


def test_it_warns_about_an_edition_without_items() -> None:
    page = parse_page(edition_bytes("<p>Nothing this week.</p>"))
    assert page.items == []
    assert "edition-no-items" in [w.code for w in page.warnings]


def test_it_reads_a_merge_window_item_with_hardware() -> None:
    body = feature(
        5,
        "The rest of the 6.14 merge window",
        body=(
            "<p>Intro.</p><h4>Hardware support</h4><ul>"
            "<li><b>Clock</b>: Foo clocks, Bar PLLs, and Baz dividers.</li></ul>"
        ),
    )
    (item,) = parse_page(edition_bytes(body)).items
    assert item.merge_window is not None
    assert (item.merge_window.kernel_version, item.merge_window.part) == ("6.14", 2)
    assert [(h.category, h.devices) for h in item.hardware] == [
        ("Clock", ["Foo clocks", "Bar PLLs", "Baz dividers"])
    ]


def test_it_warns_about_text_under_a_section_heading_that_belongs_to_no_item() -> None:
    body = (
        '<h2 class="Cat1HL">Security</h2><p>An introduction to this week\'s security news.</p>'
        + feature(8, "Kept")
    )
    page = parse_page(edition_bytes(body))
    assert [i.title for i in page.items] == ["Kept"]
    (warning,) = [w for w in page.warnings if w.code == "block-unplaced"]
    assert warning.where == "section 'Security'"


def test_it_does_not_warn_about_a_section_heading_followed_by_its_first_item() -> None:
    body = '<h2 class="Cat1HL">Security</h2>\n' + feature(8, "Kept")
    page = parse_page(edition_bytes(body))
    assert "block-unplaced" not in [w.code for w in page.warnings]

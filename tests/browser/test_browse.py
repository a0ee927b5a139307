"""End to end in a real browser: browsing, collapsing threads, keyboard-only use."""

from __future__ import annotations

from typing import Any

import pytest

from articles.models import Article
from tests.browser_fixtures import screenshot
from tests.services.conftest import import_fixture

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> str:
    for name in (
        "edition-2020-06-11-bigpage.html",
        "article-2020-capabilities-comments.html",
        "article-2024-details-comments.html",
        "brief-items-2020-06-11.html",
    ):
        assert import_fixture(name).outcome == "ok"
    Article.objects.update(subscriber_only=False)  # free since 2020
    return str(live_server.url)


def test_it_browses_home_edition_article_entity_and_merge_window_item(page: Any, site: str) -> None:
    page.goto(site + "/")
    screenshot(page, "home")
    page.get_by_role("link", name="LWN.net Weekly Edition for June 11, 2020").first.click()
    page.wait_for_url("**/editions/822335/")
    assert page.get_by_role("heading", name="Front page").is_visible()
    screenshot(page, "edition")
    page.get_by_role("link", name="5.8 Merge window, part 1").click()
    page.wait_for_url("**/articles/821534/")
    assert "faccessat2" in page.inner_text("main")
    screenshot(page, "article-merge-window")
    # Follow the identifier to its entity page, then to the item that introduced it.
    page.locator("a.entity", has_text="faccessat2").first.click()
    page.wait_for_url("**/entities/syscall/faccessat2/")
    screenshot(page, "entity")
    page.locator("a.introduced").click()
    page.wait_for_url("**/releases/5.8/#item-*")
    target = page.locator(":target")
    assert "faccessat2" in target.inner_text()
    assert page.get_by_role("heading", name="Core kernel").is_visible()
    assert page.locator("dl.hardware dd").first.is_visible()
    assert "Leadtek LTK050H3146W panels" in page.inner_text("dl.hardware")
    screenshot(page, "release")


def test_it_collapses_a_comment_thread(page: Any, site: str) -> None:
    page.goto(site + "/articles/821729/")
    first = page.locator("ol.thread > li.comment").first
    replies = first.locator("ol.replies").first
    assert replies.is_visible()
    screenshot(page, "article-comments")
    first.locator("summary").first.click()
    assert not replies.is_visible()
    assert first.locator("details").first.get_attribute("open") is None
    first.locator("summary").first.click()
    assert replies.is_visible()


def test_it_keeps_a_nested_2024_thread_readable(page: Any, site: str) -> None:
    page.goto(site + "/articles/1006127/")
    depths = page.locator("ol.replies ol.replies ol.replies li.comment")
    assert depths.count() >= 1
    screenshot(page, "article-2024-thread")


def test_it_filters_hardware_with_the_keyboard_only(page: Any, site: str) -> None:
    page.goto(site + "/hardware/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    # Tab through the header links to the name field, then type and submit with Enter.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "hw-q":
            break
    assert page.evaluate("document.activeElement.id") == "hw-q"
    focus_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_outline != "none"
    page.keyboard.type("OV2740")
    page.keyboard.press("Enter")
    page.wait_for_url("**/hardware/?q=OV2740*")
    assert "1 device" in page.inner_text("main")
    screenshot(page, "hardware")


def test_it_works_at_phone_width(browser: Any, site: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(site + "/releases/5.8/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    screenshot(page, "release-phone")
    context.close()


@pytest.fixture
def indexed_site(site: str, tmp_path: Any, settings: Any) -> str:
    """The site with a fresh search index of its content."""
    from articles import search

    settings.INDEX_DIR = tmp_path / "index"
    assert search.index_rebuild() is not None
    return site


def test_it_searches_then_narrows_with_a_facet(page: Any, indexed_site: str) -> None:
    page.goto(indexed_site + "/search/?q=CAP_PERFMON")
    hits = page.locator("a.hit-title")
    assert hits.count() >= 2
    screenshot(page, "search")
    before = hits.count()
    page.locator("aside.facets a", has_text="comment").first.click()
    page.wait_for_url("**type=comment*")
    assert 0 < page.locator("a.hit-title").count() <= before
    chip = page.locator("ul.chips a").first
    assert "comment" in chip.inner_text().lower()
    chip.click()  # removing the chip brings every type back
    page.wait_for_url(lambda url: "type=comment" not in url)
    screenshot(page, "search-facet")


def test_it_searches_with_the_keyboard_only(page: Any, indexed_site: str) -> None:
    page.goto(indexed_site + "/search/")
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-q":
            break
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("faccessat2")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=faccessat2*")
    assert page.locator("a.hit-title").count() >= 1
    # Tab on to the first result and follow it with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.className") == "hit-title":
            break
    assert page.evaluate("document.activeElement.className") == "hit-title"
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert "/search/" not in page.url

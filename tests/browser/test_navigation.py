"""Navigation and reading in a real browser, at desktop and phone widths, light and dark:
edition contents and neighbours, the year calendar, article neighbours, merge-window
items to their article and back, the comment thread's tools; no page scrolls sideways
at 360 px."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.pages import PAGES, SCHEMES, WIDTHS, open_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWS = [(width, scheme) for width in WIDTHS for scheme in SCHEMES]


@pytest.fixture(params=VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def view(request: Any, browser: Any, sample_site: str) -> Any:
    width, scheme = request.param
    context = open_context(browser, sample_site, width=width, scheme=scheme, staff=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.site = sample_site
    page.scheme = scheme
    yield page
    context.close()


def test_it_moves_through_editions_by_contents_calendar_and_neighbours(view: Any) -> None:
    page = view
    page.goto(page.site + "/editions/?year=2020")
    calendar = page.get_by_role("table", name="Editions of 2020 by month")
    calendar.get_by_role("row", name="June").get_by_role("link").first.click()
    page.wait_for_url("**/editions/822335/")
    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Security").click()
    page.wait_for_url("**/editions/822335/#s-security")
    assert page.locator(":target").inner_text() == "Security"
    page.locator("a[rel=prev]").first.click()  # the 2015 edition
    page.wait_for_url("**/editions/637393/")
    page.locator("a[rel=next]").first.click()
    page.wait_for_url("**/editions/822335/")
    blurb = page.locator("p.blurb").first
    assert blurb.is_visible()
    # Dark mode is real: the page background is dark, the text light.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(22, 24, 28)") is (page.scheme == "dark")


def test_it_follows_a_merge_window_item_to_its_article_and_back(view: Any) -> None:
    page = view
    page.goto(page.site + "/releases/5.8/")
    item = page.locator("ul.merge-items li", has_text="faccessat2").first
    item.locator("a.source").click()
    page.wait_for_url("**/articles/821534/#mw-item-*")
    target = page.locator(":target")
    assert "faccessat2" in target.inner_text()
    assert target.is_visible()
    target.locator("a.release-item").click()
    page.wait_for_url("**/releases/5.8/#item-*")
    assert "faccessat2" in page.locator(":target").inner_text()
    # the article's neighbours in its edition
    page.goto(page.site + "/articles/821534/")
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/articles/821729/")
    page.locator("a[rel=prev]").click()
    page.wait_for_url("**/articles/821534/")


def test_it_jumps_to_the_newest_comment_and_expands_every_reply(view: Any) -> None:
    page = view
    page.goto(page.site + "/articles/1006127/")
    page.get_by_role("link", name="Jump to the newest comment").click()
    page.wait_for_url("**/articles/1006127/#c*")
    newest = page.locator(":target")
    assert newest.locator(".comment-body").first.is_visible()
    expand = page.locator("a.expand-all")
    if expand.count():  # only when the thread is deeper than the fold
        expand.click()
        assert page.locator(".comments details:not([open])").count() == 0
    page.goto(page.site + "/articles/1006127/?expand=all")  # the same without JavaScript
    assert page.locator(".comments details:not([open])").count() == 0


@pytest.mark.parametrize("scheme", SCHEMES)
def test_it_never_scrolls_sideways_at_360_px(browser: Any, sample_site: str, scheme: str) -> None:
    wide: list[str] = []
    for kind in PAGES:
        context = open_context(browser, sample_site, width="phone", scheme=scheme, staff=kind.staff)
        page = context.new_page()
        page.goto(sample_site + kind.path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide.append(f"{kind.name}: {width} px")
        context.close()
    assert not wide, "pages wider than a 360 px phone: " + ", ".join(wide)


def test_it_prints_the_text_and_every_comment_without_the_sites_navigation(
    browser: Any, sample_site: str
) -> None:
    context = open_context(browser, sample_site, width="desktop", scheme="light", staff=False)
    page = context.new_page()
    page.goto(sample_site + "/articles/821729/")
    page.locator(".comments details").first.evaluate("d => d.open = false")  # a folded one
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("form[role=search]").is_visible()
    assert page.locator(".article-body").is_visible()
    bodies = page.locator(".comment-body")
    assert bodies.count() > 1
    assert all(bodies.nth(i).is_visible() for i in range(bodies.count()))
    context.close()

"""The pictures in a real browser: visible, inside their container at 1280 and 360 px,
restyled in dark mode, and their links lead where they say."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from articles.models import Article, Entity, Mention
from tests.browser_fixtures import screenshot
from tests.factories import ArticleFactory, EditionFactory
from tests.services.conftest import import_fixture

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "release": "/releases/5.8/",
    "entity": "/entities/syscall/faccessat2/",
    "author": "/authors/Jonathan%20Corbet/",
    "search": "/search/?q=faccessat2",
}
WIDTHS = (1280, 360)
SCHEMES = ("light", "dark")


@pytest.fixture
def site(live_server: Any, tmp_path: Any, settings: Any) -> str:
    from articles import search

    for name in (
        "edition-2020-06-11-bigpage.html",
        "article-2020-capabilities-comments.html",
        "brief-items-2020-06-11.html",
    ):
        assert import_fixture(name).outcome == "ok"
    Article.objects.update(subscriber_only=False)  # free since 2020
    # faccessat2() discussed again in later years, so its timeline has a shape.
    syscall = Entity.objects.get(kind="syscall", name="faccessat2")
    for year in (2021, 2021, 2023):
        edition = EditionFactory.create(date=dt.date(year, 5, 6))
        article = ArticleFactory.create(edition=edition, body_text="faccessat2() again.")
        Mention.objects.create(entity=syscall, article=article, sentence="faccessat2() again.")
    settings.INDEX_DIR = tmp_path / "index"
    assert search.index_rebuild() is not None
    return str(live_server.url)


def _open(browser: Any, width: int, scheme: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.emulate_media(color_scheme=scheme)
    return context, page


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_it_shows_every_picture_inside_the_page(
    browser: Any, site: str, width: int, scheme: str
) -> None:
    context, page = _open(browser, width, scheme)
    fills = set()
    for name, path in PAGES.items():
        page.goto(site + path)
        charts = page.locator("svg.chart")
        assert charts.count() >= 1, name
        for index in range(charts.count()):
            chart = charts.nth(index)
            assert chart.is_visible(), (name, index)
            box = chart.bounding_box()
            assert box is not None
            assert box["width"] > 100, (name, index)
            assert box["x"] >= 0, (name, index, box)
            assert box["x"] + box["width"] <= width, (name, index, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            f"{name} scrolls sideways at {width} px"
        )
        bar = page.locator("svg.chart rect.bar").first
        fills.add(bar.evaluate("e => getComputedStyle(e).fill"))
        screenshot(page, f"charts-{name}-{width}-{scheme}")
    (fill,) = fills  # one colour for bars, whatever the page
    assert fill == ("rgb(127, 176, 240)" if scheme == "dark" else "rgb(53, 103, 168)")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_it_follows_the_links_of_the_pictures(browser: Any, site: str, width: int) -> None:
    context, page = _open(browser, width, "light")
    # A release's neighbour in the timeline of releases.
    page.goto(site + "/releases/5.8/")
    timeline = page.locator("#release-timeline svg a")
    assert timeline.count() >= 1
    page.locator('#release-hardware svg a[aria-label^="Graphics"]').click()
    page.wait_for_url("**/hardware/?category=Graphics&release=5.8")
    assert "Leadtek LTK050H3146W panels" in page.inner_text("main")
    # A search's year bar narrows the search to that year and keeps the query.
    page.goto(site + "/search/?q=faccessat2")
    page.locator('#search-years svg a[aria-label^="2021"]').click()
    page.wait_for_url("**/search/?q=faccessat2&after=2021-01-01&before=2021-12-31")
    assert "2 results" in page.inner_text("main")
    # An entity seen alongside, from the entity page.
    page.goto(site + "/entities/syscall/faccessat2/")
    related = page.locator("#entity-related svg a").first
    name = related.get_attribute("aria-label").split(" (")[0]
    related.click()
    page.wait_for_url("**/entities/**")
    assert name in page.inner_text("h1")
    # A byline on an edition page leads to its author's page and its pictures.
    page.goto(site + "/editions/822335/")
    page.locator("a.author", has_text="Jonathan Corbet").first.click()
    page.wait_for_url("**/authors/Jonathan%20Corbet/")
    assert page.locator("#author-years svg").is_visible()
    context.close()


def test_it_reaches_a_bar_link_with_the_keyboard(browser: Any, site: str) -> None:
    context, page = _open(browser, 1280, "light")
    page.goto(site + "/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg.chart') !== null"):
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label
    assert label.endswith("editions")
    page.keyboard.press("Enter")
    page.wait_for_url("**/editions/?year=*")
    context.close()

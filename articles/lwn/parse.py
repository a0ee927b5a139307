"""Detect what kind of LWN page some bytes are and dispatch to its parser."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from . import article, edition, frontpage, pagekinds, subscription
from .chrome import remove_chrome
from .decoding import decode_page
from .dom import has_class, short_text, url_article_id
from .index import PageIndex, build_index, layout_of, own_id
from .types import Layout, LWNParseError, PageKind, ParsedPage
from .warnings import Warnings

_LWN_SUFFIX = "[LWN.net]"
# Multi-item pages: this many SummaryHL make an edition even without a
# "Weekly Edition" title (the 2015 per-section edition pages).
_EDITION_MIN_ITEMS = 2
# More unclosed containers than this is damage, not markup (see below).
_MAX_UNCLOSED = 1000


def parse_page(data: bytes, *, url: str | None = None) -> ParsedPage:
    """Parse one LWN page (weekly edition, article, "Subscription required" or
    the lwn.net home page).

    *url* is where the page came from; its ``/Articles/N/`` id wins over ids
    found in the page. Raises ``LWNParseError`` (and nothing else) with a
    one-line reason when the bytes are not an LWN page, are another kind of
    LWN page (search results, indexes, section listings: see ``pagekinds``) or
    are damaged beyond use; smaller anomalies are reported in ``ParsedPage.warnings``.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise LWNParseError(f"expected bytes, got {type(data).__name__}")
    try:
        return _parse(bytes(data), url)
    except LWNParseError:
        raise
    except RecursionError:
        raise LWNParseError("damaged page: nested too deeply to parse") from None
    except Exception as exc:  # the contract: only LWNParseError escapes
        reason = " ".join(str(exc).split())[:200]
        raise LWNParseError(f"damaged page: {type(exc).__name__}: {reason}") from exc


def _parse(data: bytes, url: str | None) -> ParsedPage:
    if not data.strip():
        raise LWNParseError("not an LWN page: empty input")
    _refuse_runaway_nesting(data)
    text, warnings = decode_page(data)
    soup = BeautifulSoup(text, "lxml")
    index = build_index(soup)
    head_title = short_text(index.title) if index.title is not None else ""
    title = _page_title(index, head_title)
    url_id = url_article_id(url) if url else None
    # Only pages that mention a Headline class pay for the search.
    headlines = frontpage.headline_tags(soup) if frontpage.may_have_headlines(text) else []
    if url_id is None and _is_front_page(title, head_title, url, headlines):
        return _front_page(index, headlines, title, warnings, url)
    lwn_title = head_title.endswith(_LWN_SUFFIX)
    if not lwn_title and index.headline is None and index.article_text is None:
        raise LWNParseError(
            f"not an LWN page: no [LWN.net] title and no article text ({head_title[:60]!r})"
        )
    reason = pagekinds.refusal(
        index,
        soup,
        text,
        title=title,
        url=url if url_id is None else None,
        headlines=len(headlines),
    )
    if reason is not None:
        raise LWNParseError(reason)
    if index.article_text is None:
        raise LWNParseError("damaged LWN page: no ArticleText element")
    container = article.body_container(index, index.article_text)
    layout = detect_layout(index, container, warnings)
    kind = detect_kind(index, title)
    if kind == "subscription_required":
        offer = subscription.parse_offer(index.article_text)
        if offer.lwn_id is None:
            warnings.add("subscription-no-article", "page", "subscription page names no article")
        if offer.free_on is None:
            warnings.add(
                "subscription-no-free-date", "page", "subscription page gives no free date"
            )
        return ParsedPage(
            page_kind=kind,
            lwn_id=offer.lwn_id if offer.lwn_id is not None else url_id,
            title=offer.title or title,
            date=None,
            free_on=offer.free_on,
            layout=layout,
            items=[],
            comments=[],
            warnings=warnings,
            url=url,
        )
    remove_chrome(index, [container, index.article_text])
    if kind == "edition":
        items = edition.edition_items(index, warnings)
        lwn_id = url_id if url_id is not None else edition.edition_id(index)
        if lwn_id is None:
            warnings.add("edition-no-id", "page", "edition id not found")
        return ParsedPage(
            page_kind=kind,
            lwn_id=lwn_id,
            title=title,
            date=edition.edition_date(title),
            free_on=None,
            layout=layout,
            items=items,
            comments=[],
            warnings=warnings,
            url=url,
            edition_lwn_id=edition.parent_edition_id(index) or lwn_id,
        )
    lwn_id = url_id if url_id is not None else own_id(index)
    item, comments = article.parse_article(
        index, container, title=title, lwn_id=lwn_id, url=url, warnings=warnings
    )
    if lwn_id is None and item is not None:
        lwn_id = item.lwn_id  # from the article's own "Comments (N posted)" link
    if lwn_id is None and not index.bylines and not comments:
        shape = pagekinds.unknown_shape(index.article_text, url)
        if shape is not None:
            warnings.add("page-shape-unknown", "page", f"page {title[:60]!r}: {shape}")
    return ParsedPage(
        page_kind=kind,
        lwn_id=lwn_id,
        title=title,
        date=item.date if item else None,
        free_on=None,
        layout=layout,
        items=[item] if item else [],
        comments=comments,
        warnings=warnings,
        url=url,
    )


def _is_front_page(title: str, head_title: str, url: str | None, headlines: list[Tag]) -> bool:
    """The home page names itself "Welcome to LWN.net"; a page fetched from
    ``https://lwn.net/`` with headlines is one too."""
    if frontpage.is_welcome_title(title) or frontpage.is_welcome_title(head_title):
        return True
    return bool(headlines) and frontpage.is_home_url(url)


def _front_page(
    index: PageIndex, headlines: list[Tag], title: str, warnings: Warnings, url: str | None
) -> ParsedPage:
    layout = frontpage.page_layout(index, warnings)
    items = frontpage.front_page_items(index, headlines, warnings)
    return ParsedPage(
        page_kind="frontpage",
        lwn_id=None,
        title=title or frontpage.WELCOME,
        date=None,
        free_on=None,
        layout=layout,
        items=[],
        comments=[],
        warnings=warnings,
        url=url,
        headlines=items,
    )


def _refuse_runaway_nesting(data: bytes) -> None:
    """Refuse pages with thousands of unclosed ``<div>``/``<details>``.

    BeautifulSoup relinks every text node that follows a child element by
    walking up to the root, so building a tree thousands of levels deep is
    quadratic, and a damaged page can take minutes. Real LWN pages close their
    containers; a few byte counts catch the damage before the build.
    """
    for tag in (b"div", b"details"):
        unclosed = data.count(b"<" + tag) - data.count(b"</" + tag)
        if unclosed > _MAX_UNCLOSED:
            raise LWNParseError(f"damaged page: {unclosed} unclosed <{tag.decode()}> elements")


def _page_title(index: PageIndex, head_title: str) -> str:
    if index.headline is not None:
        heading = index.headline.find("h1")
        text = short_text(heading if isinstance(heading, Tag) else index.headline)
        if text:
            return text
    return head_title.removesuffix(_LWN_SUFFIX).strip()


def detect_layout(index: PageIndex, container: Tag, warnings: Warnings) -> Layout:
    """The page generation: "modern" (2024+: a ``<main>`` body *container* or
    details comments), "grid" (Pure CSS, 2017+) or "table" (to about 2016)."""
    modern = index.has_details_comments or container is not index.article_text
    return layout_of(index, modern=modern, warnings=warnings)


def detect_kind(index: PageIndex, title: str) -> PageKind:
    """ "subscription_required", "edition" or "article", from the title and
    the SummaryHL/CatNHL markers."""
    if subscription.is_subscription_title(title):
        return "subscription_required"
    if edition.is_edition_title(title):
        return "edition"
    summaries = 0
    for marker in index.markers:
        if has_class(marker, "SummaryHL"):
            summaries += 1
        else:
            return "edition"  # only editions have section headings
    return "edition" if summaries >= _EDITION_MIN_ITEMS else "article"

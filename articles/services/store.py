"""Write one parsed page into the database (called inside a transaction).

Natural keys everywhere: editions and articles by LWN id (articles without
an id by their edition position), releases by version, merge-window items
and devices by their position in the article, comments by LWN id. What a
curator edited (``Article.curated_fields``) is never overwritten. The
lwn.net home page is stored as teasers by ``store_frontpage``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db.models import F
from django.utils import timezone

from articles.lwn import PARSER_VERSION
from articles.lwn.types import ParsedItem, ParsedPage
from articles.models import Article, ArticleKind, Edition, RawPage
from articles.services.parse_limits import Deadline
from articles.services.sanitize import html_sanitize
from articles.services.sql.bulk_insert import objects_insert
from articles.services.sql.plain import object_insert, pks_by
from articles.services.store_frontpage import frontpage_store
from articles.services.store_parts import (
    article_apply,
    authors_sync,
    comments_sync,
    lock_for,
    merge_windows_sync,
    values_assign,
)

# LWN makes feature articles free to everyone about a week after the edition.
PAYWALL_DAYS = 7
_PAYWALLED_KINDS = frozenset({ArticleKind.FEATURE, ArticleKind.GUEST})
# Existing positions move out of the way before the new order is written, because
# (edition, position) is unique and items can swap places between versions of a page.
_POSITION_SHIFT = 1_000_000
_PAGE_STRIDE = 1_000
# Written with an edition's content, never alone.
_EDITION_STAMPS = ("parsed_at", "parser_version")


class StoreError(ValueError):
    """The page parsed, but cannot be stored as it is (e.g. an edition without an id)."""


def page_store(
    *, page: ParsedPage, raw: RawPage, deadline: Deadline | None = None
) -> tuple[Counter[str], Edition | None]:
    """Store ``page``; ``deadline`` (the import's time budget) is checked between steps.

    A spent budget raises ``ParseTimeLimitExceeded`` and the caller's transaction
    rolls back. HTML is sanitised here too (a no-op for a page that
    ``page_prepare_limited`` already sanitised).
    """
    counts: Counter[str] = Counter()
    check = deadline.check if deadline is not None else _no_deadline
    if page.page_kind == "edition":
        return counts, _edition_store(page=page, raw=raw, counts=counts, check=check)
    if page.page_kind == "subscription_required":
        _subscription_store(page=page, counts=counts)
        return counts, None
    if page.page_kind == "frontpage":
        frontpage_store(page=page, raw=raw, counts=counts)
        check("storing the teasers")
        return counts, None
    _article_page_store(page=page, raw=raw, counts=counts, check=check)
    check("storing the page")
    return counts, None


def _no_deadline(step: str) -> None:
    return None


def _edition_store(
    *, page: ParsedPage, raw: RawPage, counts: Counter[str], check: Callable[[str], None]
) -> Edition:
    edition_id = page.edition_lwn_id or page.lwn_id
    if edition_id is None:
        raise StoreError("the edition page carries no LWN id; import it by its lwn.net URL")
    page_id = page.lwn_id or edition_id
    lock_for(edition_id)
    url = page.url or f"https://lwn.net/Articles/{edition_id}/"
    if page_id == edition_id:
        values = {
            "date": page.date,
            "title": page.title[:300],
            "url": url,
            "raw_page_id": raw.pk,
            "parsed_at": timezone.now(),
            "parser_version": PARSER_VERSION,
        }
        # A new edition (the usual case) is one statement; the advisory lock above
        # serialises imports of this edition, so the update path's read is safe.
        edition = Edition(lwn_id=edition_id, **values)
        created = object_insert(edition, unless_exists="lwn_id")
        if not created:
            edition = Edition.objects.get(lwn_id=edition_id)
            # When and by which parser say who last changed the edition: a page that
            # parses to what is stored leaves the row alone (see ``ingest``).
            content = {k: v for k, v in values.items() if k not in _EDITION_STAMPS}
            if values_assign(edition, content):
                for key in _EDITION_STAMPS:
                    setattr(edition, key, values[key])
                edition.save()
                counts["editions_updated"] += 1
    else:
        # An inner page ("Brief items") adds its items; the edition's own page names it.
        edition, created = Edition.objects.get_or_create(
            lwn_id=edition_id, defaults={"url": f"https://lwn.net/Articles/{edition_id}/"}
        )
    if created:
        counts["editions_created"] += 1

    # Each page of an edition owns a block of positions, so pages keep their order.
    base = 0 if page_id == edition_id else _PAGE_STRIDE * min(max(page_id - edition_id, 1), 999)
    # A new edition has nothing to move, match or remove: skip those queries.
    if not created and not _in_place(edition=edition, page_id=page_id, base=base, items=page.items):
        Article.objects.filter(edition=edition, listed_on=page_id).update(
            position=F("position") + _POSITION_SHIFT
        )
    pairs, new_ids = _items_store(
        edition=edition,
        page_id=page_id,
        base=base,
        items=page.items,
        counts=counts,
        fresh_edition=created,
    )
    check("storing the articles")
    authors_sync([(article, item.authors) for article, item in pairs], new_ids=new_ids)
    merge_windows_sync(pairs, counts, new_ids=new_ids)
    check("storing the merge-window items")
    if not created:
        _vanished_remove(
            edition=edition,
            page_id=page_id,
            kept={a.pk for a, _ in pairs},
            covered={_top_section(item.section) for item in page.items},
            counts=counts,
        )
    check("storing the page")
    return edition


T = TypeVar("T")


def _take_match(item: ParsedItem, by_id: Mapping[Any, T], by_title: dict[str, list[T]]) -> T | None:
    """The stored row ``item`` is: by LWN id, else the next unmatched one of its title.

    Titles are matched in page order and each is taken once (``by_title`` shrinks).
    """
    if item.lwn_id is not None:
        return by_id.get(item.lwn_id)
    same_title = by_title.get(item.title[:500], [])
    return same_title.pop(0) if same_title else None


def _in_place(*, edition: Edition, page_id: int, base: int, items: list[ParsedItem]) -> bool:
    """Every article the page listed before is one of its items, at that item's position.

    Then the new order can be written without first moving the old one out of the
    way (and an unchanged page writes no position at all). Matched as
    ``_items_store`` matches: by LWN id, else by title in page order.
    """
    listed = list(
        Article.objects.filter(edition=edition, listed_on=page_id)
        .order_by("position")
        .values_list("pk", "lwn_id", "title", "position")
    )
    by_id = {lwn_id: (pk, position) for pk, lwn_id, _, position in listed if lwn_id is not None}
    by_title: dict[str, list[tuple[int, int]]] = {}
    for pk, lwn_id, title, position in listed:
        if lwn_id is None:
            by_title.setdefault(title, []).append((pk, position))
    matched = 0
    for offset, item in enumerate(items):
        found = _take_match(item, by_id, by_title)
        if found is None:
            continue
        if found[1] != base + offset:
            return False
        matched += 1
    return matched == len(listed)


def _top_section(section: str | None) -> str:
    """The page section an item sits in: "Brief items" for "Brief items: Development"."""
    return (section or "").split(":", 1)[0].strip()[:200]


def _vanished_remove(
    *, edition: Edition, page_id: int, kept: set[int], covered: set[str], counts: Counter[str]
) -> None:
    """Delete the page's former items that are no longer on it, with two exceptions.

    A curator's work outlives the page. And a page only speaks for the sections it
    shows: the edition's front page and its one-big-page form share an id, but only
    the big page carries the brief items, so importing the front page after it must
    not take them away.
    """
    vanished = (
        Article.objects.filter(edition=edition, listed_on=page_id)
        .exclude(pk__in=kept)
        .order_by("position")
        .only("pk", "position", "section", "curated_fields")
    )
    staying: list[Article] = []
    gone: list[int] = []
    for article in vanished:
        if article.curated_fields or _top_section(article.section) not in covered:
            staying.append(article)
        else:
            gone.append(article.pk)
    if staying:
        # After the page's own items, in their old order.
        end = Article.objects.filter(edition=edition, position__lt=_POSITION_SHIFT).count()
        for offset, article in enumerate(staying):
            article.position = _POSITION_SHIFT // 2 + end + offset
        Article.objects.bulk_update(staying, ["position"])
    if gone:
        deleted = Article.objects.filter(pk__in=gone).delete()[1].get("articles.Article", 0)
        counts["articles_deleted"] += deleted


def _item_values(item: ParsedItem, edition: Edition | None) -> dict[str, object]:
    values: dict[str, object] = {
        "section": (item.section or "")[:200],
        "kind": item.kind,
        "title": item.title[:500],
        "date": item.date,
        "body_html": html_sanitize(item.body_html),
        "body_text": item.body_text,
        "comment_count": item.comment_count,
        "url": (item.url or (f"https://lwn.net/Articles/{item.lwn_id}/" if item.lwn_id else ""))[
            :500
        ],
        # The item's own text (an edition's or its own page's) replaces a home-page blurb.
        "teaser": False,
    }
    if edition is not None and edition.date is not None and item.kind in _PAYWALLED_KINDS:
        values["subscriber_only"] = True
        values["free_on"] = edition.date + dt.timedelta(days=PAYWALL_DAYS)
    return values


def _items_store(
    *,
    edition: Edition,
    page_id: int,
    base: int,
    items: list[ParsedItem],
    counts: Counter[str],
    fresh_edition: bool = False,
) -> tuple[list[tuple[Article, ParsedItem]], set[int]]:
    """Upsert the page's items as articles with a fixed number of queries.

    Returns (article, item) pairs in page order and the ids of articles created.
    """
    # Mostly none exist yet: ask for their keys first and build instances only for those.
    known = pks_by(Article, "lwn_id", {item.lwn_id for item in items if item.lwn_id is not None})
    by_id = (
        {a.lwn_id: a for a in Article.objects.filter(pk__in=known.values()).order_by()}
        if known
        else {}
    )
    # Items without an LWN id (e.g. security entries) are matched by title within the page.
    by_title: dict[str, list[Article]] = {}
    if not fresh_edition:
        for article in Article.objects.filter(
            edition=edition, listed_on=page_id, lwn_id__isnull=True
        ).order_by("position"):
            by_title.setdefault(article.title, []).append(article)

    pairs: list[tuple[Article, ParsedItem]] = []
    creates: list[Article] = []
    updates: list[Article] = []
    fields: set[str] = set()
    for offset, item in enumerate(items):
        values = _item_values(item, edition)
        values.update(edition=edition, position=base + offset, listed_on=page_id)
        found = _take_match(item, by_id, by_title)
        if found is None:
            article = Article(lwn_id=item.lwn_id, **values)
            creates.append(article)
        else:
            article = found
            if article.teaser:
                # Its raw page was the home page; an edition item's own page is its own.
                values["raw_page_id"] = None
            if changed := article_apply(article, values):
                fields.update(changed)
                updates.append(article)
        pairs.append((article, item))
    if creates:
        objects_insert(creates)
        counts["articles_created"] += len(creates)
    if updates:
        Article.objects.bulk_update(updates, [*sorted(fields), "updated_at"])
        counts["articles_updated"] += len(updates)
    return pairs, {article.pk for article in creates}


def _article_page_store(
    *, page: ParsedPage, raw: RawPage, counts: Counter[str], check: Callable[[str], None]
) -> Article:
    if not page.items:
        raise StoreError("the article page holds no article")
    item = page.items[0]
    lwn_id = item.lwn_id or page.lwn_id
    if lwn_id is None:
        raise StoreError("the article page carries no LWN id; import it by its lwn.net URL")
    lock_for(lwn_id)
    article = Article.objects.filter(lwn_id=lwn_id).select_related("edition").first()
    values = _item_values(item, article.edition if article else None)
    # By id: comparing the related object would load the stored page, bytes and all.
    values["raw_page_id"] = raw.pk
    if article is not None and not values["section"]:
        # An article's own page names no section; keep the one its edition gave it.
        del values["section"]
    if article is None:
        article = Article.objects.create(lwn_id=lwn_id, **values)
        counts["articles_created"] += 1
    else:
        # The single page is the fuller text; it does not move the article between editions.
        if changed := article_apply(article, values):
            article.save(update_fields=[*changed, "updated_at"])
            counts["articles_updated"] += 1
    authors_sync([(article, item.authors)], new_ids=set())
    merge_windows_sync([(article, item)], counts, new_ids=set())
    check("storing the article")
    comments_sync(article=article, comments=page.comments, counts=counts)
    return article


def _subscription_store(*, page: ParsedPage, counts: Counter[str]) -> Article:
    lwn_id = page.lwn_id
    if lwn_id is None:
        raise StoreError("the subscription page does not name the article it guards")
    lock_for(lwn_id)
    article = Article.objects.filter(lwn_id=lwn_id).first()
    values: dict[str, object] = {"subscriber_only": True, "free_on": page.free_on}
    if article is None:
        article = Article.objects.create(
            lwn_id=lwn_id,
            kind=ArticleKind.FEATURE,
            title=page.title[:500],
            url=f"https://lwn.net/Articles/{lwn_id}/",
            **values,
        )
        counts["articles_created"] += 1
    elif changed := article_apply(article, values):
        article.save(update_fields=[*changed, "updated_at"])
        counts["articles_updated"] += 1
    return article

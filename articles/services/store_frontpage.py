"""Store the lwn.net home page: each headline as a teaser, never over an article's text.

The home page shows a blurb of each recent item and links to its own page.

- An item not stored yet becomes an article with ``teaser=True``: the blurb is
  its body, its raw page is the home page (so linking and indexing see it as
  written by this import), and it has no edition.
- A teaser is updated from a home page fetched later than the one it came from
  (a re-parse of an older home page leaves it alone).
- An article stored from its own page or an edition (``teaser=False``) keeps its
  title, body, byline and raw page. It only gains what the home page knows
  better: a larger comment count (counts only grow, and the home page is the
  fresher page), a date or section it lacks, and the "[$]" lock.
- An article without any text (only LWN's "subscription required" page was
  stored for it) is treated as a teaser.

Paywall: a "[$]" headline is stored ``subscriber_only`` with the ``free_on`` it
already had, else none, so its blurb is locked for readers without the
subscriber permission until an edition or the article's own page gives the free
date (LWN shows these blurbs to everyone, but the archive's rule locks an
article's text, and the blurb is its text here). A home page only ever locks:
it never clears ``subscriber_only``.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import F

from articles.lwn.types import FrontPageItem, ParsedPage
from articles.models import Article, RawPage
from articles.services.sanitize import html_sanitize
from articles.services.sql.bulk_insert import objects_insert
from articles.services.store_parts import article_apply, lock_for

# LWN ids are positive, so key 0 serialises imports of the home page (two of them at
# once would both try to create the same new teasers).
FRONTPAGE_LOCK = 0
# Every column a home page may write; one bulk UPDATE sets them for all changed rows.
_UPDATED_FIELDS = [
    "title",
    "kind",
    "section",
    "date",
    "comment_count",
    "body_html",
    "body_text",
    "url",
    "subscriber_only",
    "teaser",
    "raw_page",
    "updated_at",
]


def frontpage_store(*, page: ParsedPage, raw: RawPage, counts: Counter[str]) -> None:
    """Store the headlines of home page ``page`` (kept as ``raw``) with a fixed number of queries.

    ``counts`` gains ``teasers_created``, ``teasers_updated`` and ``teasers_kept``
    (headlines whose stored text was left alone: the article's own text, or a
    teaser from a newer home page); ``articles_updated`` counts the kept articles
    whose row gained something.
    """
    headlines: dict[int, FrontPageItem] = {}
    for item in page.headlines:
        headlines.setdefault(item.lwn_id, item)  # a damaged page can repeat an item
    if not headlines:
        return
    lock_for(FRONTPAGE_LOCK)
    # One read: the articles, with when the page their text came from was fetched.
    existing = {
        article.lwn_id: article
        for article in Article.objects.filter(lwn_id__in=headlines)
        .annotate(source_fetched_at=F("raw_page__fetched_at"))
        .order_by()
    }
    creates: list[Article] = []
    updates: list[Article] = []
    for lwn_id, item in headlines.items():
        article = existing.get(lwn_id)
        if article is None:
            creates.append(
                Article(
                    lwn_id=lwn_id,
                    **_teaser_values(item),
                    subscriber_only=item.subscriber_only,
                    teaser=True,
                    raw_page=raw,
                )
            )
            continue
        if _has_text(article) and not article.teaser:
            counts["teasers_kept"] += 1
            if article_apply(article, _kept_values(article, item)):
                updates.append(article)
                counts["articles_updated"] += 1
            continue
        fetched_at = getattr(article, "source_fetched_at", None)
        if fetched_at is not None and fetched_at > raw.fetched_at:
            counts["teasers_kept"] += 1  # from a newer home page
            continue
        values = _teaser_values(item)
        values["teaser"] = True
        if item.subscriber_only:
            values["subscriber_only"] = True
        changed = article_apply(article, values)
        counts["teasers_updated" if changed else "teasers_unchanged"] += 1
        # Point it at this page even when nothing else changed: its follow-ups (linking,
        # indexing) and ``--follow`` find a page's teasers by their raw page.
        if changed or article.raw_page_id != raw.pk:
            article.raw_page = raw
            updates.append(article)
    if creates:
        objects_insert(creates)
        counts["teasers_created"] += len(creates)
    if updates:
        Article.objects.bulk_update(updates, _UPDATED_FIELDS)


def _has_text(article: Article) -> bool:
    return bool(article.body_text or article.body_html)


def _teaser_values(item: FrontPageItem) -> dict[str, object]:
    return {
        "title": item.title[:500],
        "kind": item.kind,
        "section": (item.section or "")[:200],
        "date": item.posted_at.date() if item.posted_at is not None else None,
        "comment_count": item.comment_count,
        "body_html": html_sanitize(item.blurb_html),
        "body_text": item.blurb_text,
        "url": f"https://lwn.net/Articles/{item.lwn_id}/",
    }


def _kept_values(article: Article, item: FrontPageItem) -> dict[str, object]:
    """What an article with its own text takes from a headline: only what it lacks."""
    values: dict[str, object] = {}
    if item.comment_count is not None and (article.comment_count or 0) < item.comment_count:
        values["comment_count"] = item.comment_count
    if article.date is None and item.posted_at is not None:
        values["date"] = item.posted_at.date()
    if not article.section and item.section:
        values["section"] = item.section[:200]
    if item.subscriber_only:
        values["subscriber_only"] = True
    return values

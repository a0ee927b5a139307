"""The entity page's mentions on PostgreSQL: a page of the timeline and the first and latest
mention, with the articles of their texts read once for all of them.

Each mention's text (article, merge-window item, device or comment) is joined; the
articles of items, devices and comments are read afterwards by id. Joining them too
made a ten-table query whose planning alone took 15-20 ms, twice per page (the
timeline and the first/latest pair), on a machine where running it took under 1 ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page
from django.db.models import F, OuterRef, QuerySet, Subquery

from articles.models import Article, Entity, KernelRelease, Mention
from articles.selectors.entities import _visible
from articles.selectors.entity_mentions import EntityCounts, _CountedPaginator
from articles.selectors.mention_rows import TIMELINE_PAGE, MentionRow, _row

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

_PARTS = ("merge_item", "hardware", "comment")
_RELEASED = ("merge_item", "hardware")
_LIGHT = (
    "article__body_html",
    "article__body_text",
    "merge_item__html",
    "merge_item__text",
    "comment__body_html",
    "comment__body_text",
)
_ARTICLE_LIGHT = ("body_html", "body_text")


@dataclass(frozen=True, slots=True)
class EntityMentions:
    page: Page[Mention]
    rows: list[MentionRow]
    first: MentionRow | None
    latest: MentionRow | None


def _texts(entity: Entity, user: User | AnonymousUser, locked: list[int]) -> QuerySet[Mention]:
    versions = {
        f"{part}_version": Subquery(
            KernelRelease.objects.filter(pk=OuterRef(f"{part}__release_id")).values("version")[:1]
        )
        for part in _RELEASED
    }
    return (
        _visible(Mention.objects.filter(entity=entity), user, locked)
        .select_related("article", *_PARTS)
        .defer(*_LIGHT)
        # ``day`` is the date of the mention's text, kept on the row by the tallies' triggers.
        .annotate(when=F("day"), **versions)
    )


def _attach(mentions: list[Mention]) -> None:
    """Give each item, device and comment its article (one query) and release (from the
    annotations), as ``_row`` and the template read them."""
    parts = [
        (mention, getattr(mention, part))
        for mention in mentions
        for part in _PARTS
        if getattr(mention, f"{part}_id")
    ]
    wanted = {text.article_id for _, text in parts}
    articles = Article.objects.defer(*_ARTICLE_LIGHT).in_bulk(wanted) if wanted else {}
    for mention, text in parts:
        text.article = articles[text.article_id]
        for part in _RELEASED:
            if text is getattr(mention, part):
                text.release = KernelRelease(
                    pk=text.release_id, version=getattr(mention, f"{part}_version")
                )


def entity_page_mentions(
    *,
    entity: Entity,
    user: User | AnonymousUser,
    counts: EntityCounts,
    page: int | str | None = 1,
) -> EntityMentions:
    """One page of ``entity``'s mentions oldest first, and its first and latest dated ones:
    three queries, given ``counts`` from :func:`entity_counts` (with the locked ids)."""
    assert counts.locked is not None, "the counts of a tallied database"
    mentions = _texts(entity, user, counts.locked)
    paginator = _CountedPaginator(
        mentions.order_by(F("day").asc(nulls_last=True), "pk"), TIMELINE_PAGE, count=counts.total
    )
    current = paginator.get_page(page)
    shown = list(current.object_list)
    current.object_list = shown  # read once
    # Both ends of the (entity, day, id) index in one statement.
    dated = mentions.exclude(day=None)
    ends = sorted(
        dated.order_by("day", "pk")[:1].union(dated.order_by(F("day").desc(), "-pk")[:1], all=True),
        key=lambda m: (m.day, m.pk),
    )
    _attach(shown + ends)
    first, latest = (ends[0], ends[-1]) if ends else (None, None)
    return EntityMentions(
        page=current,
        rows=[_row(m, entity, user) for m in shown],
        first=_row(first, entity, user) if first else None,
        latest=_row(latest, entity, user) if latest else None,
    )

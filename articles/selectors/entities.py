"""Read paths for entities: lookup, lists, mention timelines, related entities.

Used by the entity pages, the API and the feeds. Every function runs a fixed
number of queries whatever the number of mentions. What a user sees follows
``Mention.objects.visible_to``: a mention in a locked article comes back with
its sentence ``None`` and the date it becomes free; mentions in a locked
article's merge-window items, devices and comments are left out and not
counted, as those rows are everywhere else (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.urls import NoReverseMatch, reverse

from articles.links import KINDS, canonical
from articles.models import (
    Article,
    Comment,
    Entity,
    EntityPair,
    EntityTally,
    HardwareDevice,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.models.articles import SUBSCRIBER_PERMISSION
from articles.models.entities import MentionQuerySet
from articles.models.tallies import UNDATED

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MENTION_TYPES = ("article", "merge_item", "hardware", "comment")
TIMELINE_PAGE = 100
RELATED_LIMIT = 12
_VISIBLE = (MentionStatus.PENDING, MentionStatus.ACCEPTED)
# Bodies are never shown on entity pages; leaving them out keeps timelines light.
_HEAVY = (
    "article__body_html",
    "article__body_text",
    "merge_item__html",
    "merge_item__article__body_html",
    "merge_item__article__body_text",
    "hardware__article__body_html",
    "hardware__article__body_text",
    "comment__body_html",
    "comment__body_text",
    "comment__article__body_html",
    "comment__article__body_text",
)


def entity_get(*, kind: str, name: str, user: User | AnonymousUser | None = None) -> Entity | None:
    """The entity ``kind``/``name``, matched case-insensitively, or by a former name.

    ``name`` may be written as in text: ``faccessat2()``, ``Linux 5.8``,
    ``proc/pid/map_files`` (without its leading slash, as in URLs). Given ``user``,
    an entity named only in texts locked for them is None: its name is their text
    (one without mentions came from a curator and is shown).
    """
    entity = _entity_get(kind=kind, name=name, user=user)
    if entity is None or user is None or user.has_perm(SUBSCRIBER_PERMISSION):
        return entity
    if entity.has_mentions and not entity.has_shown_mentions:  # type: ignore[attr-defined]
        return None
    return entity


def _entity_get(*, kind: str, name: str, user: User | AnonymousUser | None) -> Entity | None:
    if kind not in KINDS:
        return None
    wanted = canonical(kind, name)
    if not wanted:
        return None
    entities = Entity.objects.select_related(
        "introduced_in__article", "introduced_in__release", "introduced_release"
    ).defer("introduced_in__article__body_html", "introduced_in__article__body_text")
    if user is not None and not user.has_perm(SUBSCRIBER_PERMISSION):
        mentions = Mention.objects.filter(entity=OuterRef("pk"))
        entities = entities.annotate(
            has_mentions=Exists(mentions.filter(status__in=_VISIBLE)),
            has_shown_mentions=Exists(mentions.visible_to(user)),
        )
    entity = entities.filter(kind=kind, name__iexact=wanted).first()
    if entity is not None:
        return entity
    lowered = wanted.lower()
    for candidate in entities.filter(kind=kind).exclude(aliases=[]):
        if any(str(alias).lower() == lowered for alias in candidate.aliases):
            return candidate
    return None


def introduction_hidden(entity: Entity, user: User | AnonymousUser) -> bool:
    """True when the merge-window item introducing ``entity`` is locked for ``user``.

    The introducing release is read from that item's text, so it is hidden with it.
    """
    item = entity.introduced_in
    return item is not None and item.article.is_locked_for(user)


def entity_for(entity: Entity, user: User | AnonymousUser) -> Entity:
    """``entity`` as ``user`` may see it: without an introduction read from locked text.

    Changes the instance in memory only (callers never save it).
    """
    if introduction_hidden(entity, user):
        entity.introduced_in = None
        entity.introduced_release = None
    return entity


def entity_list(
    *,
    user: User | AnonymousUser,
    kind: str | None = None,
    introduced: str | None = None,
    name_prefix: str | None = None,
) -> QuerySet[Entity]:
    """Entities ``user`` may see, with their count of mentions ``user`` may see.

    An entity named only in texts locked for ``user`` is left out; one whose
    introducing item is locked has ``introduction_locked`` set.
    """
    if not tallied():
        return entities_filter(
            _entity_list_live(user),
            user=user,
            kind=kind,
            introduced=introduced,
            name_prefix=name_prefix,
        ).order_by("kind", "name")
    introduction_locked = _introduction_locked(user)
    # Each entity's total is one tally row; the few mentions ``user`` may not see (in
    # the items, devices and comments of locked articles) come off it. A page reads the
    # entities it shows and one row each, whatever the archive's size.
    total = Coalesce(
        Subquery(
            EntityTally.objects.filter(entity=OuterRef("pk"), source="all", day=UNDATED).values(
                "n"
            )[:1]
        ),
        0,
    )
    hidden = Counter(row[0] for row in hidden_mentions(user=user))
    shown = total - Case(
        *(When(pk=pk, then=Value(n)) for pk, n in hidden.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    entities = (
        Entity.objects.select_related("introduced_release")
        .annotate(total=total, mention_count=shown, introduction_locked=introduction_locked)
        # Named only in text locked for ``user``: left out. Named nowhere (yet): kept.
        .filter(Q(mention_count__gt=0) | Q(total=0))
    )
    return entities_filter(
        entities, user=user, kind=kind, introduced=introduced, name_prefix=name_prefix
    ).order_by("kind", "name")


def _entity_list_live(user: User | AnonymousUser) -> QuerySet[Entity]:
    """``entity_list`` counted from the mentions themselves (SQLite keeps no tallies)."""
    mentions = Mention.objects.filter(entity=OuterRef("pk"))
    shown = Mention.objects.visible_to(user).filter(entity=OuterRef("pk"))
    shown_count = shown.order_by().values("entity").annotate(n=Count("pk")).values("n")
    introduction_locked = _introduction_locked(user)
    return (
        Entity.objects.select_related("introduced_release")
        .annotate(
            mention_count=Coalesce(Subquery(shown_count[:1]), 0),
            introduction_locked=introduction_locked,
        )
        .filter(Exists(shown) | ~Exists(mentions.filter(status__in=_VISIBLE)))
    )


def _introduction_locked(user: User | AnonymousUser) -> Value | Case:
    """True where the merge-window item introducing the entity is locked for ``user``."""
    locked = Article.objects.locked_pks_for(user)
    if locked is None:
        return Value(False)
    # A CASE (not EXISTS per entity) reads the locked set once, as a hashed subplan.
    return Case(
        When(introduced_in__article__in=locked, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def tallied() -> bool:
    """True where triggers keep ``EntityTally``, ``EntityPair`` and ``Mention.day`` (PostgreSQL)."""
    return connection.vendor == "postgresql"


_PARTS = (("merge_item", MergeWindowItem), ("hardware", HardwareDevice), ("comment", Comment))
# (entity id, type of text, its id, day) of a pending or accepted mention that
# ``visible_to`` leaves out.
Hidden = tuple[int, str, int, dt.date | None]


def locked_article_ids(user: User | AnonymousUser) -> list[int]:
    """The articles locked for ``user`` (``Article.objects.locked_pks_for``), in one query.

    Few (LWN frees an article a week after it is published). Fetched first so the
    queries that use them see literal ids: PostgreSQL cannot estimate the paywall
    test (``free_on`` is null for every free article) and, guessing hundreds of
    locked articles, would scan every mention to join them.
    """
    locked = Article.objects.locked_pks_for(user)
    return [] if locked is None else [row["pk"] for row in locked]


def hidden_mentions(*, user: User | AnonymousUser) -> list[Hidden]:
    """Mentions the tallies count but ``user`` may not see: a query for the locked
    articles and, when there are any, one over their texts' mentions.

    Those in the merge-window items, devices and comments of the articles locked for
    ``user``, read from the locked side through the target indexes: their number
    follows the last weeks' subscriber-only articles, never the archive's size.
    """
    return _hidden_in(locked_article_ids(user))


def _hidden_in(locked: list[int]) -> list[Hidden]:
    """``hidden_mentions`` given the locked articles' ids: one query, none if there are none."""
    if not locked:
        return []
    parts: list[QuerySet[Mention, Any]] = []
    for part, model in _PARTS:
        column = f"{part}_id"
        texts = model.objects.filter(article_id__in=locked).values("pk")
        parts.append(
            Mention.objects.filter(status__in=_VISIBLE, **{f"{column}__in": texts})
            .order_by()
            .values_list("entity_id", Value(part), column, "day")
        )
    first, *rest = parts
    return list(first.union(*rest, all=True))


def _hidden_with(entity: Entity, hidden: list[Hidden]) -> list[Hidden]:
    """The hidden mentions in the texts that name ``entity`` (its own included)."""
    texts = {(part, text) for pk, part, text, _ in hidden if pk == entity.pk}
    return [row for row in hidden if (row[1], row[2]) in texts]


def entities_filter(
    entities: QuerySet[Entity],
    *,
    user: User | AnonymousUser,
    kind: str | None = None,
    introduced: str | None = None,
    name_prefix: str | None = None,
) -> QuerySet[Entity]:
    """``entities`` of ``kind``, introduced in release ``introduced``, named ``name_prefix``…

    ``introduced`` matches only introductions ``user`` may read.
    """
    if kind:
        entities = entities.filter(kind=kind)
    if introduced:
        entities = entities.filter(introduced_release__version=canonical("release", introduced))
        locked = Article.objects.locked_pks_for(user)
        if locked is not None:
            entities = entities.exclude(introduced_in__article__in=locked)
    if name_prefix:
        prefix = name_prefix.strip().removesuffix("()").lstrip("/")
        entities = entities.filter(Q(name__istartswith=prefix) | Q(name__istartswith=f"/{prefix}"))
    return entities


@dataclass(frozen=True, slots=True)
class MentionRow:
    """One mention as shown in a timeline."""

    mention: Mention
    type: str  # article, merge_item, hardware or comment
    article: Article
    when: dt.date | None
    sentence: str | None  # None: subscriber-only for this user
    locked_until: dt.date | None
    introduces: bool
    href: str

    @property
    def locked(self) -> bool:
        return self.sentence is None


def _visible(
    mentions: MentionQuerySet, user: User | AnonymousUser, locked: list[int] | None
) -> QuerySet[Mention]:
    """``visible_to(user)``, or the same rule on ``locked``, the ids of the articles locked
    for ``user`` when the caller has read them already.

    Literal ids let PostgreSQL walk the (entity, day, id) index in page order and stop
    at the page's last row; the paywall test as a subquery made it join every mention
    of the entity to its text and sort them all first (the top entity's timeline grew
    with its mentions, so with the archive).
    """
    if locked is None:
        return mentions.visible_to(user)
    shown: QuerySet[Mention] = mentions.filter(status__in=_VISIBLE)
    for part, _ in _PARTS if locked else ():
        shown = shown.exclude(**{f"{part}__article_id__in": locked})
    return shown


def _mentions(
    entity: Entity, user: User | AnonymousUser, locked: list[int] | None = None
) -> QuerySet[Mention]:
    return (
        _visible(Mention.objects.filter(entity=entity), user, locked)
        .select_related(
            "article",
            "merge_item__article",
            "merge_item__release",
            "hardware__article",
            "hardware__release",
            "comment__article",
        )
        .defer(*_HEAVY)
        .annotate(
            when=Coalesce(
                "article__date",
                "merge_item__article__date",
                "hardware__article__date",
                TruncDate("comment__posted_at"),
            )
        )
        # On PostgreSQL ``day`` is ``when`` kept on the row: an index range per entity.
        .order_by(F("day" if tallied() else "when").asc(nulls_last=True), "pk")
    )


def _row(mention: Mention, entity: Entity, user: User | AnonymousUser) -> MentionRow:
    article = mention.target_article
    locked = article.is_locked_for(user)
    kind = next(t for t in MENTION_TYPES if getattr(mention, f"{t}_id"))
    return MentionRow(
        mention=mention,
        type=kind,
        article=article,
        when=getattr(mention, "when", None),
        sentence=None if locked else mention.sentence,
        locked_until=article.free_on if locked else None,
        introduces=bool(mention.merge_item_id) and mention.merge_item_id == entity.introduced_in_id,
        href=_mention_href(mention, article),
    )


@dataclass(frozen=True, slots=True)
class EntityCounts:
    """``entity``'s mentions ``user`` may see: per year (dated ones), in all, and the hidden
    mentions of its texts (for :func:`entity_related`)."""

    years: dict[int, int]
    total: int
    hidden: list[Hidden]
    # The ids of the articles locked for ``user`` (None where not read: SQLite).
    locked: list[int] | None = None


def entity_counts(*, entity: Entity, user: User | AnonymousUser) -> EntityCounts:
    """Counts of ``entity``'s mentions ``user`` may see.

    On PostgreSQL its tallies (at most a row per kind of text and day) less the few
    hidden mentions: two queries, three while some article is locked for ``user``.
    Elsewhere one query counting the mentions.
    """
    mentions = Mention.objects.filter(entity=entity).visible_to(user).order_by()
    if not tallied():
        by_year = _by_year(mentions)  # undated ones under None
        years = {year: n for year, n in by_year.items() if year is not None}
        return EntityCounts(years=years, total=sum(by_year.values()), hidden=[])
    locked = locked_article_ids(user)
    hidden = _hidden_with(entity, _hidden_in(locked))
    counts: Counter[int] = Counter()
    rows = (
        EntityTally.objects.filter(entity=entity)
        .exclude(source="all")
        .annotate(year=ExtractYear("day"))
        .values("year")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for row in rows:
        counts[row["year"]] += row["n"]
    for entity_id, _, _, day in hidden:
        if entity_id == entity.pk:
            counts[day.year if day else 1] -= 1
    undated = dt.date.fromisoformat(UNDATED).year
    return EntityCounts(
        years={year: n for year, n in sorted(counts.items()) if n > 0 and year != undated},
        total=sum(n for n in counts.values() if n > 0),
        hidden=hidden,
        locked=locked,
    )


def _by_year(mentions: QuerySet[Mention]) -> dict[int | None, int]:
    """``mentions`` counted by the year of their text (None: undated), one query."""
    rows = (
        mentions.annotate(
            when=Coalesce(
                "article__date",
                "merge_item__article__date",
                "hardware__article__date",
                TruncDate("comment__posted_at"),
            )
        )
        .annotate(year=ExtractYear("when"))
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {row["year"]: row["n"] for row in rows}


class _CountedPaginator(Paginator):
    """A paginator told its count (from the tallies) instead of counting every mention."""

    def __init__(self, object_list: QuerySet[Mention], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @property
    def count(self) -> int:
        return self.known


def entity_timeline(
    *,
    entity: Entity,
    user: User | AnonymousUser,
    page: int | str | None = 1,
    counts: EntityCounts | None = None,
) -> tuple[Page[Mention], list[MentionRow]]:
    """One page of ``entity``'s mentions, oldest first: two queries, one given ``counts``."""
    mentions = _mentions(entity, user, counts.locked if counts is not None else None)
    paginator = (
        Paginator(mentions, TIMELINE_PAGE)
        if counts is None
        else _CountedPaginator(mentions, TIMELINE_PAGE, count=counts.total)
    )
    current = paginator.get_page(page)
    return current, [_row(m, entity, user) for m in current.object_list]


def entity_first_and_latest(
    *, entity: Entity, user: User | AnonymousUser, counts: EntityCounts | None = None
) -> tuple[MentionRow | None, MentionRow | None]:
    """``entity``'s oldest and newest dated mentions ``user`` may see: one query on
    PostgreSQL, two elsewhere."""
    if tallied():
        # Both ends of the (entity, day, id) index in one statement.
        locked = counts.locked if counts is not None else None
        dated = _mentions(entity, user, locked).exclude(day=None)
        ends = sorted(
            dated.order_by("day", "pk")[:1].union(
                dated.order_by(F("day").desc(), "-pk")[:1], all=True
            ),
            key=lambda m: (m.day, m.pk),
        )
        first, latest = (ends[0], ends[-1]) if ends else (None, None)
    else:
        dated = _mentions(entity, user).exclude(Q(when=None))
        first = dated.first()
        latest = dated.order_by(F("when").desc(), "-pk").first()
    return (
        _row(first, entity, user) if first else None,
        _row(latest, entity, user) if latest else None,
    )


def entity_mentions_grouped(
    *, entity: Entity, user: User | AnonymousUser, limit: int = TIMELINE_PAGE
) -> tuple[dict[str, list[MentionRow]], dict[str, int]]:
    """Up to ``limit`` mentions of each type, newest first, and the count of each type."""
    base = _mentions(entity, user)
    groups = {
        kind: [
            _row(m, entity, user)
            for m in base.filter(**{f"{kind}__isnull": False}).order_by(
                F("when").desc(nulls_last=True), "-pk"
            )[:limit]
        ]
        for kind in MENTION_TYPES
    }
    counts = base.order_by().aggregate(
        **{kind: Count("pk", filter=Q(**{f"{kind}__isnull": False})) for kind in MENTION_TYPES}
    )
    return groups, counts


def entity_mentions(
    *, entity: Entity, user: User | AnonymousUser, type: str | None = None
) -> QuerySet[Mention]:
    """``entity``'s mentions ``user`` may see, of one ``type`` if given, newest first.

    Annotated ``sort_when`` (the date, undated last) for cursor pagination, which
    needs a non-null column; turn each into a row with :func:`mention_row`.
    """
    mentions = _mentions(entity, user)
    if type is not None:
        mentions = mentions.filter(**{f"{type}__isnull": False})
    return mentions.annotate(sort_when=Coalesce("when", Value(dt.date.min))).order_by(
        "-sort_when", "-pk"
    )


def mention_row(mention: Mention, *, entity: Entity, user: User | AnonymousUser) -> MentionRow:
    """One mention from :func:`entity_mentions` as ``user`` may read it."""
    return _row(mention, entity, user)


def entity_related(
    *,
    entity: Entity,
    user: User | AnonymousUser,
    limit: int = RELATED_LIMIT,
    counts: EntityCounts | None = None,
) -> list[Entity]:
    """Entities named in the same texts as ``entity``, most shared texts first.

    Only texts whose mentions ``user`` may see count. On PostgreSQL read from the kept
    pairs, less the hidden texts (``counts.hidden``, else one more query).
    """
    if not tallied():
        return _related_live(entity=entity, user=user, limit=limit)
    hidden = (
        counts.hidden if counts is not None else _hidden_with(entity, hidden_mentions(user=user))
    )
    less = Counter(row[0] for row in hidden if row[0] != entity.pk)
    # Lowering a pair's count moves it down only: the first ``limit`` after the
    # corrections are among the first ``limit + len(less)`` before them.
    pairs = (
        EntityPair.objects.filter(entity=entity, shared__gt=0)
        .select_related("other")
        .order_by("-shared", "other__kind", "other__name")[: limit + len(less)]
    )
    related = []
    for pair in pairs:
        other = pair.other
        other.shared = pair.shared - less[other.pk]  # type: ignore[attr-defined]
        if other.shared > 0:  # type: ignore[attr-defined]
            related.append(other)
    related.sort(key=lambda e: (-e.shared, e.kind, e.name))  # type: ignore[attr-defined]
    return related[:limit]


def _related_live(*, entity: Entity, user: User | AnonymousUser, limit: int) -> list[Entity]:
    mine = Mention.objects.filter(entity=entity).visible_to(user)
    together = Q()
    for kind in MENTION_TYPES:
        together |= Q(
            **{f"mentions__{kind}__in": mine.filter(**{f"{kind}__isnull": False}).values(kind)}
        )
    return list(
        Entity.objects.filter(together, mentions__status__in=_VISIBLE)
        .exclude(pk=entity.pk)
        .annotate(shared=Count("mentions", distinct=True))
        .order_by("-shared", "kind", "name")[:limit]
    )


def _reverse(name: str, fallback: str, **kwargs: object) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a page that does not exist (yet): LWN's own
        return fallback


def article_href(article: Article) -> str:
    """Where to read ``article``: its page here when it has an LWN id, else LWN's."""
    if article.lwn_id is None:
        return article.url
    return _reverse("articles:article-detail", article.url, lwn_id=article.lwn_id)


def merge_item_href(item: MergeWindowItem) -> str:
    """A merge-window item in its release's page."""
    page = _reverse("articles:release-detail", "", version=item.release.version)
    return f"{page}#item-{item.pk}" if page else article_href(item.article)


def _mention_href(mention: Mention, article: Article) -> str:
    if mention.merge_item_id and mention.merge_item is not None:
        return merge_item_href(mention.merge_item)
    if mention.comment_id and mention.comment is not None:
        return f"{article_href(article)}#c{mention.comment.lwn_id}"
    return article_href(article)

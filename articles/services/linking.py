"""Link entities: store what ``articles.links`` finds as ``Entity`` and ``Mention`` rows.

Texts are linked one article at a time (its body, merge-window items,
hardware list and comments) in batches, with a constant number of queries per
batch. Mentions are upserted by (entity, target) under the model's unique
constraints. A curator's decisions win over extraction, always:

- a rejected mention is never updated, recreated or un-rejected;
- mentions a curator added or accepted are never removed;
- an automatic, still pending mention whose text no longer names its entity
  is removed.

A merge-window item that announces an entity as new ("a new system call,
faccessat2()") sets ``Entity.introduced_in`` and ``introduced_release``; the
earliest release wins. Linking one import is bounded like the import itself:
``LWNKB_PARSE_TIME_LIMIT`` seconds of its own (``entities_link_for_import``),
after which it stops with what it has linked so far. Curation (accept, reject, merge, rename, manual
links) is written in ``articles.services.curation`` and offered here too, so
callers find every write path of cross-linking in one module.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, Prefetch, Q
from django.utils import timezone

from articles.links import extract
from articles.models import (
    Article,
    ArticleAuthor,
    Comment,
    Entity,
    HardwareDevice,
    ImportRun,
    KernelRelease,
    Mention,
    MentionSource,
    MentionStatus,
    MergeWindowItem,
)
from articles.services.curation import (
    CurationError,
    entities_merge,
    entity_rename,
    mention_add_manual,
    mention_curate,
)
from articles.services.linker import EntityKey, Linker
from articles.services.parse_limits import (
    Deadline,
    ParseTimeLimitExceeded,
    statement_deadline,
)
from articles.services.sql.locks import rows_key_share, tallies_lock
from articles.services.sql.retry import atomic_retried

__all__ = [
    "CurationError",
    "articles_link",
    "entities_link_for_import",
    "entities_merge",
    "entities_relink_all",
    "entity_rename",
    "mention_add_manual",
    "mention_curate",
]

logger = logging.getLogger("lwnkb.links")

BATCH = 50
# (target column, target id); the column is one of Mention's four target foreign keys.
Target = tuple[str, int]
_TEXT_MODELS: dict[str, type[Model]] = {
    "article": Article,
    "merge_item": MergeWindowItem,
    "hardware": HardwareDevice,
    "comment": Comment,
}


@dataclass(slots=True)
class _Hit:
    sentence: str
    introduces: bool
    release: KernelRelease | None  # merge-window items only


def _byline(names: Sequence[str]) -> str:
    if len(names) < 2:
        return f"By {''.join(names)}"
    return f"By {', '.join(names[:-1])} and {names[-1]}"


def _texts(articles: Sequence[Article]) -> Iterable[tuple[Target, str, KernelRelease | None]]:
    """Every text of ``articles`` with its target.

    Titles come after the body, so a mention's sentence is taken from the body
    when it has one (replies repeat their parent's title).
    """
    ids = [a.pk for a in articles]
    for article in articles:
        yield ("article", article.pk), f"{article.body_text}\n{article.title}", None
    for item in MergeWindowItem.objects.filter(article_id__in=ids).select_related("release"):
        yield ("merge_item", item.pk), item.text, item.release
    for device in HardwareDevice.objects.filter(article_id__in=ids).only("pk", "name"):
        yield ("hardware", device.pk), device.name, None
    for comment in Comment.objects.filter(article_id__in=ids).only("pk", "title", "body_text"):
        yield ("comment", comment.pk), f"{comment.body_text}\n{comment.title}", None


def _hits(linker: Linker, articles: Sequence[Article]) -> dict[Target, dict[EntityKey, _Hit]]:
    hits: dict[Target, dict[EntityKey, _Hit]] = {}
    for article in articles:
        names = [link.author.name for link in article.articleauthor_set.all()]
        found = hits.setdefault(("article", article.pk), {})
        for name in names:
            found[("person", name)] = _Hit(_byline(names), False, None)
    for target, text, release in _texts(articles):
        found = hits.setdefault(target, {})
        for item in extract(text, people=linker.people):
            hit = found.get((item.kind, item.name))
            if hit is None:
                found[(item.kind, item.name)] = _Hit(item.sentence, item.introduces, release)
            elif item.introduces:
                hit.introduces = True
    return hits


def _texts_lock(hits: dict[Target, dict[EntityKey, _Hit]]) -> None:
    """Lock the texts that new mentions may point to, as their foreign keys will, now.

    A store that moves an article (a new edition or position changes a unique key)
    holds its row until it commits and may then wait for the tallies' lock. Left to
    the foreign keys, those row locks would be taken after the tallies' lock, waiting
    for that store while holding what it waits for: a deadlock (seen importing an
    edition after its articles' own pages). Taken first, the batch waits holding nothing.
    """
    ids: dict[str, list[int]] = {}
    for (column, pk), found in hits.items():
        if found:
            ids.setdefault(column, []).append(pk)
    for column, pks in sorted(ids.items()):
        rows_key_share(_TEXT_MODELS[column]._meta.db_table, pks)


def _existing(hits: dict[Target, dict[EntityKey, _Hit]]) -> dict[tuple[str, int, int], Mention]:
    ids: dict[str, list[int]] = {}
    for column, pk in hits:
        ids.setdefault(column, []).append(pk)
    query = Q()
    for column, pks in ids.items():
        query |= Q(**{f"{column}_id__in": pks})
    mentions = Mention.objects.filter(query).defer("created_at")
    return {(_column(m), _target_id(m), m.entity_id): m for m in mentions}


def _column(mention: Mention) -> str:
    for column in ("article", "merge_item", "hardware", "comment"):
        if getattr(mention, f"{column}_id"):
            return column
    raise ValueError(f"mention {mention.pk} has no target")


def _target_id(mention: Mention) -> int:
    return int(getattr(mention, f"{_column(mention)}_id"))


def _introduce(entity: Entity, item_id: int, release: KernelRelease, counts: Counter[str]) -> None:
    current = entity.introduced_release
    if entity.introduced_in_id == item_id:
        return
    order = (release.major, release.minor, release.patch)
    earlier = current is not None and (current.major, current.minor, current.patch) <= order
    if entity.introduced_in_id is not None and earlier:
        return  # announced earlier elsewhere; the first announcement wins
    entity.introduced_in_id = item_id
    entity.introduced_release = release
    entity.save(update_fields=["introduced_in", "introduced_release", "updated_at"])
    counts["introduced"] += 1


def _link_batch(linker: Linker, articles: Sequence[Article], deadline: Deadline | None) -> None:
    hits = _hits(linker, articles)
    if deadline is not None:
        deadline.check("linking")  # extraction done; the writes come next
    _texts_lock(hits)
    tallies_lock()  # before the first entity row is written: see ``sql.locks``
    entities = linker.resolve({key for found in hits.values() for key in found})
    existing = _existing(hits)
    creates: list[Mention] = []
    updates: list[Mention] = []
    for (column, target_id), found in hits.items():
        for key, hit in found.items():
            entity = entities.get(key)
            if entity is None:
                continue
            mention = existing.pop((column, target_id, entity.pk), None)
            if mention is None:
                creates.append(
                    Mention(entity=entity, sentence=hit.sentence, **{f"{column}_id": target_id})
                )
            elif mention.status == MentionStatus.REJECTED:
                continue  # a curator said no: never touch it, never introduce from it
            elif mention.source == MentionSource.AUTOMATIC and mention.sentence != hit.sentence:
                mention.sentence = hit.sentence
                updates.append(mention)
            if hit.introduces and column == "merge_item" and hit.release is not None:
                _introduce(entity, target_id, hit.release, linker.counts)
    stale = [
        m
        for m in existing.values()
        if m.source == MentionSource.AUTOMATIC and m.status == MentionStatus.PENDING
    ]
    if stale:
        Mention.objects.filter(pk__in=[m.pk for m in stale]).delete()
        for mention in stale:
            if mention.merge_item_id:
                Entity.objects.filter(
                    pk=mention.entity_id, introduced_in_id=mention.merge_item_id
                ).update(introduced_in=None, introduced_release=None, updated_at=timezone.now())
        linker.counts["mentions_removed"] += len(stale)
    if creates:
        # ignore_conflicts: the unique constraints decide when imports race.
        Mention.objects.bulk_create(creates, ignore_conflicts=True)
        linker.counts["mentions_created"] += len(creates)
    if updates:
        now = timezone.now()  # bulk_update does not run auto_now
        for mention in updates:
            mention.updated_at = now
        Mention.objects.bulk_update(updates, ["sentence", "updated_at"])
        linker.counts["mentions_updated"] += len(updates)
    if recounted := {m.entity_id for m in stale} | {m.entity_id for m in creates}:
        # An entity shows how often it is mentioned: a mirror must fetch it again.
        Entity.objects.filter(pk__in=recounted).update(updated_at=timezone.now())
    linker.counts["articles"] += len(articles)


def _articles(ids: Sequence[int]) -> list[Article]:
    authors = Prefetch("articleauthor_set", queryset=ArticleAuthor.objects.select_related("author"))
    return list(
        Article.objects.filter(pk__in=ids)
        .only("pk", "title", "body_text")
        .prefetch_related(authors)
        .order_by("pk")
    )


def articles_link(
    *,
    article_ids: Sequence[int],
    on_batch: Callable[[int], None] | None = None,
    deadline: Deadline | None = None,
) -> Counter[str]:
    """Link the texts of the given articles, ``BATCH`` articles per transaction.

    With ``deadline``, ``ParseTimeLimitExceeded`` is raised once it is spent
    (between batches, after extraction, or by PostgreSQL within a statement);
    the batch under way rolls back and the batches before it stay linked.
    """
    linker = Linker()
    for offset in range(0, len(article_ids), BATCH):
        batch = article_ids[offset : offset + BATCH]
        if deadline is not None:
            deadline.check("linking")
        _batch_link(linker, batch, deadline)
        if on_batch is not None:
            on_batch(len(batch))
    return linker.counts


def _batch_link(linker: Linker, batch: Sequence[int], deadline: Deadline | None) -> None:
    """Link one batch in its own transaction, again if PostgreSQL aborted it for a deadlock."""
    counts = linker.counts.copy()
    attempts = 0

    def work() -> None:
        nonlocal attempts
        attempts += 1
        if attempts > 1:
            linker.forget(counts)
        if deadline is None:
            _link_batch(linker, _articles(batch), None)
        else:
            with statement_deadline(deadline, step="linking"):
                _link_batch(linker, _articles(batch), deadline)

    atomic_retried(work, what=f"linking articles {batch[0]}..{batch[-1]}")


def entities_link_for_import(*, run: ImportRun, deadline: Deadline | None = None) -> Counter[str]:
    """Link everything import ``run`` wrote: its articles and their items and comments.

    Within ``deadline``, by default ``LWNKB_PARSE_TIME_LIMIT`` seconds from now:
    the import's own limit, so a hostile page full of names cannot turn linking
    into the long job its parse was not allowed to be. At the limit linking
    stops, keeps the batches already linked, logs a warning and counts
    ``linking_stopped``; the follow-ups go on to indexing (``lwn_relink`` links
    the rest, without a limit, when a curator wants it).
    """
    ids = sorted(Article.objects.written_by(run).values_list("pk", flat=True))
    deadline = deadline if deadline is not None else Deadline.from_settings()
    try:
        counts = articles_link(article_ids=ids, deadline=deadline)
    except ParseTimeLimitExceeded as exc:
        logger.warning("linking import %s stopped: %s", run.pk, exc)
        return Counter(linking_stopped=1)
    logger.info("linked import %s: %s", run.pk, dict(counts) or "nothing to link")
    return counts


def _relink(ids: Sequence[int], on_batch: Callable[[int], None] | None) -> Counter[str]:
    counts = articles_link(article_ids=ids, on_batch=on_batch)
    orphans = Entity.objects.filter(
        mentions__isnull=True, curated_by__isnull=True, aliases=[], description=""
    )
    counts["entities_removed"] = orphans.delete()[1].get("articles.Entity", 0)
    return counts


def entities_relink_all(
    *, dry_run: bool = False, on_batch: Callable[[int], None] | None = None
) -> Counter[str]:
    """Re-apply extraction to every stored article; idempotent.

    Afterwards removes entities nothing mentions any more, unless a curator
    touched them. With ``dry_run`` everything happens in one transaction that
    is rolled back, and the counts say what would have changed.
    """
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    if dry_run:
        with transaction.atomic():
            counts = _relink(ids, on_batch)
            transaction.set_rollback(True)
    else:  # one transaction per batch: a long relink never holds every row locked
        counts = _relink(ids, on_batch)
    logger.info(
        "relinked %s article(s)%s: %s", len(ids), " (dry run)" if dry_run else "", dict(counts)
    )
    return counts

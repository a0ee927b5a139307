"""Batched upserts for the parts of articles: authors, merge-window items, hardware, comments.

Also the two helpers every store path shares: ``lock_for`` (one import of an
LWN id at a time) and ``article_apply`` (set values, never curated fields).

Each function handles every article of a page at once with a fixed number of
queries (one read, then bulk create / update / delete), because an edition
holds dozens of rows and a query per row would dominate an import. Rows are
updated in place by their natural keys rather than deleted and recreated, so
curated mentions attached to them survive a re-import.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from articles.lwn.types import ParsedComment, ParsedItem
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    Edition,
    HardwareDevice,
    KernelRelease,
    MergeWindowItem,
)
from articles.services.sanitize import html_sanitize
from articles.services.sql.bulk_insert import objects_insert, rows_insert
from articles.services.sql.plain import pks_by

LOGIN_ALIASES = {
    "Jonathan Corbet": "corbet",
    "Jake Edge": "jake",
    "Daroc Alden": "daroc",
    "Joe Brockmeier": "jzb",
}


# Article columns the API does not show: changing only these leaves ``updated_at`` alone.
_UNSEEN_COLUMNS = frozenset({"position"})


def lock_for(key: int) -> None:
    """Serialise concurrent imports of the same LWN id until the transaction ends.

    PostgreSQL takes a transaction-scoped advisory lock; SQLite already admits
    one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x4C574E, key])


def article_apply(article: Article, values: dict[str, object]) -> list[str]:
    """Set ``values`` on ``article`` except curated fields; return the names of those
    that changed, for the update to write only them (and ``updated_at``).

    An edition's page moves the articles their own pages stored into the edition and
    changes nothing else: writing every column rewrote their texts, 15 % of a full-size
    import's command.
    """
    changed: list[str] = []
    visible = False
    for key, value in values.items():
        if key in article.curated_fields:
            continue
        current = article.edition_id if key == "edition" else getattr(article, key)
        wanted = value.pk if key == "edition" and isinstance(value, Edition) else value
        if current != wanted:
            setattr(article, key, value)
            changed.append(key)
            # The store moves every position out of the way before writing the page's
            # order back: that alone is no change a reader (or a mirror) can see.
            visible = visible or key not in _UNSEEN_COLUMNS
    if visible:
        article.updated_at = timezone.now()  # bulk_update does not run auto_now
    return changed


def authors_sync(pairs: Sequence[tuple[Article, list[str]]], *, new_ids: set[int]) -> None:
    """Make each article's byline (ordered) equal the given names.

    ``new_ids`` are articles created by this import: they have no byline to read.
    """
    wanted_names = {
        article.pk: list(dict.fromkeys(n.strip()[:200] for n in names if n.strip()))
        for article, names in pairs
        if "authors" not in article.curated_fields
    }
    if not wanted_names:
        return
    all_names = {name for names in wanted_names.values() for name in names}
    known = pks_by(Author, "name", all_names)
    missing = all_names - known.keys()
    if missing:
        Author.objects.bulk_create(
            [Author(name=n, login=LOGIN_ALIASES.get(n)) for n in sorted(missing)],
            ignore_conflicts=True,  # another import may create the same author meanwhile
        )
        known.update(pks_by(Author, "name", missing))
    current: dict[int, list[tuple[int, int]]] = defaultdict(list)
    to_read = wanted_names.keys() - new_ids
    links = ArticleAuthor.objects.filter(article_id__in=to_read) if to_read else []
    for link in links:
        current[link.article_id].append((link.author_id, link.position))
    stale: list[int] = []
    fresh: list[dict[str, int]] = []
    for article_id, names in wanted_names.items():
        wanted = [(known[name], position) for position, name in enumerate(names)]
        if current.get(article_id, []) != wanted:
            stale.append(article_id)
            fresh.extend(
                {"article_id": article_id, "author_id": author_id, "position": position}
                for author_id, position in wanted
            )
    if stale_old := [pk for pk in stale if pk not in new_ids]:
        ArticleAuthor.objects.filter(article_id__in=stale_old).delete()
        # The byline is part of the article as the API shows it.
        Article.objects.filter(pk__in=stale_old).update(updated_at=timezone.now())
    if fresh:
        rows_insert(ArticleAuthor, fresh)


def values_assign(obj: Any, values: dict[str, Any]) -> list[str]:
    """Set the differing ``values`` on ``obj``; return their names for ``bulk_update``."""
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    for key in changed:
        setattr(obj, key, values[key])
    return changed


def _stamp(rows: Sequence[Any]) -> None:
    """Mark changed rows as updated now: ``bulk_update`` does not run ``auto_now``."""
    now = timezone.now()
    for row in rows:
        row.updated_at = now


def _releases(versions: set[str]) -> dict[str, int]:
    known = pks_by(KernelRelease, "version", versions)
    for version in sorted(versions - known.keys()):
        # get_or_create: save() derives the numeric sort columns; releases are few.
        known[version] = KernelRelease.objects.get_or_create(version=version)[0].pk
    return known


def _sync_rows(
    model: type[MergeWindowItem] | type[HardwareDevice],
    *,
    wanted: dict[int, list[dict[str, Any]]],
    counts: Counter[str],
    label: str,
    new_ids: set[int],
) -> None:
    """Make ``model``'s rows of each article in ``wanted`` equal its list (by position)."""
    to_read = wanted.keys() - new_ids  # articles created by this import have no rows yet
    existing: dict[tuple[int, int], Any] = {
        (row.article_id, row.position): row
        for row in (model.objects.filter(article_id__in=to_read).order_by() if to_read else [])
    }
    creates: list[dict[str, Any]] = []
    updates: list[Any] = []
    fields: set[str] = set()
    for article_id, rows in wanted.items():
        for position, values in enumerate(rows):
            row = existing.pop((article_id, position), None)
            if row is None:
                creates.append({"article_id": article_id, "position": position, **values})
                continue
            if changed := values_assign(row, values):
                fields.update(changed)
                updates.append(row)
    if creates:
        rows_insert(model, creates)  # updated_at: the database default
        counts[f"{label}_created"] += len(creates)
    if updates:
        _stamp(updates)
        model.objects.bulk_update(updates, [*sorted(fields), "updated_at"])
        counts[f"{label}_updated"] += len(updates)
    if existing:
        model.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
        counts[f"{label}_deleted"] += len(existing)


def merge_windows_sync(
    pairs: Sequence[tuple[Article, ParsedItem]], counts: Counter[str], *, new_ids: set[int]
) -> None:
    """Store the merge-window groups and hardware lists of each article."""
    releases = _releases(
        {item.merge_window.kernel_version for _, item in pairs if item.merge_window is not None}
    )
    merge_rows: dict[int, list[dict[str, Any]]] = {}
    hardware_rows: dict[int, list[dict[str, Any]]] = {}
    for article, item in pairs:
        merge_rows[article.pk] = []
        hardware_rows[article.pk] = []
        window = item.merge_window
        if window is None:
            continue
        release_id = releases[window.kernel_version]
        for group_position, group in enumerate(window.groups):
            html_items = group.items_html or [""] * len(group.items)
            for text, html in zip(group.items, html_items, strict=False):
                merge_rows[article.pk].append(
                    {
                        "release_id": release_id,
                        "part": window.part,
                        "group": group.title[:200],
                        "group_position": group_position,
                        "text": text,
                        "html": html_sanitize(html),
                    }
                )
        for category in item.hardware:
            hardware_rows[article.pk].extend(
                {"release_id": release_id, "category": category.category[:200], "name": d[:500]}
                for d in category.devices
            )
    _sync_rows(
        MergeWindowItem, wanted=merge_rows, counts=counts, label="merge_items", new_ids=new_ids
    )
    _sync_rows(
        HardwareDevice, wanted=hardware_rows, counts=counts, label="hardware", new_ids=new_ids
    )


def comments_sync(*, article: Article, comments: list[ParsedComment], counts: Counter[str]) -> None:
    """Upsert a whole thread; ``comments`` come in display (pre-order) order.

    New comments are inserted one depth level at a time, so every parent has
    its primary key before its replies are written.
    """
    unique: dict[int, ParsedComment] = {}
    for parsed in comments:
        unique.setdefault(parsed.lwn_id, parsed)  # a damaged page can repeat a comment
    existing = {c.lwn_id: c for c in Comment.objects.filter(lwn_id__in=unique).order_by()}
    pks = {lwn_id: c.pk for lwn_id, c in existing.items()}
    by_depth: dict[int, list[tuple[int, ParsedComment]]] = defaultdict(list)
    for position, parsed in enumerate(unique.values()):
        by_depth[parsed.depth].append((position, parsed))

    updates: list[Comment] = []
    fields: set[str] = set()
    for depth in sorted(by_depth):
        creates: list[Comment] = []
        for position, parsed in by_depth[depth]:
            values: dict[str, Any] = {
                "article_id": article.pk,
                "parent_id": pks.get(parsed.parent_id) if parsed.parent_id else None,
                "thread_position": position,
                "depth": parsed.depth,
                "title": parsed.title[:500],
                "poster_name": parsed.author[:200],
                "poster_role": parsed.role or "",
                "posted_at": parsed.posted_at,
                "body_html": html_sanitize(parsed.body_html),
                "body_text": parsed.body_text,
            }
            comment = existing.get(parsed.lwn_id)
            if comment is None:
                creates.append(Comment(lwn_id=parsed.lwn_id, **values))
                continue
            if changed := values_assign(comment, values):
                fields.update(changed)
                updates.append(comment)
        if creates:
            # ignore_conflicts is not used: a clash would hide a lost reply's parent.
            for comment in objects_insert(creates):
                pks[comment.lwn_id] = comment.pk
            counts["comments_created"] += len(creates)
    if updates:
        _stamp(updates)
        Comment.objects.bulk_update(updates, [*sorted(fields), "updated_at"])
        counts["comments_updated"] += len(updates)
    gone = Comment.objects.filter(article_id=article.pk).exclude(lwn_id__in=unique)
    deleted = gone.delete()[1].get("articles.Comment", 0)
    counts["comments_deleted"] += deleted

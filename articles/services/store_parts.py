"""Upserts for the parts of one article: authors, merge-window items, hardware, comments.

Rows are updated in place by their natural keys rather than deleted and
recreated, so curated mentions attached to them survive a re-import.
"""

from __future__ import annotations

from collections import Counter

from articles.lwn.types import ParsedComment, ParsedItem
from articles.models import (
    Article,
    ArticleAuthor,
    Author,
    Comment,
    HardwareDevice,
    KernelRelease,
    MergeWindowItem,
)
from articles.services.sanitize import html_sanitize

LOGIN_ALIASES = {
    "Jonathan Corbet": "corbet",
    "Jake Edge": "jake",
    "Daroc Alden": "daroc",
    "Joe Brockmeier": "jzb",
}


def authors_set(*, article: Article, names: list[str]) -> None:
    wanted: list[Author] = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        author, _ = Author.objects.get_or_create(
            name=name[:200], defaults={"login": LOGIN_ALIASES.get(name)}
        )
        wanted.append(author)
    current = list(
        ArticleAuthor.objects.filter(article=article).values_list("author_id", "position")
    )
    if current == [(a.pk, i) for i, a in enumerate(wanted)]:
        return
    ArticleAuthor.objects.filter(article=article).delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=a, position=i) for i, a in enumerate(wanted)
    )


def release_get(version: str) -> KernelRelease:
    release, _ = KernelRelease.objects.get_or_create(version=version)
    return release


def _sync_rows(
    model: type[MergeWindowItem] | type[HardwareDevice],
    *,
    article: Article,
    rows: list[dict[str, object]],
    counts: Counter[str],
    label: str,
) -> None:
    """Make ``model``'s rows for ``article`` equal ``rows`` (keyed by position)."""
    existing = {obj.position: obj for obj in model.objects.filter(article=article)}
    for position, values in enumerate(rows):
        obj = existing.pop(position, None)
        if obj is None:
            model.objects.create(article=article, position=position, **values)
            counts[f"{label}_created"] += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(obj, key, value)
            obj.save()
            counts[f"{label}_updated"] += 1
    if existing:
        model.objects.filter(pk__in=[o.pk for o in existing.values()]).delete()
        counts[f"{label}_deleted"] += len(existing)


def merge_window_store(*, article: Article, item: ParsedItem, counts: Counter[str]) -> None:
    rows: list[dict[str, object]] = []
    hardware_rows: list[dict[str, object]] = []
    if item.merge_window is not None:
        window = item.merge_window
        release = release_get(window.kernel_version)
        for group_position, group in enumerate(window.groups):
            html_items = group.items_html or [""] * len(group.items)
            for text, html in zip(group.items, html_items, strict=False):
                rows.append(
                    {
                        "release_id": release.pk,
                        "part": window.part,
                        "group": group.title[:200],
                        "group_position": group_position,
                        "text": text,
                        "html": html_sanitize(html),
                    }
                )
        for category in item.hardware:
            for device in category.devices:
                hardware_rows.append(
                    {
                        "release_id": release.pk,
                        "category": category.category[:200],
                        "name": device[:500],
                    }
                )
    _sync_rows(MergeWindowItem, article=article, rows=rows, counts=counts, label="merge_items")
    _sync_rows(HardwareDevice, article=article, rows=hardware_rows, counts=counts, label="hardware")


def comments_store(
    *, article: Article, comments: list[ParsedComment], counts: Counter[str]
) -> None:
    """Upsert a whole thread; ``comments`` come in display (pre-order) order."""
    existing = {c.lwn_id: c for c in Comment.objects.filter(article=article)}
    by_lwn_id: dict[int, Comment] = {}
    seen: set[int] = set()
    for position, parsed in enumerate(comments):
        if parsed.lwn_id in seen:
            continue  # a damaged page can repeat a comment; keep the first
        seen.add(parsed.lwn_id)
        values: dict[str, object] = {
            "article_id": article.pk,
            # Ids, not instances: comparing FK instances would load each parent again.
            "parent_id": _pk(by_lwn_id.get(parsed.parent_id)) if parsed.parent_id else None,
            "thread_position": position,
            "depth": parsed.depth,
            "title": parsed.title[:500],
            "poster_name": parsed.author[:200],
            "poster_role": parsed.role or "",
            "posted_at": parsed.posted_at,
            "body_html": html_sanitize(parsed.body_html),
            "body_text": parsed.body_text,
        }
        comment = existing.pop(parsed.lwn_id, None)
        if comment is None:
            comment, created = Comment.objects.get_or_create(lwn_id=parsed.lwn_id, defaults=values)
            if created:
                counts["comments_created"] += 1
            else:  # it belonged to another article's page before: move it here
                _update(comment, values, counts, "comments")
        else:
            _update(comment, values, counts, "comments")
        by_lwn_id[parsed.lwn_id] = comment
    if existing:
        Comment.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
        counts["comments_deleted"] += len(existing)


def _pk(obj: Comment | None) -> int | None:
    return obj.pk if obj is not None else None


def _update(obj: Comment, values: dict[str, object], counts: Counter[str], label: str) -> None:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        counts[f"{label}_updated"] += 1

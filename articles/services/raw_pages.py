"""Keep every imported page, byte for byte, compressed and deduplicated."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from articles.models import RawPage


def _found(digest: str) -> RawPage | None:
    # Everything but the page itself: the caller has the bytes already.
    return RawPage.objects.defer("content_gz").filter(content_hash=digest).first()


def raw_page_store(
    *, data: bytes, url: str = "", lwn_id: int | None = None
) -> tuple[RawPage, bool]:
    """Store ``data`` once (keyed by its SHA-256); return the row and whether it is new.

    Callers commit it before parsing, so a page that later fails to parse or
    store is still there for ``lwn_reparse``.
    """
    digest = RawPage.hash_of(data)
    if (existing := _found(digest)) is not None:
        return existing, False
    page = RawPage(
        url=url[:500],
        lwn_id=lwn_id,
        content_hash=digest,
        content_gz=RawPage.compress(data),
        size=len(data),
        fetched_at=timezone.now(),
    )
    # ON CONFLICT instead of catching IntegrityError: no savepoint inside the
    # caller's transaction, and another worker storing the same bytes between
    # our read and our insert is simply not an error.
    table = connection.ops.quote_name(RawPage._meta.db_table)  # our own name, not input
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (url, lwn_id, content_hash, content_gz, size, fetched_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (content_hash) DO NOTHING RETURNING id",
            [
                page.url,
                page.lwn_id,
                digest,
                page.content_gz,
                page.size,
                connection.ops.adapt_datetimefield_value(page.fetched_at),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        stored = _found(digest)
        assert stored is not None  # the conflicting row is committed or locked by us
        return stored, False
    page.pk = row[0]
    page._state.adding = False
    return page, True

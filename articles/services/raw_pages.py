"""Keep every imported page, byte for byte, compressed and deduplicated."""

from __future__ import annotations

from django.utils import timezone

from articles.models import RawPage
from articles.services.sql.plain import object_insert


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
    page = RawPage(
        url=url[:500],
        lwn_id=lwn_id,
        content_hash=digest,
        content_gz=RawPage.compress(data),
        size=len(data),
        fetched_at=timezone.now(),
    )
    # Insert first and read only on a conflict: new pages (the usual case) take one
    # statement, and another worker storing the same bytes meanwhile is no error.
    # Bytes seen before pay for compressing them again, which is far less than the
    # parse that their "skipped" import then saves.
    if object_insert(page, unless_exists="content_hash"):
        return page, True
    stored = _found(digest)
    assert stored is not None  # the conflicting row is committed or locked by us
    return stored, False

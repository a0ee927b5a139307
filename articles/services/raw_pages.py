"""Keep every imported page, byte for byte, compressed and deduplicated."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from articles.models import RawPage


def raw_page_store(
    *, data: bytes, url: str = "", lwn_id: int | None = None
) -> tuple[RawPage, bool]:
    """Store ``data`` once (keyed by its SHA-256); return the row and whether it is new.

    Committed on its own, before parsing, so a page that later fails to
    parse or store is still there for ``lwn_reparse``.
    """
    digest = RawPage.hash_of(data)
    existing = RawPage.objects.filter(content_hash=digest).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            page = RawPage.objects.create(
                url=url[:500],
                lwn_id=lwn_id,
                content_hash=digest,
                content_gz=RawPage.compress(data),
                size=len(data),
            )
            return page, True
    except IntegrityError:
        # Another worker stored the same bytes between our read and our insert.
        return RawPage.objects.get(content_hash=digest), False

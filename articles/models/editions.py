from __future__ import annotations

import hashlib

from django.db import models
from django.db.models.functions import Now
from isal import igzip


class RawPage(models.Model):
    """A page exactly as fetched or imported, gzip-compressed.

    Kept for every import (including failed ones) so that everything can be
    re-parsed after a parser upgrade without touching the network. Identical
    bytes are stored once: the SHA-256 of the uncompressed page is unique.
    """

    url = models.CharField(max_length=500, blank=True)
    lwn_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the page")
    content_gz = models.BinaryField()
    size = models.PositiveIntegerField(help_text="Uncompressed size in bytes")
    fetched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fetched_at"]
        # A constraint, not unique=True: that adds a LIKE-prefix index no query uses.
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="rawpage_content_hash")
        ]

    def __str__(self) -> str:
        return f"{self.url or 'page'} ({self.size} bytes, {self.content_hash[:12]})"

    @staticmethod
    def hash_of(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def compress(cls, data: bytes) -> bytes:
        # Plain gzip, which any tool reads, written by ISA-L: its level 3 (its highest)
        # came within 3% of zlib level 4's size on the edition pages in a third of
        # the time, which every import pays (bench/bench_ingest.py). mtime=0 keeps the
        # bytes reproducible for identical input.
        return igzip.compress(data, compresslevel=3, mtime=0)

    @property
    def content(self) -> bytes:
        return igzip.decompress(bytes(self.content_gz))


def edition_name(title: str, lwn_id: int) -> str:
    """How an edition is named wherever it is listed: its title, else its LWN id."""
    return title or f"Edition {lwn_id}"


class Edition(models.Model):
    """One LWN Weekly Edition, keyed by the LWN id of its front page."""

    lwn_id = models.PositiveIntegerField(unique=True, verbose_name="LWN id")
    date = models.DateField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    raw_page = models.ForeignKey(
        RawPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="editions"
    )
    parsed_at = models.DateTimeField(null=True, blank=True)
    parser_version = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["-date", "-lwn_id"]
        indexes = [models.Index(fields=["updated_at", "id"], name="edition_updated")]

    def __str__(self) -> str:
        return edition_name(self.title, self.lwn_id)

    @property
    def content_hash(self) -> str:
        return self.raw_page.content_hash if self.raw_page_id and self.raw_page else ""

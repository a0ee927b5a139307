"""What a mirror needs besides the rows: the deletions (``Tombstone``).

Every row an API list serves carries ``updated_at``: ``auto_now`` sets it on
``save()``, the database default on inserts that skip the column (the import's
COPY), and the write paths that use ``bulk_update`` or ``QuerySet.update``,
which Django leaves alone, set it themselves. A row that is deleted leaves a
tombstone under the key the API knows it by, so a tool that mirrors the
archive with ``updated_after`` can also drop what is gone.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TombstoneKind(models.TextChoices):
    """The API list a deleted row was on (the router's resource name)."""

    EDITION = "editions", "Edition"
    ARTICLE = "articles", "Article"
    COMMENT = "comments", "Comment"
    RELEASE = "releases", "Kernel release"
    MERGE_WINDOW_ITEM = "merge-window-items", "Merge-window item"
    HARDWARE = "hardware", "Hardware device"
    IMPORT_RUN = "import-runs", "Import run"
    ENTITY = "entities", "Entity"
    MENTION = "mentions", "Mention"


class Tombstone(models.Model):
    """One row gone from an API list: which list, its key there, and when."""

    kind = models.CharField(max_length=20, choices=TombstoneKind.choices)
    key = models.CharField(
        max_length=250,
        help_text='The id the list gave it: an LWN id, a version, "kind:name" for an entity',
    )
    # The application clock, as for ``updated_at``, so the two compare.
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deleted_at", "id"]
        # The deletions list pages by (deleted_at, id) after a time: one index range.
        indexes = [models.Index(fields=["deleted_at", "id"], name="tombstone_deleted")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} deleted at {self.deleted_at:%Y-%m-%d %H:%M:%S}"

"""The audit trail of curation: who changed what, when, from what to what."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CurationAction(models.TextChoices):
    MENTION_ACCEPT = "mention_accept", "Mention accepted"
    MENTION_REJECT = "mention_reject", "Mention rejected"
    MENTION_RESET = "mention_reset", "Mention back to pending"
    MENTION_ADD = "mention_add", "Mention added by hand"
    ENTITY_RENAME = "entity_rename", "Entity renamed"
    ENTITY_MERGE = "entity_merge", "Entities merged"
    ALIAS_ADD = "alias_add", "Alias added"
    ALIAS_REMOVE = "alias_remove", "Alias removed"
    ARTICLE_FREE = "article_free", "Article made free"


class CurationTarget(models.TextChoices):
    MENTION = "mention", "Mention"
    ENTITY = "entity", "Entity"
    ARTICLE = "article", "Article"


class CurationEvent(models.Model):
    """One curation decision, written in the same transaction as the change itself.

    The target is named by its natural key as text (``syscall/faccessat2``, an LWN
    id, a mention id) rather than a foreign key: merges delete entities and the
    record must outlive them. ``username`` keeps who it was when the account goes.
    """

    action = models.CharField(max_length=16, choices=CurationAction.choices)
    target_kind = models.CharField(max_length=8, choices=CurationTarget.choices)
    target_key = models.CharField(max_length=300, help_text="kind/name, LWN id or mention id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curation_events",
    )
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    details = models.JSONField(default=dict, blank=True, help_text="Before and after")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="curationevent_at"),
            models.Index(fields=["target_kind", "target_key"], name="curationevent_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_kind} {self.target_key}"

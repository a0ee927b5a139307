from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse

from articles.links.names import display, url_name
from articles.models.articles import Article

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class EntityKind(models.TextChoices):
    SYSCALL = "syscall", "System call"
    CAPABILITY = "capability", "Capability"
    CONFIG = "config", "Config option"
    RELEASE = "release", "Kernel release"
    KNOB = "knob", "Sysctl or control-group knob"
    PATH = "path", "/proc or /sys path"
    PERSON = "person", "Person"
    PROJECT = "project", "Project"


class Entity(models.Model):
    """A kernel thing people talk about: ``faccessat2``, ``CAP_PERFMON``, ``5.8``…"""

    kind = models.CharField(max_length=12, choices=EntityKind.choices)
    name = models.CharField(max_length=200, help_text="Canonical name, as used in URLs")
    description = models.TextField(blank=True)
    introduced_in = models.ForeignKey(
        "articles.MergeWindowItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introduced_entities",
    )
    introduced_release = models.ForeignKey(
        "articles.KernelRelease",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introduced_entities",
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Former names (from renames and merges); extraction maps them to this entity",
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_entities",
        help_text="Who last renamed or merged it",
    )
    curated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="entity_kind_name")]
        indexes = [models.Index(fields=["updated_at", "id"], name="entity_updated")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def get_absolute_url(self) -> str:
        return reverse(
            "articles:entity-detail",
            kwargs={"kind": self.kind, "name": url_name(self.kind, self.name)},
        )

    @property
    def display_name(self) -> str:
        """The name as shown: ``faccessat2()`` for a syscall."""
        return display(self.kind, self.name)


class MentionSource(models.TextChoices):
    AUTOMATIC = "auto", "Automatic"
    CURATED = "curated", "Added by a curator"


class MentionStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


_TARGETS = ("article", "merge_item", "hardware", "comment")
# Rows a text of which is part of an article: hidden with the article's text.
_ARTICLE_PARTS = ("merge_item", "hardware", "comment")


class MentionQuerySet(models.QuerySet["Mention"]):
    def visible_to(self, user: User | AnonymousUser) -> MentionQuerySet:
        """Mentions ``user`` may see: not rejected, and not in a locked article's text.

        A mention *in* a locked article stays (its title, date and free date are
        public, as on the edition page), shown without its sentence. Mentions in the
        merge-window items, devices and comments of a locked article go, as those
        rows do everywhere else. See docs/security.md.
        """
        mentions = self.filter(status__in=(MentionStatus.PENDING, MentionStatus.ACCEPTED))
        locked = Article.objects.locked_pks_for(user)
        if locked is not None:
            for part in _ARTICLE_PARTS:
                mentions = mentions.exclude(**{f"{part}__article__in": locked})
        return mentions


class Mention(models.Model):
    """One entity named in one text: an article, merge-window item, device or comment.

    Exactly one of the four target columns is set (a check constraint enforces
    it). Plain foreign keys rather than a generic relation keep joins and
    ``select_related`` cheap and let the database guard integrity.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    merge_item = models.ForeignKey(
        "articles.MergeWindowItem",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    hardware = models.ForeignKey(
        "articles.HardwareDevice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    comment = models.ForeignKey(
        "articles.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    sentence = models.TextField(blank=True, help_text="The sentence around the mention")
    source = models.CharField(
        max_length=8, choices=MentionSource.choices, default=MentionSource.AUTOMATIC
    )
    status = models.CharField(
        max_length=8, choices=MentionStatus.choices, default=MentionStatus.PENDING, db_index=True
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_mentions",
    )
    curated_at = models.DateTimeField(null=True, blank=True)
    # Denormalised so a timeline's page and its first and latest mention are an index
    # range, not a sort of every mention: set by a PostgreSQL trigger from the text's date
    # on every write (migration 0016), null on SQLite, where the selectors join instead.
    day = models.DateField(
        null=True, blank=True, editable=False, help_text="The date of the text (kept by trigger)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="mention_updated"),
            models.Index(fields=["entity", "day", "id"], name="mention_entity_day"),
            # The curation queue's order (newest first, then id): without it every page
            # of the API's mention list sorted all 1.28 million mentions (375 ms at 1.0).
            models.Index(fields=["created_at", "id"], name="mention_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        article__isnull=False,
                        merge_item__isnull=True,
                        hardware__isnull=True,
                        comment__isnull=True,
                    )
                    | Q(
                        article__isnull=True,
                        merge_item__isnull=False,
                        hardware__isnull=True,
                        comment__isnull=True,
                    )
                    | Q(
                        article__isnull=True,
                        merge_item__isnull=True,
                        hardware__isnull=False,
                        comment__isnull=True,
                    )
                    | Q(
                        article__isnull=True,
                        merge_item__isnull=True,
                        hardware__isnull=True,
                        comment__isnull=False,
                    )
                ),
                name="mention_exactly_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=["entity", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"mention_once_per_{target}",
                )
                for target in _TARGETS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} in {self.target_label}"

    @property
    def target_article(self) -> Article:
        """The article the mentioning text belongs to (select_related its path first)."""
        if self.article_id:
            return self.article  # type: ignore[return-value]
        if self.merge_item_id:
            return self.merge_item.article  # type: ignore[union-attr]
        if self.hardware_id:
            return self.hardware.article  # type: ignore[union-attr]
        return self.comment.article  # type: ignore[union-attr]

    @property
    def target_label(self) -> str:
        for target in _TARGETS:
            if getattr(self, f"{target}_id"):
                return target.replace("_", " ")
        return "nothing"

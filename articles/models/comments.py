from __future__ import annotations

from django.db import models
from django.db.models.functions import Now

from articles.models.fields import SanitizedHTMLField


class PosterRole(models.TextChoices):
    SUBSCRIBER = "subscriber", "Subscriber"
    GUEST = "guest", "Guest"
    EDITOR = "editor", "Editor"
    SUPPORTER = "supporter", "Supporter"


class Comment(models.Model):
    """A reader comment; every LWN comment has its own article id."""

    lwn_id = models.PositiveIntegerField(unique=True, verbose_name="LWN id")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # Pre-order position in the article's thread: ORDER BY thread_position yields the
    # whole tree in display order with one query, with depth for indentation.
    thread_position = models.PositiveIntegerField(default=0)
    depth = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=500, blank=True)
    poster_name = models.CharField(max_length=200)
    poster_role = models.CharField(max_length=12, choices=PosterRole.choices, blank=True)
    posted_at = models.DateTimeField(db_index=True)
    body_html = SanitizedHTMLField(blank=True, help_text="Sanitized HTML")
    body_text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["article_id", "thread_position"]
        indexes = [
            models.Index(fields=["article", "thread_position"], name="comment_thread_order"),
            models.Index(fields=["updated_at", "id"], name="comment_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.title or '(untitled)'} by {self.poster_name}"

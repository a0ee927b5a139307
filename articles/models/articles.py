from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from articles.models.fields import SanitizedHTMLField

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from articles.models.imports import ImportRun

SUBSCRIBER_PERMISSION = "articles.view_subscriber_content"


class Author(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="Display name")
    login = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text="LWN login alias where known, e.g. corbet",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def paywalled_on(*, subscriber_only: bool, free_on: dt.date | None, day: dt.date) -> bool:
    """Still behind LWN's paywall on ``day``: for one row, the rule that
    ``ArticleQuerySet.paywalled_pks_on`` reads in SQL."""
    return subscriber_only and (free_on is None or free_on > day)


class ArticleKind(models.TextChoices):
    FEATURE = "feature", "Feature"
    GUEST = "guest", "Guest article"
    BRIEF = "brief", "Brief item"


class ArticleQuerySet(models.QuerySet["Article"]):
    def paywalled_pks_on(self, day: dt.date) -> QuerySet[Article, Any]:
        """The ids of the articles still behind LWN's paywall on ``day``, as a subquery.

        The one definition of the paywall in SQL (``Article.subscriber_only_on`` is the
        same rule on one row): two ranges of the partial index ``article_paywalled``, no
        free date and a free date after ``day``, so a query reads the few locked
        articles only. Written as ``subscriber_only AND (free_on IS NULL OR free_on >
        day)`` PostgreSQL reads every subscriber-only article the archive ever had and
        filters them: it cannot read the OR as ranges of the index.
        """
        paywalled = self.filter(subscriber_only=True).order_by().values("pk")
        undated = paywalled.filter(free_on__isnull=True)
        later = paywalled.filter(free_on__gt=day)
        return undated.union(later, all=True)

    def subscriber_only_on(self, day: dt.date) -> ArticleQuerySet:
        """Articles still behind LWN's paywall on ``day`` (see ``paywalled_pks_on``)."""
        return self.filter(pk__in=self.paywalled_pks_on(day))

    def free_for(self, user: User | AnonymousUser) -> ArticleQuerySet:
        """Articles whose full text ``user`` may read today."""
        locked = self.locked_pks_for(user)
        return self if locked is None else self.exclude(pk__in=locked)

    def locked_for(self, user: User | AnonymousUser) -> ArticleQuerySet:
        """Articles whose text (items, devices, comments) ``user`` may not read yet."""
        if user.has_perm(SUBSCRIBER_PERMISSION):
            return self.none()
        return self.subscriber_only_on(timezone.now().date())

    def locked_pks_for(self, user: User | AnonymousUser) -> QuerySet[Article, Any] | None:
        """The ids of the articles ``user`` may not read yet, as a subquery
        (``paywalled_pks_on`` today), or None when there can be none (a subscriber)."""
        if user.has_perm(SUBSCRIBER_PERMISSION):
            return None
        return self.paywalled_pks_on(timezone.now().date())

    def written_by(self, run: ImportRun) -> ArticleQuerySet:
        """The articles import ``run`` wrote: its edition's, or its single page's."""
        if run.edition_id:
            return self.filter(edition_id=run.edition_id)
        if run.raw_page_id:
            return self.filter(raw_page_id=run.raw_page_id)
        return self.none()


class Article(models.Model):
    """A feature, guest article or brief item, usually as part of an edition."""

    lwn_id = models.PositiveIntegerField(
        unique=True,
        null=True,
        blank=True,
        verbose_name="LWN id",
        help_text="Empty for items LWN publishes without a page of their own",
    )
    edition = models.ForeignKey(
        "articles.Edition",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="articles",
        # The (edition, position) constraint's index serves lookups by edition:
        # a second index would only cost every insert.
        db_index=False,
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the edition")
    listed_on = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="LWN id of the edition page that lists it (the edition's own, or an inner "
        "page such as Brief items)",
    )
    section = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=ArticleKind.choices)
    title = models.CharField(max_length=500)
    authors = models.ManyToManyField(
        "articles.Author", through="articles.ArticleAuthor", related_name="articles", blank=True
    )
    date = models.DateField(null=True, blank=True, db_index=True)
    body_html = SanitizedHTMLField(blank=True, help_text="Sanitized HTML")
    body_text = models.TextField(blank=True)
    comment_count = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    subscriber_only = models.BooleanField(default=False)
    # Stored from the lwn.net home page only: the body is the front page's blurb. An
    # import of the article's own page (or its edition) replaces it; a teaser never
    # overwrites text stored from there.
    teaser = models.BooleanField(
        default=False,
        help_text="Only the home page's blurb is stored, not the article's own text",
    )
    free_on = models.DateField(
        null=True, blank=True, help_text="When LWN makes a subscriber-only article free"
    )
    raw_page = models.ForeignKey(
        "articles.RawPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="The article's own page (with its comments)",
    )
    curated_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields a curator edited; re-imports leave them alone",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "edition_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "position"], name="article_edition_position")
        ]
        # Plain indexes rather than db_index=True, which on PostgreSQL adds a second
        # (LIKE-prefix) index per column that no query uses and every insert pays for.
        indexes = [
            models.Index(fields=["section"], name="article_section"),
            models.Index(fields=["kind"], name="article_kind"),
            models.Index(fields=["updated_at", "id"], name="article_updated"),
            # The API list's default order and its cursor (``sort_date``, newest first):
            # without it every page sorts the whole table.
            # Plain DESC: both terms are never NULL, PostgreSQL's DESC puts NULLs first
            # as the list's ORDER BY asks, and SQLite refuses NULLS FIRST in an index.
            models.Index(
                Coalesce("date", models.Value(dt.date.min)).desc(),
                models.F("id").desc(),
                name="article_sort_date",
            ),
            # The paywall test (``paywalled_pks_on``) reads the few locked rows only.
            models.Index(
                fields=["free_on"], condition=Q(subscriber_only=True), name="article_paywalled"
            ),
        ]
        permissions = [
            ("view_subscriber_content", "Can read subscriber-only text before it is free"),
            ("curate_content", "Can curate entities, mentions and imports"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def byline(self) -> list[Author]:
        """Authors in byline order (prefetch them with ``selectors.articles.BYLINE``)."""
        return [link.author for link in self.articleauthor_set.all()]

    def subscriber_only_on(self, day: dt.date) -> bool:
        """Still behind LWN's paywall on ``day`` (``paywalled_on``)."""
        return paywalled_on(subscriber_only=self.subscriber_only, free_on=self.free_on, day=day)

    @property
    def paywalled(self) -> bool:
        """Behind the paywall today: the one test for a "subscriber-only" label."""
        return self.subscriber_only_on(timezone.now().date())

    def is_locked_for(self, user: User | AnonymousUser) -> bool:
        """True while ``user`` may see only the summary and free date."""
        return self.paywalled and not user.has_perm(SUBSCRIBER_PERMISSION)


class ArticleAuthor(models.Model):
    """Byline order matters ("By A and B"), so the link keeps a position."""

    # The (article, author) constraint's index serves lookups by article.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, db_index=False)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="article_author_once")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"

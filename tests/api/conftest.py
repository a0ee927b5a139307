"""API test helpers: a client per persona and a small archive that can grow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from articles.models import Article, ArticleAuthor, Comment, ImportRun, KernelRelease
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditionFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

PERSONAS = ["anonymous", "subscriber", "curator", "staff"]
API = "/api/v1"
# A free date safely in the future: the article stays locked whenever the suite runs.
FUTURE = dt.date.today() + dt.timedelta(days=3650)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def client_as(request: pytest.FixtureRequest) -> Callable[[str], APIClient]:
    """``client_as("curator")``: an APIClient logged in (by session) as that persona."""

    def make(persona: str) -> APIClient:
        client = APIClient()
        user: User | AnonymousUser = request.getfixturevalue(persona)
        if isinstance(user, User):
            # A session, not force_authenticate: each request loads the user afresh, as
            # in production, so permission lookups (and query counts) are realistic.
            client.force_login(user)
        return client

    return make


@dataclass
class Archive:
    """Rows made by ``grow``; every call adds one of everything, linked together."""

    release: KernelRelease
    articles: list[Article] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    def grow(self, n: int = 1) -> Archive:
        for _ in range(n):
            edition = EditionFactory.create()
            article = ArticleFactory.create(edition=edition)
            if self.articles:  # the first edition grows too, for its detail page
                ArticleFactory.create(edition=self.articles[0].edition, title=f"Also {article.pk}")
            ImportRun.objects.create(source=f"test {article.pk}", edition=edition)
            for position, name in enumerate(("Jonathan Corbet", f"Guest {article.pk}")):
                author = AuthorFactory.create(name=name)
                ArticleAuthor.objects.create(article=article, author=author, position=position)
            root = CommentFactory.create(article=article, thread_position=0)
            CommentFactory.create(article=article, parent=root, depth=1, thread_position=1)
            MergeWindowItemFactory.create(release=self.release, article=article)
            HardwareDeviceFactory.create(release=self.release, article=article)
            self.articles.append(article)
            self.comments.extend(article.comments.all())
        return self


@pytest.fixture
def archive(db: None) -> Archive:
    return Archive(release=KernelReleaseFactory.create(version="5.8"))


def locked_article(**fields: object) -> Article:
    """A subscriber-only article that stays locked, with one comment and one item."""
    article = ArticleFactory.create(
        subscriber_only=True,
        free_on=FUTURE,
        title="Locked feature",
        body_text="secret words",
        body_html="<p>secret words</p>",
        **fields,
    )
    CommentFactory.create(article=article, body_text="a locked comment")
    MergeWindowItemFactory.create(
        release=KernelReleaseFactory.create(version="5.8"), article=article, text="locked item"
    )
    HardwareDeviceFactory.create(
        release=KernelReleaseFactory.create(version="5.8"), article=article, name="Locked panel"
    )
    return article


def page_plan(api: APIClient, url: str) -> str:
    """PostgreSQL's plan for the page query of ``url`` (a cursor link), sequential scans
    off so the plan shows what an index can do for it at any table size."""
    with CaptureQueriesContext(connection) as queries:
        api.get(url)
    page = next(q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {page}")
        return "\n".join(row[0] for row in cursor.fetchall())

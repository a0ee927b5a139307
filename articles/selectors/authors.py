"""Read paths for authors: the index, one author, and their articles."""

from __future__ import annotations

from django.db.models import Case, Count, Q, QuerySet, Value, When

from articles.models import Article, Author
from articles.selectors.articles import BYLINE


def author_list() -> QuerySet[Author]:
    """Authors by name, each with ``article_count``."""
    return Author.objects.annotate(article_count=Count("articleauthor")).order_by("name")


def author_get(*, name: str) -> Author | None:
    """The author named ``name`` (exactly, else in any case), or whose LWN login it is."""
    exact = Case(When(name=name, then=Value(0)), default=Value(1))
    return (
        Author.objects.filter(Q(name__iexact=name) | Q(login__iexact=name))
        .order_by(exact, "pk")
        .first()
    )


def author_articles(*, author: Author) -> QuerySet[Article]:
    """``author``'s articles, newest first, with bylines and without their bodies."""
    return (
        Article.objects.filter(articleauthor__author=author)
        .select_related("edition")
        .defer("body_html", "body_text", "edition__raw_page")
        .prefetch_related(BYLINE)
        .order_by("-date", "-pk")
    )

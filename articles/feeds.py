"""Atom feeds: newest articles, articles mentioning an entity, and search results.

Feeds are anonymous (a feed reader sends no session), so they follow the
paywall rule for anonymous readers: a locked article appears as its summary
(title, authors, date, section, free date), never its text. The article feeds
take the API's article filters in the query string (``?kind=feature``,
``?author=corbet``…).

HTTP caching: the article feeds answer conditional requests before rendering.
Their ETag hashes the keys of the rows shown (id, ``updated_at``, paywall
state for today) and Last-Modified is the latest change or free date among
them. The search feed hashes its rendered body instead, since only running
the search tells what it holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.views.decorators.http import condition, require_safe

from articles import search
from articles.caching import article_changed_at, latest, with_validators
from articles.filters import ArticleFilter, mentioning
from articles.models import Article, Entity
from articles.selectors.articles import BYLINE
from articles.selectors.entities import entity_get
from lwnkb.throttling import page_throttled

FEED_SIZE = 50
SUMMARY_WORDS = 80
ANONYMOUS = AnonymousUser()


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def entity_or_404(kind: str, name: str) -> Entity:
    """The entity as its page finds it (``faccessat2()``, former names, paths without /)."""
    entity = entity_get(kind=kind, name=name, user=ANONYMOUS)
    if entity is None:
        raise Http404("No such entity")
    return entity


def filtered_articles(request: HttpRequest) -> QuerySet[Article]:
    """The API's article filters applied to the query string; 400 when they do not parse."""
    filterset = ArticleFilter(request.GET, queryset=Article.objects.all())
    if not filterset.is_valid():
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
        raise BadRequest(f"invalid filter: {problems}")
    return filterset.qs.order_by(F("date").desc(nulls_last=True), "-pk")


class ArticleFeedBase(Feed):
    """Items are articles, shown as an anonymous reader may see them."""

    feed_type = Atom1Feed

    def link(self) -> str:
        return reverse("articles:home")

    def article_items(self, articles: QuerySet[Article]) -> list[Article]:
        return list(
            articles.defer("body_html", "curated_fields").prefetch_related(BYLINE)[:FEED_SIZE]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_link(self, item: Article) -> str:
        if item.lwn_id:
            return reverse("articles:article-detail", args=[item.lwn_id])
        return item.url or reverse("articles:home")

    def item_guid(self, item: Article) -> str:
        return f"urn:lwnkb:article:{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item: Article) -> str:
        # Atom sends this as type="html", which feed readers render: the plain text
        # must be escaped, or an article quoting "<script>" would run in the reader.
        if item.is_locked_for(ANONYMOUS):
            if item.free_on is None:
                return "Subscriber-only on LWN.net."
            day = item.free_on
            return f"Subscriber-only on LWN.net until {day:%B} {day.day}, {day.year}."
        return escape(Truncator(item.body_text).words(SUMMARY_WORDS))

    def item_author_name(self, item: Article) -> str:
        return ", ".join(author.name for author in item.byline)

    def item_pubdate(self, item: Article) -> dt.datetime:
        return _midnight(item.date) if item.date else item.created_at

    def item_updateddate(self, item: Article) -> dt.datetime | None:
        return article_changed_at(item)

    def item_categories(self, item: Article) -> list[str]:
        return [c for c in (item.section, item.kind) if c]


class ArticlesFeed(ArticleFeedBase):
    title = "lwnkb: newest articles"
    description = "The newest LWN articles in this archive"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> QuerySet[Article]:
        return filtered_articles(request)

    def items(self, obj: QuerySet[Article]) -> list[Article]:
        return self.article_items(obj)


class EntityFeed(ArticleFeedBase):
    description = "LWN articles that mention it"

    def get_object(
        self, request: HttpRequest, *args: Any, kind: str = "", name: str = "", **kwargs: Any
    ) -> tuple[Entity, QuerySet[Article]]:
        entity = entity_or_404(kind, name)
        return entity, mentioning(filtered_articles(request), entity, target="article")

    def title(self, obj: tuple[Entity, QuerySet[Article]]) -> str:
        return f"lwnkb: articles mentioning {obj[0].display_name} ({obj[0].kind})"

    def items(self, obj: tuple[Entity, QuerySet[Article]]) -> list[Article]:
        return self.article_items(obj[1])


class SearchFeed(Feed):
    """The newest hits of a search, as an anonymous reader may see them."""

    feed_type = Atom1Feed
    description = "The newest matches of a search in this archive"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        query = request.GET.get("q", "").strip()
        if not query:
            raise BadRequest("q (the search) is required")
        return query

    def title(self, obj: str) -> str:
        return f"lwnkb: search for {obj}"

    def link(self, obj: str) -> str:
        return reverse("articles:home")

    def items(self, obj: str) -> list[search.SearchHit]:
        try:
            results = search.archive_search(
                query=obj, user=ANONYMOUS, sort="date", page_size=FEED_SIZE, facets=False
            )
        except search.SearchError as exc:
            raise BadRequest(str(exc)) from exc
        return results.hits

    def item_title(self, item: search.SearchHit) -> str:
        return item.title

    def item_link(self, item: search.SearchHit) -> str:
        if item.article_lwn_id:
            return reverse("articles:article-detail", args=[item.article_lwn_id])
        return item.url or reverse("articles:home")

    def item_guid(self, item: search.SearchHit) -> str:
        return f"urn:lwnkb:{item.type}:{item.id}"

    item_guid_is_permalink = False

    def item_description(self, item: search.SearchHit) -> str:
        return item.snippet  # escaped text with <mark>, or the "subscriber-only" notice

    def item_author_name(self, item: search.SearchHit) -> str:
        return ", ".join(item.authors)

    def item_pubdate(self, item: search.SearchHit) -> dt.datetime | None:
        return _midnight(item.date) if item.date else None


# --- Views with HTTP caching ---------------------------------------------------------


def _feed_keys(request: HttpRequest, **kwargs: str) -> tuple[str, dt.datetime | None]:
    """(ETag, Last-Modified) of an article feed from one small query; cached per request."""
    cached: tuple[str, dt.datetime | None] | None = getattr(request, "_lwnkb_feed_keys", None)
    if cached is not None:
        return cached
    articles = filtered_articles(request)
    if kwargs:
        entity = entity_or_404(kwargs["kind"], kwargs["name"])
        articles = mentioning(articles, entity, target="article")
    rows = list(articles.only("pk", "updated_at", "subscriber_only", "free_on")[:FEED_SIZE])
    digest = hashlib.sha256(request.get_full_path().encode())
    for row in rows:
        locked = row.is_locked_for(ANONYMOUS)
        digest.update(f"|{row.pk}:{row.updated_at.isoformat()}:{locked}".encode())
    keys = (digest.hexdigest()[:32], latest(article_changed_at(row) for row in rows))
    request._lwnkb_feed_keys = keys  # type: ignore[attr-defined]
    return keys


def _conditional(feed: Feed) -> Callable[..., HttpResponseBase]:
    # Feeds only read: any other method is refused before the query runs.
    return require_safe(
        condition(
            etag_func=lambda request, **kw: _feed_keys(request, **kw)[0],
            last_modified_func=lambda request, **kw: _feed_keys(request, **kw)[1],
        )(feed)
    )


articles_feed = _conditional(ArticlesFeed())
entity_feed = _conditional(EntityFeed())
_search_feed = SearchFeed()


@require_safe
def search_feed(request: HttpRequest) -> HttpResponseBase:
    """The search feed, with an ETag of its body (304 when unchanged); throttled like the API."""
    if (throttled := page_throttled(request)) is not None:
        return throttled
    try:
        response: HttpResponse = _search_feed(request)
    except search.SearchUnavailable:
        return HttpResponse("The search index is not available.", status=503)
    return with_validators(request, response, variant="public", last_modified=None)

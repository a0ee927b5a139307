"""Atom feeds: newest articles, articles mentioning an entity, and search results.

Feeds are anonymous (a feed reader sends no session), so they follow the
paywall rule for anonymous readers: a locked article appears as its summary
(title, authors, date, section, free date), never its text. The article feeds
take the API's article filters in the query string (``?kind=feature``,
``?author=corbet``…); the search feed takes the search API's filters.

Valid Atom (RFC 4287): a feed's ``<id>`` and ``rel="self"`` are its full URL,
query included, so two filtered feeds never share an id; every entry has an
``<updated>`` and an author (LWN.net where the byline is empty). Errors are
plain text, since a feed reader shows them to someone.

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
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.text import Truncator
from django.views.decorators.http import condition, require_safe

from articles import search
from articles.caching import article_changed_at, cache_control, latest, with_validators
from articles.filters import ArticleFilter, mentioning
from articles.models import Article, Entity
from articles.selectors.articles import BYLINE
from articles.selectors.entities import entity_get
from lwnkb.throttling import page_throttled

FEED_SIZE = 50
SUMMARY_WORDS = 80
ANONYMOUS = AnonymousUser()
# Who wrote an entry with no byline: LWN's editors (Atom requires an author per entry).
NO_BYLINE = "LWN.net"
# The <updated> of a search hit that has no date (a device, an undated item): fixed, so
# the feed's body, and so its ETag, stays the same from one request to the next.
UNDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
TEXT = "text/plain; charset=utf-8"


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


class AtomFeed(Feed):
    """A Django feed whose ``<id>`` and ``rel="self"`` are the URL asked, query included."""

    feed_type = Atom1Feed

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        # Django names the feed by its ``link`` (the same home page for every feed) and
        # drops the query from ``rel="self"``; both must identify this very feed.
        here = request.build_absolute_uri()
        feed.feed["id"] = here
        feed.feed["feed_url"] = here
        return feed


class ArticleFeedBase(AtomFeed):
    """Items are articles, shown as an anonymous reader may see them."""

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
        return ", ".join(author.name for author in item.byline) or NO_BYLINE

    def item_pubdate(self, item: Article) -> dt.datetime:
        return _midnight(item.date) if item.date else item.created_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return article_changed_at(item) or self.item_pubdate(item)

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


class SearchFeedParams(forms.Form):
    """The search API's parameters (``articles/api/search.py``), read the same way.

    The feed is always the newest hits first, ``FEED_SIZE`` of them, so ``sort``,
    ``page``, ``cursor`` and ``page_size`` are checked as the API checks them and then
    ignored.
    ``tests/test_feeds.py`` keeps this list equal to the API's.
    """

    q = forms.CharField(required=False, max_length=search.MAX_QUERY_LENGTH)
    type = forms.ChoiceField(choices=[(t, t) for t in search.DOCUMENT_TYPES], required=False)
    release = forms.RegexField(r"^\d+\.\d+(?:\.\d+)?$", required=False)
    section = forms.CharField(required=False, max_length=200)
    author = forms.CharField(required=False, max_length=200)
    after = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    before = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    sort = forms.ChoiceField(choices=[(s, s) for s in search.SORTS], required=False)
    page = forms.IntegerField(min_value=1, required=False)
    cursor = forms.CharField(required=False, max_length=2000)  # the API's paging: ignored here
    page_size = forms.IntegerField(min_value=1, max_value=search.MAX_PAGE_SIZE, required=False)

    FILTERS = ("type", "release", "section", "author", "after", "before")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("q") and not any(data.get(name) for name in self.FILTERS):
            raise forms.ValidationError("Give a query (q), a filter, or both.")
        return data


@dataclass(frozen=True)
class SearchAsked:
    """A search feed's validated query and filters."""

    query: str
    filters: search.SearchFilters

    def __str__(self) -> str:
        return " ".join([self.query, *(f"{k}:{v}" for k, v in self.filters_given())]).strip()

    def filters_given(self) -> list[tuple[str, str]]:
        return [
            (name, str(value))
            for name in SearchFeedParams.FILTERS
            if (value := getattr(self.filters, name))
        ]


def search_asked(request: HttpRequest) -> SearchAsked:
    """The search a feed URL asks for; 400 naming the bad parameters when it does not parse."""
    params = SearchFeedParams(request.GET)
    if not params.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(map(str, messages))}"
            if name != "__all__"
            else " ".join(map(str, messages))
            for name, messages in params.errors.items()
        )
        raise BadRequest(f"invalid search: {problems}")
    data = params.cleaned_data
    return SearchAsked(
        query=(data.get("q") or "").strip(), filters=search.SearchFilters.from_params(data)
    )


class SearchFeed(AtomFeed):
    """The newest hits of a search, as an anonymous reader may see them."""

    description = "The newest matches of a search in this archive"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> SearchAsked:
        return search_asked(request)

    def title(self, obj: SearchAsked) -> str:
        return f"lwnkb: search for {obj}"

    def link(self, obj: SearchAsked) -> str:
        return reverse("articles:home")

    def items(self, obj: SearchAsked) -> list[search.SearchHit]:
        try:
            results = search.archive_search(
                query=obj.query,
                user=ANONYMOUS,
                filters=obj.filters,
                sort="date",
                page_size=FEED_SIZE,
                facets=False,
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
        return ", ".join(item.authors) or NO_BYLINE

    def item_pubdate(self, item: search.SearchHit) -> dt.datetime | None:
        return _midnight(item.date) if item.date else None

    def item_updateddate(self, item: search.SearchHit) -> dt.datetime:
        return _midnight(item.date) if item.date else UNDATED


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


def _text_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer a bad query or an unknown entity in plain text, as a feed reader shows it."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except BadRequest as exc:
            return HttpResponse(f"{exc}\n", status=400, content_type=TEXT)
        except Http404:
            return HttpResponse("No such feed.\n", status=404, content_type=TEXT)
        if response.status_code == 405:
            refused = HttpResponse(
                "Feeds answer GET and HEAD only.\n", status=405, content_type=TEXT
            )
            refused["Allow"] = response["Allow"]
            return refused
        return response

    return answer


def _conditional(feed: Feed) -> Callable[..., HttpResponseBase]:
    # Feeds only read: any other method is refused before the query runs.
    return _text_errors(
        require_safe(
            condition(
                etag_func=lambda request, **kw: _feed_keys(request, **kw)[0],
                last_modified_func=lambda request, **kw: _feed_keys(request, **kw)[1],
            )(_public(feed))
        )
    )


def _public(feed: Feed) -> Callable[..., HttpResponseBase]:
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = feed(request, *args, **kwargs)
        # Feeds are the same for everyone, so any cache may keep them for a while.
        response["Cache-Control"] = cache_control(shared=True)
        return response

    return answer


articles_feed = _conditional(ArticlesFeed())
entity_feed = _conditional(EntityFeed())
_search_feed = SearchFeed()


@_text_errors
@require_safe
def search_feed(request: HttpRequest) -> HttpResponseBase:
    """The search feed, with an ETag of its body (304 when unchanged); throttled like the API."""
    if (throttled := page_throttled(request)) is not None:
        return throttled
    try:
        response: HttpResponse = _search_feed(request)
    except search.SearchUnavailable:
        response = HttpResponse(
            "The search index is not available; try again later.\n", status=503, content_type=TEXT
        )
        response["Retry-After"] = "60"
        return response
    return with_validators(request, response, variant="public", last_modified=None, shared=True)

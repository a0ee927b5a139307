"""HTTP validators for read endpoints: ``ETag``, ``Last-Modified`` and 304 answers.

The ETag is a hash of the rendered body plus the caller's paywall status, so
it changes exactly when what the caller sees changes, including the day a
subscriber-only article becomes free. ``Last-Modified`` comes from the rows'
``updated_at`` (and free dates) where the model has one; it is the weaker
validator and is used only when the request carries no ``If-None-Match``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.permissions import reads_subscriber_content
from articles.models import Article

R = TypeVar("R", bound=HttpResponse)


def article_changed_at(article: Article) -> dt.datetime | None:
    """When what readers see of ``article`` last changed: an edit, or its free date."""
    changed = getattr(article, "updated_at", None)
    if article.subscriber_only and article.free_on and article.free_on <= timezone.now().date():
        freed = dt.datetime.combine(article.free_on, dt.time.min, tzinfo=dt.UTC)
        changed = max(changed, freed) if changed else freed
    return changed


def latest(times: Iterable[dt.datetime | None]) -> dt.datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def not_modified(request: Request | Any, *, etag: str, last_modified: dt.datetime | None) -> bool:
    """Whether the client's copy is current: If-None-Match first, else If-Modified-Since."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        tags = parse_etags(if_none_match)
        # Weak comparison (RFC 9110, 13.1.2): W/"x" matches "x" for GET and HEAD.
        return "*" in tags or etag in {t.removeprefix("W/") for t in tags}
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")
    if since is None or last_modified is None:
        return False
    return int(last_modified.timestamp()) <= since


def with_validators(
    request: Request | Any,
    response: R,
    *,
    variant: str,
    last_modified: dt.datetime | None,
) -> R:
    """Add ETag and Last-Modified to a 200 answer; make it a 304 when the client is current.

    The 304 is the same response object emptied, so DRF's view machinery and the
    type checker see the class they expect.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.render()
    digest = hashlib.sha256(response.content)
    digest.update(variant.encode())
    etag = quote_etag(digest.hexdigest()[:32])
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Clients and caches must ask again each time; the validators make asking cheap.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    if not_modified(request, etag=etag, last_modified=last_modified):
        response.status_code = 304
        response.content = b""
        # A 304 has no body, so nothing describes one (RFC 9110, section 15.4.5).
        for header in ("Content-Type", "Content-Length", "Link"):
            if header in response:
                del response[header]
    return response


@dataclass(frozen=True)
class SharedAnswer:
    """A rendered anonymous answer, kept for ``API_CACHE_SECONDS``."""

    content: bytes
    content_type: str
    link: str | None
    last_modified: dt.datetime | None


def shared_answer_key(request: Request) -> str | None:
    """The cache key of an answer every anonymous caller may share, or None.

    Only anonymous JSON GETs share: anyone logged in or holding a token gets a
    fresh answer, so curators see their edits at once and the paywall variant
    never mixes. The date is in the key because locks open at midnight with no
    write; the absolute URL, because ``next`` links name the host.
    """
    seconds = settings.API_CACHE_SECONDS
    if not seconds or request.method != "GET" or request.user.is_authenticated:
        return None
    if not isinstance(getattr(request, "accepted_renderer", None), JSONRenderer):
        return None
    where = f"{timezone.now().date()}|{request.build_absolute_uri()}"
    return "lwnkb:api:" + hashlib.sha256(where.encode()).hexdigest()


class ConditionalGetMixin:
    """For read-only viewsets: validators on every 200 GET, 304 when unchanged.

    ``changed_at(obj)`` says when a row last changed (``updated_at`` by default;
    ``None`` where the model keeps no such time). A list's Last-Modified is the
    latest of its page's rows; a view that adds data the rows' times do not cover
    sets ``self.last_modified_known = False``.

    Anonymous JSON answers are also kept in Django's cache for
    ``settings.API_CACHE_SECONDS`` (0 turns this off; the default is 0 with
    debug on, 5 without): popular pages then cost a cache read, not queries, at
    the price of anonymous readers seeing a change up to that many seconds late.
    Authentication and throttling still run for every request.
    """

    last_modified_known = True
    _seen: list[Any]
    _shared_key: str | None = None
    _shared_hit: SharedAnswer | None = None

    def changed_at(self, obj: Any) -> dt.datetime | None:
        return getattr(obj, "updated_at", None)

    def _note(self, rows: Iterable[Any]) -> None:
        if not hasattr(self, "_seen"):
            self._seen = []
        self._seen.extend(rows)

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        self._note([obj])
        return obj

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        self._note(page or [])
        return page

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The viewset binds its GET action to ``self.get`` for this request; wrap it so
        # a shared answer, when there is one, replaces running it (after DRF's
        # authentication, permission and throttle checks, which stay per request).
        handler = getattr(self, "get", None)
        if handler is not None:
            self.get = self._shared_or(handler)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def _shared_or(self, handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def answer(request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
            self._shared_key = shared_answer_key(request)
            hit: SharedAnswer | None = cache.get(self._shared_key) if self._shared_key else None
            if hit is None:
                return handler(request, *args, **kwargs)
            self._shared_hit = hit
            response = HttpResponse(hit.content, content_type=hit.content_type)
            if hit.link:
                response["Link"] = hit.link
            return response

        return answer

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if self._shared_hit is not None:
            last_modified = self._shared_hit.last_modified
        else:
            seen = getattr(self, "_seen", [])
            last_modified = None
            if self.last_modified_known and seen:
                last_modified = latest(self.changed_at(obj) for obj in seen)
            if self._shared_key:
                response.render()
                answer = SharedAnswer(
                    bytes(response.content),
                    response["Content-Type"],
                    response.get("Link"),
                    last_modified,
                )
                cache.set(self._shared_key, answer, settings.API_CACHE_SECONDS)
        variant = "subscriber" if reads_subscriber_content(request.user) else "public"
        return with_validators(request, response, variant=variant, last_modified=last_modified)

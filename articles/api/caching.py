"""HTTP caching for the API's read endpoints: validators on every answer, and anonymous
JSON answers shared through Django's cache for ``API_CACHE_SECONDS``.

The validators themselves (ETag, Last-Modified, 304) are the feeds' too, in
``articles.caching``. Browsing viewsets add them with a Last-Modified
(:class:`ConditionalGetMixin`); :class:`ApiValidatorsMiddleware` gives every
other GET under ``/api/`` (search, entities, the root, the schema) an ETag of its
body, so a tool can revalidate anything it reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.permissions import reads_subscriber_content
from articles.caching import latest, with_validators


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
        return with_validators(
            request,
            response,
            variant=reader_variant(request.user),
            last_modified=last_modified,
            shared=not request.user.is_authenticated,
        )


def reader_variant(user: Any) -> str:
    """What the ETag mixes in so a subscriber's tag never validates an anonymous copy."""
    if user is None:
        return "public"
    return "subscriber" if reads_subscriber_content(user) else "public"


class ApiValidatorsMiddleware:
    """ETag, Cache-Control and 304 for every GET under ``/api/`` that has no ETag yet.

    Runs after the view, so ``request.user`` is whoever DRF authenticated (DRF sets
    the token's user on the Django request too).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or "ETag" in response
            or response.streaming
            or not isinstance(response, HttpResponse)
        ):
            return response
        user = getattr(request, "user", None)
        anonymous = user is None or not user.is_authenticated
        return with_validators(
            request,
            response,
            variant=reader_variant(user),
            last_modified=None,
            shared=anonymous,
        )

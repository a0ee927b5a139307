"""HTTP validators shared by the API and the feeds: ``ETag``, ``Last-Modified`` and 304.

The ETag is a hash of the rendered body plus a variant (the caller's paywall
status), so it changes exactly when what the caller sees changes, including the
day a subscriber-only article becomes free. ``Last-Modified`` comes from the
rows' ``updated_at`` (and free dates) where the model has one; it is the weaker
validator and is used only when the request carries no ``If-None-Match``.

``Cache-Control``: an answer every anonymous reader shares may be kept by any
cache for ``PUBLIC_MAX_AGE`` seconds (0 with debug on, so development sees
edits at once); an answer for someone signed in is private and revalidated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag

from articles.models import Article

if TYPE_CHECKING:
    from rest_framework.request import Request

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


def cache_control(*, shared: bool) -> str:
    """``Cache-Control`` of an answer; ``shared``: the same for every anonymous reader.

    ``Vary: Authorization, Cookie`` keeps a shared copy from being served to someone
    signed in; the paywall changes at midnight, which a short max-age follows.
    """
    seconds: int = settings.PUBLIC_MAX_AGE
    if not shared:
        return "private, no-cache"
    return f"public, max-age={seconds}" if seconds else "no-cache"


def not_modified(
    request: HttpRequest | Request, *, etag: str, last_modified: dt.datetime | None
) -> bool:
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
    request: HttpRequest | Request,
    response: R,
    *,
    variant: str,
    last_modified: dt.datetime | None,
    shared: bool,
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
    response["Cache-Control"] = cache_control(shared=shared)
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    if not_modified(request, etag=etag, last_modified=last_modified):
        response.status_code = 304
        response.content = b""
        # A 304 has no body, so nothing describes one (RFC 9110, section 15.4.5).
        for header in ("Content-Type", "Content-Length", "Link"):
            if header in response:
                del response[header]
    return response

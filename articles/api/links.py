"""Absolute links in API answers: ``url`` (API), ``html_url`` (the page here), ``lwn_url``.

A list page writes several links per object, so each route is reversed once
per process into a path template and each request computes its origin once;
a link is then one string format (``reverse()`` per object and field showed
up in the list benchmark). Without a request (a serializer used on its own)
links are root-relative paths.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import get_script_prefix, reverse

from articles.links import url_name

# Stands in for a route's one argument while reversing it: digits and a dot satisfy every
# lookup pattern here (LWN ids, primary keys, versions such as 5.8, str converters).
_MARK = "90210.90210"
_INT_MARK = "90210"
# What reverse() leaves unquoted in a path (django.urls.resolvers), so a template quotes alike.
_SAFE = "/~:@!$&'()*+,;="


@functools.lru_cache(maxsize=64)
def _template(name: str, key: str, mark: str, script_prefix: str) -> str:
    # The script prefix is in the key: a template belongs to one mount point.
    return reverse(name, kwargs={key: mark}).replace(mark, "{}")


def path_template(name: str, key: str) -> str:
    """The path of route ``name`` with ``{}`` where its one argument ``key`` goes."""
    mark = _MARK if key == "version" else _INT_MARK
    return _template(name, key, mark, get_script_prefix())


def path_value(value: object) -> str:
    """``value`` as it goes into a path (an int needs no quoting: the common case)."""
    return str(value) if type(value) is int else quote(str(value), safe=_SAFE)


def path_of(name: str, key: str, value: object) -> str:
    """The path of route ``name`` whose one argument ``key`` is ``value``."""
    return path_template(name, key).format(path_value(value))


def list_path(name: str) -> str:
    return _list_path(name, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _list_path(name: str, script_prefix: str) -> str:
    return reverse(name)


def lwn_article_url(lwn_id: int | None, own: str | None = None) -> str | None:
    """An LWN page: ``own`` when the import recorded one, else built from the LWN id."""
    if own:
        return own
    return f"{settings.LWN_BASE_URL}/Articles/{lwn_id}/" if lwn_id else None


class Links:
    """One request's link builder: ``links.api("article-detail", "lwn_id", 5)``."""

    __slots__ = ("_templates", "origin")

    def __init__(self, request: Any | None) -> None:
        # build_absolute_uri honours the proxy settings (USE_X_FORWARDED_HOST, …).
        self.origin = request.build_absolute_uri("/")[:-1] if request is not None else ""
        # Absolute URL templates by (route, argument; "" for a list route), filled on
        # first use: a list page asks for the same few routes hundreds of times, and a
        # dict lookup is the cheapest way back.
        self._templates: dict[tuple[str, str], str] = {}

    def _url(self, name: str, key: str, value: object) -> str:
        template = self._templates.get((name, key))
        if template is None:
            template = self._templates[name, key] = self.origin + path_template(name, key)
        # path_value, inlined: this runs a few hundred times per list page.
        return template.format(str(value) if type(value) is int else quote(str(value), safe=_SAFE))

    def api(self, route: str, key: str, value: object) -> str:
        return self._url(f"api:{route}", key, value)

    def page(self, route: str, key: str, value: object) -> str:
        return self._url(f"articles:{route}", key, value)

    def _list(self, name: str) -> str:
        url = self._templates.get((name, ""))
        if url is None:
            url = self._templates[name, ""] = self.origin + list_path(name)
        return url

    def api_list(self, route: str, **query: object) -> str:
        url = self._list(f"api:{route}-list")
        return f"{url}?{urlencode(query)}" if query else url

    def page_list(self, route: str, **query: object) -> str:
        url = self._list(f"articles:{route}")
        return f"{url}?{urlencode(query)}" if query else url

    # The resources, one method each, so serializers read as what they link to.

    # The three a list of article summaries writes per row call ``_url`` directly.

    def article(self, lwn_id: int | None) -> str | None:
        return self._url("api:article-detail", "lwn_id", lwn_id) if lwn_id else None

    def article_page(self, lwn_id: int | None) -> str | None:
        return self._url("articles:article-detail", "lwn_id", lwn_id) if lwn_id else None

    def edition(self, lwn_id: int | None) -> str | None:
        return self._url("api:edition-detail", "lwn_id", lwn_id) if lwn_id else None

    def edition_page(self, lwn_id: int | None) -> str | None:
        return self.page("edition-detail", "lwn_id", lwn_id) if lwn_id else None

    def comment(self, lwn_id: int | None) -> str | None:
        return self.api("comment-detail", "lwn_id", lwn_id) if lwn_id else None

    def comment_page(self, article_lwn_id: int | None, lwn_id: int | None) -> str | None:
        page = self.article_page(article_lwn_id)
        return f"{page}#c{lwn_id}" if page and lwn_id else page

    def release(self, version: str | None) -> str | None:
        return self.api("release-detail", "version", version) if version else None

    def release_page(self, version: str | None) -> str | None:
        return self.page("release-detail", "version", version) if version else None

    def merge_item(self, pk: int) -> str:
        return self.api("merge-window-item-detail", "pk", pk)

    def merge_item_page(self, version: str | None, pk: int) -> str | None:
        page = self.release_page(version)
        return f"{page}#item-{pk}" if page else None

    def device(self, pk: int) -> str:
        return self.api("hardware-detail", "pk", pk)

    def device_page(self, version: str | None, category: str) -> str | None:
        # Devices have no page of their own: the hardware list of their release and category.
        if not version:
            return None
        return self.page_list("hardware-list", release=version, category=category)

    def entity(self, kind: str, name: str, view: str = "detail") -> str:
        base = self._list("api:entity-list")
        tail = "mentions/" if view == "mentions" else ""
        return f"{base}{kind}/{quote(url_name(kind, name), safe=_SAFE)}/{tail}"

    def entity_page(self, kind: str, name: str) -> str:
        base = self._list("articles:entity-list")
        return f"{base}{kind}/{quote(url_name(kind, name), safe=_SAFE)}/"


def links_for(context: dict[str, Any]) -> Links:
    """The request's ``Links`` (made once per request), from a serializer's context."""
    request = context.get("request")
    if request is None:
        return Links(None)
    links: Links | None = getattr(request, "_lwnkb_links", None)
    if links is None:
        links = Links(request)
        request._lwnkb_links = links
    return links


def blank_to_none(value: str | None) -> str | None:
    """Empty text is written as null across the API."""
    return value or None

"""Every route of the URL configuration, by a stable key, for the permission matrix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def route_key(namespace: str, name: str | None, route: str, has_format: bool) -> str:
    """``api:article-list``, ``api:article-list.<format>``, or the route when unnamed."""
    return f"{namespace}:{name or route}" + (".<format>" if has_format else "")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            has_format = "format" in pattern.pattern.regex.groupindex
            yield route_key(namespace, pattern.name, prefix + str(pattern.pattern), has_format)


def all_route_keys() -> set[str]:
    return set(_walk(get_resolver().url_patterns))

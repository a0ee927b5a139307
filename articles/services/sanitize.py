"""Sanitise HTML fragments before they are stored: the services' name for the allowlist.

The cleaner itself lives with the parser (``articles.lwn.sanitize``, no Django)
so that the limited parse step and the model field below the services can use
it; see that module for what it keeps and why.
"""

from __future__ import annotations

from articles.lwn.depth import MAX_DEPTH, html_depth
from articles.lwn.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    CleanHTML,
    html_flatten,
    html_sanitize,
    html_too_deep,
    page_sanitize,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "MAX_DEPTH",
    "URL_SCHEMES",
    "CleanHTML",
    "html_depth",
    "html_flatten",
    "html_sanitize",
    "html_too_deep",
    "page_sanitize",
]

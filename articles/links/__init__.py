"""Pure entity extraction: plain text in, typed ``Found`` mentions out.

No Django here (like ``articles.lwn``): the linking service
(``articles.services.linking``) stores what ``extract`` finds, and the
``entity_links`` template filter uses ``spans`` to link names in HTML.
"""

from __future__ import annotations

from articles.links.extract import Found, Span, extract, spans
from articles.links.names import KINDS, Kind, canonical, display, url_name
from articles.links.reference import reference

__all__ = [
    "KINDS",
    "Found",
    "Kind",
    "Span",
    "canonical",
    "display",
    "extract",
    "reference",
    "spans",
    "url_name",
]

"""Reading ``Link`` headers in tests, checking their RFC 8288 syntax on the way."""

from __future__ import annotations

import re
from typing import Any

# RFC 8288: link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ), comma-separated.
LINK_VALUE = r'<[^<>\s]+>(?:[ \t]*;[ \t]*[a-z]+="[^"]*")+'
LINK_HEADER = re.compile(rf"{LINK_VALUE}(?:[ \t]*,[ \t]*{LINK_VALUE})*")
LINK_PART = re.compile(r'<([^<>\s]+)>[ \t]*;[ \t]*rel="([^"]+)"')


def links(response: Any) -> dict[str, str]:
    """The ``Link`` header as ``{rel: url}``, after checking its RFC 8288 syntax."""
    header = response.headers.get("Link")
    if header is None:
        return {}
    assert LINK_HEADER.fullmatch(header), header
    found = {rel: url for url, rel in LINK_PART.findall(header)}
    assert set(found) <= {"next", "prev"}, header
    assert all(url.startswith("http://testserver/") for url in found.values()), header
    return found

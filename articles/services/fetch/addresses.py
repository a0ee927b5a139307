"""Which addresses lwnkb may fetch, and the addresses of LWN's pages.

Kept apart from the fetcher's requests: the allow-list is the fetcher's first promise
(only lwn.net, also after every redirect), and the API checks a source URL with the
same rule (``is_allowed``) before it queues an import.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from articles.services.fetch.types import FetchRefused

DEFAULT_BASE_URL = "https://lwn.net"
LWN_HOSTS = frozenset({"lwn.net", "www.lwn.net"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL without credentials, else None."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


class LWNAddresses:
    """The addresses of LWN's pages under ``base_url``, and which addresses are allowed:
    lwn.net and www.lwn.net on their usual ports, and (for tests) ``base_url``'s host."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL) -> None:
        base = origin(base_url)
        if base is None:
            raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._base_host = base[1:]

    def article_url(self, lwn_id: int) -> str:
        """The page of article (or edition, or comment) ``lwn_id``."""
        if lwn_id <= 0:
            raise ValueError(f"an LWN article id is a positive number, not {lwn_id}")
        return f"{self.base_url}/Articles/{lwn_id}/"

    def bigpage_url(self, lwn_id: int) -> str:
        """The one-page ("bigpage") form of weekly edition ``lwn_id``."""
        return self.article_url(lwn_id) + "bigpage"

    def home_url(self) -> str:
        """The home page: the latest headlines, each a teaser linking to its own page."""
        return f"{self.base_url}/"

    def current_url(self) -> str:
        """The current weekly edition."""
        return f"{self.base_url}/current/"

    def archive_url(self) -> str:
        """The archive of weekly editions."""
        return f"{self.base_url}/Archives/"

    def resolve_source(self, text: str) -> str:
        """An address to fetch from user input: an lwn.net URL or a bare article id.

        Raises FetchRefused for anything else."""
        text = text.strip()
        if re.fullmatch(r"[0-9]+", text) and int(text) > 0:
            return self.article_url(int(text))
        if text.lower().startswith(("lwn.net/", "www.lwn.net/")):
            text = "https://" + text
        return self.check_url(text)

    def is_allowed(self, url: str) -> bool:
        """True for lwn.net / www.lwn.net on their usual ports and for base_url's host."""
        found = origin(url)
        if found is None:
            return False
        _scheme, host, port = found
        if (host, port) == self._base_host:
            return True
        return host in LWN_HOSTS and port in _DEFAULT_PORTS.values()

    def check_url(self, url: str) -> str:
        """The normalised form of an allowed URL (https for lwn.net, no #fragment);
        raises FetchRefused for any other address."""
        if not self.is_allowed(url):
            raise FetchRefused(
                f"refusing to fetch {url}: only lwn.net addresses are allowed", url=url
            )
        parts = urlsplit(url.strip())
        scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
        if (parts.hostname or "").lower() in LWN_HOSTS:
            # Plain HTTP only costs LWN a redirect, and would expose the cookie.
            scheme, netloc = "https", (parts.hostname or "").lower()
        return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))

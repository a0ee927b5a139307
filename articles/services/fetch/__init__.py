"""The polite lwn.net fetcher and the imports that use it.

- ``client``: :class:`LWNFetcher`, the only code that sends requests to lwn.net;
- ``addresses``: the addresses it may fetch (lwn.net only) and those of LWN's pages;
- ``cache``, ``limits``, ``clock``, ``paywall``: its on-disk cache, its rate limit
  and backoff (``clock``: one shared interval across processes, on PostgreSQL), and
  how it recognises LWN's paywall page;
- ``types``: what it returns and raises;
- ``remote``: an edition or an article imported from lwn.net through it.

Only ``clock`` and ``remote`` need Django's models, so importing this package (or
the client) does not.
"""

from __future__ import annotations

from articles.services.fetch.client import LWNFetcher

__all__ = ["LWNFetcher"]

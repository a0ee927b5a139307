"""gunicorn's settings for lwnkb: ``gunicorn -c python:lwnkb.gunicorn_conf lwnkb.wsgi``.

The Dockerfile and docker-compose.yml use it. It keeps gunicorn in line with the
Django settings it serves:

- **Forwarded headers.** gunicorn by default believes ``X-Forwarded-Proto`` (and
  two similar headers) from 127.0.0.1, whatever ``LWNKB_BEHIND_TLS_PROXY`` says,
  so a plain-HTTP request through anything local was taken for HTTPS: no redirect,
  and HSTS sent over plain HTTP. Here gunicorn trusts no forwarded header unless
  the proxy setting is on, and then only ``X-Forwarded-Proto``, from the proxy,
  exactly as Django does (``SECURE_PROXY_SSL_HEADER``).
- **Shared limits.** The login limit and the throttles count in Django's cache; on
  a per-process cache (``locmem://``) every worker counts alone and the limits
  multiply by the number of workers. Several workers refuse to start on one; set
  ``LWNKB_CACHE_URL`` to Redis, or run one worker.
"""

from __future__ import annotations

import os
from typing import Any

import django.conf

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lwnkb.settings")
settings = django.conf.settings


def behind_tls_proxy() -> bool:
    """Whether Django trusts the proxy's X-Forwarded-Proto (``LWNKB_BEHIND_TLS_PROXY``)."""
    return bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None))


def per_process_cache() -> bool:
    """Whether Django's default cache lives inside each process (``locmem://``)."""
    backend: str = settings.CACHES["default"]["BACKEND"]
    return backend.endswith("LocMemCache")


forwarded_allow_ips: str
secure_scheme_headers: dict[str, str]
if behind_tls_proxy():
    # Only the proxy can reach gunicorn (docs/deployment.md), as Django assumes too.
    forwarded_allow_ips = "*"
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    # Nobody, not even 127.0.0.1 or a Unix socket peer, makes a request https.
    forwarded_allow_ips = ""
    secure_scheme_headers = {}


def on_starting(server: Any) -> None:
    """Refuse several workers on a per-process cache, before any worker starts."""
    workers = server.cfg.workers
    if workers > 1 and per_process_cache():
        raise RuntimeError(
            f"{workers} gunicorn workers on a per-process cache (LWNKB_CACHE_URL="
            f"{settings.CACHE_URL}) would each count logins and API requests alone, "
            f"multiplying every rate limit by {workers}. Set LWNKB_CACHE_URL to a Redis "
            "URL shared by all workers, or run a single worker (--workers 1)."
        )

"""The API's throttles: per client address (anonymous) and per account.

They live in :mod:`lwnkb.throttling`, because the search page and feed draw on
the same counters; this module names them for the API. Rates come from
``LWNKB_API_RATE_ANON`` and ``LWNKB_API_RATE_USER`` through
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``; a throttled request gets 429 with
``Retry-After`` (DRF sets it from ``wait()``).
"""

from __future__ import annotations

from lwnkb.throttling import AnonThrottle, UserThrottle

__all__ = ["AnonThrottle", "UserThrottle"]

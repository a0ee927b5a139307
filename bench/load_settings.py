"""Settings for ``make load``: lwnkb's production settings, with server errors logged.

With DEBUG off, Django would keep a 500's traceback to itself (its default
handlers mail admins, and there are none); the load run prints it to gunicorn's
error log instead, so a failing run says why.

``LWNKB_BENCH_TODAY`` (an ISO date; the archive benchmark sets it) moves this
process's clock (``django.utils.timezone.now``, which lwnkb reads for "today")
to that day, keeping the time of day: a generated archive's paywall then looks
as it did on that day, whenever the benchmark runs.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.utils import timezone

from lwnkb.settings import *  # noqa: F403
from lwnkb.settings import LOGGING as _BASE_LOGGING

_base: dict[str, Any] = dict(_BASE_LOGGING)
LOGGING = {
    **_base,
    "loggers": {
        **_base["loggers"],
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

if _today := os.environ.get("LWNKB_BENCH_TODAY"):
    _real_now = timezone.now
    _shift = dt.date.fromisoformat(_today) - _real_now().date()
    timezone.now = lambda: _real_now() + _shift

"""Settings for ``make load``: lwnkb's production settings, with server errors logged.

With DEBUG off, Django would keep a 500's traceback to itself (its default
handlers mail admins, and there are none); the load run prints it to gunicorn's
error log instead, so a failing run says why.
"""

from __future__ import annotations

from typing import Any

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

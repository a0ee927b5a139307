"""Typed readers for ``LWNKB_*`` environment variables.

Every setting lwnkb reads from the environment goes through one of these
helpers, so a malformed value stops start-up with a message that names the
variable instead of surfacing later as a confusing runtime error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

PREFIX = "LWNKB_"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
# What DRF's throttles understand: a count per second, minute, hour or day.
_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _key(name: str) -> str:
    return name if name.startswith(PREFIX) else PREFIX + name


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    env = os.environ if environ is None else environ
    key = _key(name)
    value = env.get(key)
    if value is None:
        # Secrets may come from a file (Docker/Kubernetes secrets) instead.
        path = env.get(key + "_FILE")
        if path:
            try:
                value = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ImproperlyConfigured(f"{key}_FILE: cannot read {path!r}: {exc}") from exc
    return value


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{_key(name)}={value!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off"
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{_key(name)}={value!r} is not a whole number") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{_key(name)}={number} is below the minimum of {minimum}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{_key(name)}={number} is above the maximum of {maximum}")
    return number


def env_float(
    name: str, default: float, *, minimum: float = 0.0, environ: Mapping[str, str] | None = None
) -> float:
    value = _raw(name, environ)
    if value is None or not value.strip():
        return default
    try:
        number = float(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{_key(name)}={value!r} is not a number") from None
    if number != number or number < minimum:  # NaN compares unequal to itself
        raise ImproperlyConfigured(f"{_key(name)}={value!r} must be a number >= {minimum}")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [part.strip() for part in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{_key(name)}={value!r} has an empty entry; separate values with single commas"
        )
    return items


def env_path(name: str, default: Path, *, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    if value is None or not value.strip():
        return default
    return Path(value.strip()).expanduser().resolve()


def env_url(
    name: str,
    default: str,
    *,
    schemes: tuple[str, ...],
    environ: Mapping[str, str] | None = None,
) -> str:
    value = env_str(name, default, environ=environ)
    if not value:
        return value
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{_key(name)}={value!r} must be a URL starting with one of: "
            + ", ".join(s + "://" for s in schemes)
        )
    return value


def env_choice(
    name: str, default: str, *, choices: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ=environ).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{_key(name)}={value!r} must be one of: {', '.join(choices)}")
    return value


def env_cron(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> crontab | None:
    """A five-field cron expression as a Celery ``crontab``; empty disables (``None``)."""
    value = _raw(name, environ)
    text = default if value is None else value.strip()
    if not text:
        return None
    fields = text.split()
    if len(fields) != 5:
        raise ImproperlyConfigured(
            f"{_key(name)}={text!r} is not a cron expression; use five fields: "
            "minute hour day-of-month month day-of-week"
        )
    minute, hour, day_of_month, month, day_of_week = fields
    try:
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month,
            day_of_week=day_of_week,
        )
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{_key(name)}={text!r} is not valid cron: {exc}") from exc


def env_rate(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    """A request rate such as ``60/min`` (per ``s``, ``min``, ``h`` or ``day``); empty disables.

    DRF would only fail on a malformed rate at the first throttled request, so it
    is checked here, at start-up.
    """
    value = _raw(name, environ)
    text = default if value is None else value.strip().lower()
    if not text:
        return None
    if not _RATE.match(text):
        raise ImproperlyConfigured(
            f"{_key(name)}={text!r} is not a rate; use a count per period, "
            "e.g. 60/min, 10/s, 1000/hour or 5000/day"
        )
    return text

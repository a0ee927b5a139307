"""Queueing a Celery task from below ``articles.tasks``, by its registered name.

Tasks call services, so services (and the search facade) never import
``articles.tasks``: they queue by name here and the layers stay one-way. With no
broker configured tasks run inline (``task_always_eager``), as ``delay`` would.
"""

from __future__ import annotations

from typing import Any

from kombu.exceptions import OperationalError as BrokerError

from lwnkb.celery import app

# What publishing a task raises when the broker is down or unreachable (kombu wraps
# the transport's connection errors in its OperationalError after its own retries).
BROKER_ERRORS: tuple[type[Exception], ...] = (BrokerError,)


def task_enqueue(name: str, *args: Any) -> None:
    """Queue task ``name`` (e.g. ``"articles.tasks.index_import"``) with ``args``.

    Raises one of ``BROKER_ERRORS`` when the broker refuses the message, and
    ``KeyError`` for a name no task is registered under (a typo must not pass).
    """
    app.tasks[name].delay(*args)


def tasks_run_inline() -> bool:
    """True when no broker is configured and queued tasks run in the caller."""
    return bool(app.conf.task_always_eager)

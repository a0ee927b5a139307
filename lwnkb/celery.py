"""The Celery application; configuration comes from Django settings (``CELERY_*``)."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lwnkb.settings")

app = Celery("lwnkb")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _recycle_connections(sender: Task | None = None, **kwargs: Any) -> None:
    """Between tasks, what Django does between requests: close a connection that is
    older than ``CONN_MAX_AGE`` or broken, keep the others (``CELERY_DB_REUSE_MAX``).

    Not for a task run inline (no broker): it runs inside its caller's transaction.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    close_old_connections()

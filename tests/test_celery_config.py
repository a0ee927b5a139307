"""The effective Celery configuration: a misspelt setting would fail silently."""

from __future__ import annotations

from typing import Any

import pytest
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from lwnkb.celery import app
from lwnkb.env import env_cron


def test_it_uses_json_only_and_acknowledges_late() -> None:
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit == 600
    assert conf.task_soft_time_limit == 570
    assert conf.timezone == "UTC"


def test_it_runs_tasks_inline_without_a_broker() -> None:
    assert app.conf.task_always_eager is True
    assert app.conf.broker_url == "memory://"


def test_it_registers_every_task_with_limits_and_named_retries() -> None:
    app.loader.import_default_modules()
    names = {
        "articles.tasks.import_edition",
        "articles.tasks.import_current_edition",
        "articles.tasks.import_front_page",
        "articles.tasks.refresh_comments",
        "articles.tasks.refresh_recent_comments",
        "articles.tasks.reparse_raw_page",
    }
    assert names <= set(app.tasks)
    for name in names:
        task = app.tasks[name]
        assert task.time_limit, name
        assert task.soft_time_limit, name
        assert task.soft_time_limit < task.time_limit, name
    # Autoretry options are set on the task class at runtime; the stubs do not know them.
    fetch_task: Any = app.tasks["articles.tasks.import_edition"]
    assert {cls.__name__ for cls in fetch_task.autoretry_for} == {
        "FetchUnavailable",
        "OperationalError",
        "InterfaceError",
    }
    assert fetch_task.retry_jitter is True
    assert fetch_task.retry_backoff_max == 900
    assert fetch_task.max_retries == 5


def test_it_schedules_the_weekly_edition_the_home_page_and_daily_comment_refresh() -> None:
    schedule = app.conf.beat_schedule
    assert set(schedule) == {
        "import-new-edition",
        "import-front-page",
        "refresh-recent-comments",
        "sweep-imports",
    }
    weekly = schedule["import-new-edition"]
    assert weekly["task"] == "articles.tasks.import_current_edition"
    assert weekly["schedule"] == crontab(minute="15", hour="22", day_of_week="thu")
    # Four times a day: the home page changes between editions, and LWN asks for restraint.
    home = schedule["import-front-page"]
    assert home["task"] == "articles.tasks.import_front_page"
    assert home["schedule"] == crontab(minute="5", hour="*/6")
    daily = schedule["refresh-recent-comments"]
    assert daily["task"] == "articles.tasks.refresh_recent_comments"
    assert daily["schedule"] == crontab(minute="40", hour="3")


def test_it_reads_schedules_from_cron_expressions() -> None:
    assert env_cron("S", "0 1 * * *", environ={"LWNKB_S": "30 20 * * thu"}) == crontab(
        minute="30", hour="20", day_of_week="thu"
    )
    assert env_cron("S", "0 1 * * *", environ={"LWNKB_S": ""}) is None
    with pytest.raises(ImproperlyConfigured, match="five fields"):
        env_cron("S", "0 1 * * *", environ={"LWNKB_S": "every thursday"})

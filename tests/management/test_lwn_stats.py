from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from tests.factories import ArticleFactory, CommentFactory, HardwareDeviceFactory

pytestmark = pytest.mark.django_db

ZEROS = {
    "editions": 0,
    "articles": {"feature": 0, "guest": 0, "brief": 0},
    "comments": 0,
    "releases": 0,
    "merge_window_items": 0,
    "hardware_devices": 0,
    "entities": 0,
    "mentions": 0,
    "import_runs": {"running": 0, "ok": 0, "skipped": 0, "failed": 0},
}


def stats_json() -> dict[str, Any]:
    out = io.StringIO()
    call_command("lwn_stats", "--json", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_it_answers_with_zeros_on_an_empty_database() -> None:
    assert stats_json() == ZEROS


def test_it_counts_articles_by_kind_and_everything_else() -> None:
    ArticleFactory.create(kind="guest")
    CommentFactory.create()  # brings a feature article and its edition along
    HardwareDeviceFactory.create()  # and another article, edition and release
    stats: dict[str, Any] = stats_json()
    assert stats["articles"] == {"feature": 2, "guest": 1, "brief": 0}
    assert stats["editions"] == 3
    assert stats["comments"] == 1
    assert stats["releases"] == 1
    assert stats["hardware_devices"] == 1


def test_it_prints_a_readable_table_without_json() -> None:
    ArticleFactory.create(kind="brief")
    out = io.StringIO()
    call_command("lwn_stats", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["editions", "1"]
    assert "  brief" in out.getvalue()

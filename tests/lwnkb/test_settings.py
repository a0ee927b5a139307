"""Settings behave as documented; each case runs a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_KEY = "k" * 60


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A production-like environment: no lwnkb settings, and no test-only Django switches
    # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LWNKB_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path: Path) -> None:
    result = manage("check", env={"LWNKB_DEBUG": "false", "LWNKB_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "LWNKB_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_it_names_the_variable_when_a_value_is_malformed(tmp_path: Path) -> None:
    result = manage("check", env={"LWNKB_DEBUG": "sometimes", "LWNKB_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "LWNKB_DEBUG='sometimes' is not a boolean" in result.stderr


@pytest.mark.slow
def test_it_passes_the_deployment_checklist_in_production(tmp_path: Path) -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "LWNKB_SECRET_KEY": PROD_KEY + "-random-7f3a9c",
            "LWNKB_ALLOWED_HOSTS": "lwnkb.example.org",
            "LWNKB_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_it_runs_the_embedded_default_with_nothing_but_debug_set(tmp_path: Path) -> None:
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.INDEX_DIR)",
        env={"LWNKB_DEBUG": "true", "LWNKB_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "True",
        str(tmp_path / "index"),
    ]


@pytest.mark.slow
def test_it_uses_postgres_and_a_broker_when_configured(tmp_path: Path) -> None:
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        env={
            "LWNKB_DEBUG": "true",
            "LWNKB_DATA_DIR": str(tmp_path),
            "LWNKB_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lwnkb",
            "LWNKB_BROKER_URL": "redis://127.0.0.1:6379/15",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "False",
        "redis://127.0.0.1:6379/15",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("setting", "expected"), [(None, "off"), ("true", "on")])
def test_it_turns_postgres_jit_off_unless_asked(
    tmp_path: Path, setting: str | None, expected: str
) -> None:
    env = {
        "LWNKB_DEBUG": "true",
        "LWNKB_DATA_DIR": str(tmp_path),
        "LWNKB_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    if setting is not None:
        env["LWNKB_DATABASE_JIT"] = setting
    result = manage(
        "shell",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW jit'); print(c.fetchone()[0])",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == expected

"""The shipped gunicorn settings (``lwnkb.gunicorn_conf``), on a real gunicorn on loopback."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lwnkb.test_settings import ROOT
from tests.multihost.hosts import free_port

pytestmark = pytest.mark.slow

CONFIG = "python:lwnkb.gunicorn_conf"
PROBE = "/no-such-page/"


def _env(tmp_path: Path, **env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LWNKB_")}
    clean.pop("FORWARDED_ALLOW_IPS", None)
    return {
        **clean,
        "LWNKB_DEBUG": "false",
        "LWNKB_SECRET_KEY": "g" * 60 + "-gunicorn-probe",
        "LWNKB_ALLOWED_HOSTS": "127.0.0.1",
        "LWNKB_DATA_DIR": str(tmp_path),
        "LWNKB_HSTS_SECONDS": "600",
        **env,
    }


def _command(port: int, workers: int) -> list[str]:
    return [
        *(sys.executable, "-m", "gunicorn", "-c", CONFIG, "lwnkb.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--error-logfile", "-"),
    ]


@contextlib.contextmanager
def _gunicorn(tmp_path: Path, *, workers: int = 1, **env: str) -> Iterator[int]:
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        _command(port, workers),
        cwd=ROOT,
        env=_env(tmp_path, **env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError((tmp_path / "gunicorn.log").read_text())
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/favicon.ico")
                conn.getresponse()
                conn.close()
                break
            assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()


def _get(port: int, **headers: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", PROBE, headers=headers)
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()


FORGED = [
    {"X-Forwarded-Proto": "https"},
    {"X-Forwarded-Ssl": "on"},
    {"X-Forwarded-Protocol": "ssl"},
]


@pytest.mark.parametrize("forged", FORGED, ids=lambda h: next(iter(h)))
def test_it_redirects_plain_http_whatever_it_claims_without_the_proxy_setting(
    tmp_path: Path, forged: dict[str, str]
) -> None:
    """From 127.0.0.1 too, which gunicorn would otherwise trust."""
    with _gunicorn(tmp_path) as port:
        response = _get(port, **forged)
    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{port}{PROBE}"
    assert response.getheader("Strict-Transport-Security") is None


def test_it_follows_the_proxys_forwarded_proto_with_the_proxy_setting(tmp_path: Path) -> None:
    with _gunicorn(tmp_path, LWNKB_BEHIND_TLS_PROXY="true") as port:
        over_https = _get(port, **{"X-Forwarded-Proto": "https"})
        plain = _get(port)
        other_header = _get(port, **{"X-Forwarded-Ssl": "on"})
    assert over_https.status == 404
    assert over_https.getheader("Strict-Transport-Security") == (
        "max-age=600; includeSubDomains; preload"
    )
    assert plain.status == 301
    assert plain.getheader("Strict-Transport-Security") is None
    # Only the header Django trusts; gunicorn's other defaults are not.
    assert other_header.status == 301


def test_it_refuses_several_workers_on_a_per_process_cache(tmp_path: Path) -> None:
    done = subprocess.run(
        _command(free_port(), 2),
        cwd=ROOT,
        env=_env(tmp_path, LWNKB_CACHE_URL="locmem://"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "2 gunicorn workers on a per-process cache" in done.stderr
    assert "LWNKB_CACHE_URL" in done.stderr


def test_it_starts_one_worker_on_a_per_process_cache(tmp_path: Path) -> None:
    with _gunicorn(tmp_path, workers=1, LWNKB_CACHE_URL="locmem://") as port:
        assert _get(port).status == 301


def test_it_starts_several_workers_on_a_shared_cache(tmp_path: Path) -> None:
    redis = os.environ.get("LWNKB_TEST_BROKER_URL")
    if not redis:
        pytest.skip("no Redis for the tests (LWNKB_TEST_BROKER_URL)")
    with _gunicorn(tmp_path, workers=2, LWNKB_CACHE_URL=redis) as port:
        assert _get(port).status == 301


def test_a_gunicorn_without_the_settings_warns_that_limits_are_per_process(
    tmp_path: Path,
) -> None:
    """A bare ``gunicorn lwnkb.wsgi`` cannot be refused; its workers say so, loudly."""
    port = free_port()
    command = _command(port, 2)
    del command[3:5]  # no -c python:lwnkb.gunicorn_conf
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_env(tmp_path, LWNKB_CACHE_URL="locmem://"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while log.read_text().count("every login limit and throttle multiplies") < 2:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)


def test_workers_started_with_the_settings_do_not_warn(tmp_path: Path) -> None:
    with _gunicorn(tmp_path, workers=1, LWNKB_CACHE_URL="locmem://") as port:
        _get(port)
    assert "multiplies" not in (tmp_path / "gunicorn.log").read_text()

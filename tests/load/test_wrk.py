"""The load harness's wrk script and readers, against a small local server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bench.load import failures, import_outcome
from bench.load_mix import SHARES, build_mix
from bench.load_wrk import lua_script, parse_wrk_output, read_access_log, run_wrk


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status = 503 if self.path.startswith("/boom") else 200
        body = b"ok\n"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # wrk drops its connections mid-request when its time is up


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.seen = []
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.mark.load
def test_it_replays_the_mix_and_counts_server_errors(wrk: str, server: str, tmp_path: Path) -> None:
    script = tmp_path / "mix.lua"
    script.write_text(lua_script(["/fine/?q=a%20b", "/boom/", "/fine/2/"]))
    result = run_wrk(server, script, seconds=2, connections=4, threads=2)
    assert result.requests > 10
    assert set(result.statuses) == {200, 503}
    assert result.server_errors == result.statuses[503] > 0
    assert sum(result.statuses.values()) == result.requests
    assert {"/fine/?q=a%20b", "/boom/", "/fine/2/"} == set(_Handler.seen)
    assert 0 < result.latency_ms["p50"] <= result.latency_ms["p99"] <= result.latency_ms["max"]
    assert "Latency Distribution" in result.output  # wrk's own table stays in the log


def test_it_refuses_paths_that_are_not_plain_request_paths() -> None:
    with pytest.raises(ValueError, match="not a plain request path"):
        lua_script(["/ok/", "http://elsewhere/"])
    with pytest.raises(ValueError, match="not a plain request path"):
        lua_script(['/a"\n/b'])
    with pytest.raises(ValueError, match="no paths"):
        lua_script([])


def test_it_fails_when_wrk_printed_no_result_line() -> None:
    with pytest.raises(RuntimeError, match="no LOAD_RESULT line"):
        parse_wrk_output("Running 1s test @ http://127.0.0.1:1\n")


def test_it_counts_5xx_in_the_access_log(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(
        '200 0.010 "GET /articles/1/ HTTP/1.1"\n'
        '503 0.200 "GET /search/?q=x HTTP/1.1"\n'
        "[2026-01-01 00:00:00] a line that is not an access line\n"
        '500 1.500 "GET /api/v1/articles/ HTTP/1.1"\n'
    )
    access = read_access_log(log)
    assert access.total == 3
    assert access.statuses[200] == 1
    assert access.server_errors == [
        "503 GET /search/?q=x HTTP/1.1",
        "500 GET /api/v1/articles/ HTTP/1.1",
    ]


def test_it_builds_the_mix_in_its_shares_over_every_kind_of_url() -> None:
    paths, counts = build_mix(
        articles=list(range(1000, 1300)),
        editions=[10, 11],
        releases=["5.8", "5.9"],
        authors=["Jake Edge"],
        entities=[("syscall", "faccessat2")],
        size=1000,
    )
    assert len(paths) == 1000 == sum(counts.values())
    assert counts == {kind: round(1000 * share) for kind, share in SHARES.items()}
    assert sum(p.startswith("/articles/") for p in paths) == counts["article page"]
    assert len({p for p in paths if p.startswith("/articles/")}) == 300  # each article once
    assert any(p.startswith("/api/v1/search/?q=") for p in paths)
    assert "/api/v1/articles/?entity=syscall%3Afaccessat2" in paths
    with pytest.raises(ValueError, match="no articles"):
        build_mix(articles=[], editions=[1], releases=["5.8"], authors=[], entities=[])


def test_it_fails_a_run_on_any_5xx_socket_error_or_failed_import() -> None:
    good: dict[str, Any] = {
        "requests": 100,
        "server_errors": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "access_log": {"server_errors": 0},
        "import": import_outcome(0, "imported 3, skipped 0 unchanged, failed 0\n", 3),
    }
    assert good["import"]["outcome"] == "ok"
    assert failures(good) == []
    assert failures({**good, "access_log": {"server_errors": 1}})
    assert failures({**good, "server_errors": 2})
    assert failures({**good, "socket_errors": {"connect": 0, "read": 1}})
    short = import_outcome(0, "imported 2, skipped 1 unchanged, failed 0\n", 3)
    assert failures({**good, "import": short})
    assert import_outcome(1, "imported 3, skipped 0 unchanged, failed 0\n", 3)["outcome"] == (
        "failed"
    )
    assert import_outcome(None, "", 3)["outcome"] == "failed"

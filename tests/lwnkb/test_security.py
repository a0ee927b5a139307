from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from tests.lwnkb.test_settings import ROOT, manage


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.mark.django_db
def test_it_sends_a_content_security_policy_without_inline_scripts(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
@override_settings(LOGIN_RATE_LIMIT=3, LOGIN_RATE_WINDOW=120)
def test_it_rate_limits_admin_logins_per_address(client: Client) -> None:
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "x", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post("/admin/login/", {"username": "x", "password": "wrong"})
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 200
    assert client.get("/admin/login/").status_code == 200  # reading the form is not limited


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/articles/", "/admin/login/", "/no-such-page/"])
def test_it_sends_the_security_headers_on_every_kind_of_answer(client: Client, path: str) -> None:
    response = client.get(path)
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@override_settings(LOGIN_RATE_LIMIT=2, LOGIN_RATE_WINDOW=60)
def test_it_rate_limits_admin_logins_when_served_under_a_sub_path(client: Client) -> None:
    """Behind a proxy that mounts the site at /kb/, the path the limit sees has no prefix."""
    for _ in range(2):
        response = client.post(
            "/admin/login/", {"username": "x", "password": "y"}, SCRIPT_NAME="/kb"
        )
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "x", "password": "y"}, SCRIPT_NAME="/kb")
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_RATE_LIMIT=2, LOGIN_RATE_WINDOW=60)
def test_it_ignores_a_forged_forwarded_for_unless_behind_the_documented_proxy(
    client: Client,
) -> None:
    def login(forged: str) -> int:
        return client.post(
            "/admin/login/", {"username": "x"}, HTTP_X_FORWARDED_FOR=forged
        ).status_code

    assert [login("192.0.2.1"), login("192.0.2.2"), login("192.0.2.99")] == [200, 200, 429]


@pytest.mark.django_db
@override_settings(
    LOGIN_RATE_LIMIT=1,
    LOGIN_RATE_WINDOW=60,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
def test_it_limits_each_address_the_proxy_reports_separately(client: Client) -> None:
    def login(forwarded: str) -> int:
        return client.post(
            "/admin/login/", {"username": "x"}, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert login("203.0.113.5") == 200
    assert login("203.0.113.5") == 429
    # The proxy appends the address it saw; what the client wrote before it is not trusted.
    assert login("203.0.113.5, 203.0.113.6") == 200


# What a production process answers over the proxy's https and over plain http.
_PROBE = (
    "from django.test import Client\n"
    "for proto in ('https', 'http'):\n"
    "    r = Client().get('/no-such-page/', HTTP_X_FORWARDED_PROTO=proto)\n"
    "    print('PROBE', proto, r.status_code, r.get('Location', '-'),"
    " r.get('Strict-Transport-Security', '-'), r.get('X-Frame-Options', '-'), sep='|')\n"
)


def _production(tmp_path: Path, **env: str) -> dict[str, list[str]]:
    base = {
        "LWNKB_SECRET_KEY": "p" * 60 + "-probe-4c1e",
        "LWNKB_ALLOWED_HOSTS": "testserver",
        "LWNKB_DATA_DIR": str(tmp_path),
    }
    result = manage("shell", "-c", _PROBE, env={**base, **env})
    assert result.returncode == 0, result.stderr
    lines = [ln.split("|") for ln in result.stdout.splitlines() if ln.startswith("PROBE|")]
    return {line[1]: line[2:] for line in lines}


@pytest.mark.slow
def test_it_sends_hsts_over_https_reported_by_the_documented_proxy(tmp_path: Path) -> None:
    answers = _production(tmp_path, LWNKB_BEHIND_TLS_PROXY="true", LWNKB_HSTS_SECONDS="600")
    assert answers["https"] == ["404", "-", "max-age=600; includeSubDomains; preload", "DENY"]
    assert answers["http"][:3] == ["301", "https://testserver/no-such-page/", "-"]


@pytest.mark.slow
def test_it_distrusts_forwarded_proto_without_the_proxy_setting(tmp_path: Path) -> None:
    answers = _production(tmp_path)
    # Anyone could send the header: without LWNKB_BEHIND_TLS_PROXY it is plain http.
    assert answers["https"][:3] == ["301", "https://testserver/no-such-page/", "-"]


@pytest.mark.slow
def test_it_reads_the_secret_key_from_a_file_in_production(tmp_path: Path) -> None:
    secret = tmp_path / "secret_key"
    secret.write_text("f" * 60 + "-from-a-file-9b2d\n")
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "LWNKB_SECRET_KEY_FILE": str(secret),
            "LWNKB_ALLOWED_HOSTS": "lwnkb.example.org",
            "LWNKB_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.SECRET_KEY.endswith('-from-a-file-9b2d'))",
        env={"LWNKB_SECRET_KEY_FILE": str(secret), "LWNKB_DATA_DIR": str(tmp_path)},
    )
    assert shown.stdout.splitlines()[-1] == "True", shown.stderr


class _Osv(BaseHTTPRequestHandler):
    """A stand-in for OSV's query API: one package is vulnerable, or every query fails."""

    protocol_version = "HTTP/1.1"
    vulnerable = "django"
    failing = False

    def do_POST(self) -> None:
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.failing:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        answer: dict[str, object] = {}
        if query["package"]["name"] == self.vulnerable:
            events = [{"introduced": "0"}, {"fixed": "99.0.1"}]
            affected = {
                "package": {"name": self.vulnerable, "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
            }
            answer = {"vulns": [{"id": "LWNKB-TEST-1", "summary": "x", "affected": [affected]}]}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def osv() -> Iterator[str]:
    _Osv.vulnerable, _Osv.failing = "django", False
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Osv)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _audit(osv_url: str) -> subprocess.CompletedProcess[str]:
    """``make audit`` over the pinned requirements, against ``osv_url``."""
    return subprocess.run(
        ["make", "--no-print-directory", "audit", f"AUDIT_ARGS=-s osv --osv-url {osv_url}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_it_fails_the_audit_on_a_vulnerable_pinned_dependency(osv: str) -> None:
    pinned = re.search(r"^Django==(\S+)$", (ROOT / "requirements" / "base.txt").read_text(), re.M)
    assert pinned is not None
    result = _audit(osv)
    assert result.returncode != 0
    assert re.search(
        rf"django\s+{re.escape(pinned.group(1))}\s+LWNKB-TEST-1\s+99\.0\.1", result.stdout
    )


@pytest.mark.slow
def test_it_passes_the_audit_when_no_pinned_dependency_is_affected(osv: str) -> None:
    _Osv.vulnerable = "no-such-package"
    result = _audit(osv)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No known vulnerabilities found" in result.stderr


@pytest.mark.slow
def test_it_fails_the_audit_when_the_service_answers_errors(osv: str) -> None:
    _Osv.failing = True
    result = _audit(osv)
    assert result.returncode != 0
    assert "No known vulnerabilities found" not in result.stdout + result.stderr


@pytest.mark.slow
def test_it_fails_the_audit_when_the_service_cannot_be_reached() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    result = _audit(f"http://127.0.0.1:{port}/v1/query")
    assert result.returncode != 0
    assert "No known vulnerabilities found" not in result.stdout + result.stderr

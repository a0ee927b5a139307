"""A fake lwn.net on 127.0.0.1 for tests: real sockets, a routing table, a request log.

    with FakeLWN() as lwn:
        lwn.routes["/Articles/1/"] = Reply(body="<html>…</html>", headers={"ETag": '"v1"'})
        fetcher = LWNFetcher(base_url=lwn.url, ...)
        ...
        assert lwn.requests[0].headers["user-agent"].startswith("lwnkb/")

A route is a :class:`Reply`, a handler ``(Recorded) -> Reply``, or a list of those
answered in turn (the last one repeats). Like a real server, a 200 reply whose ETag
matches If-None-Match (or whose Last-Modified equals If-Modified-Since) is sent as a
bodiless 304. Unknown paths answer 404.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Reply:
    """One canned response; ``delay`` seconds pass before anything is sent."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Recorded(NamedTuple):
    """One request as the server saw it; header names are lower-cased; ``at`` is when
    it arrived (``time.monotonic()``)."""

    method: str
    path: str
    headers: dict[str, str]
    at: float = 0.0


Handler = Callable[[Recorded], Reply]
Route = Reply | Handler | list[Reply | Handler]


def subscription_page(article_id: int = 783673, free_on: str | None = "April 4, 2019") -> str:
    """LWN's "Subscription required" page, in the shape of the saved 2019 page."""
    alternatively = (
        f"(Alternatively, this item will become freely available on {free_on})" if free_on else ""
    )
    return f"""<!DOCTYPE html>
<html><head><title>Subscription required [LWN.net]</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><div class="PageHeadline"><h1>Subscription required</h1></div>
<div class="ArticleText"> <!-- offer -->The page you have tried to view
(<a href="/Articles/{article_id}/">A paywalled article</a>) is currently available to
LWN subscribers only. <!-- exp -->
<table class="Form"><tr><td><form action="/Login/" method="post">
<input type="hidden" name="target" value="/Articles/{article_id}/"></form></td></tr></table>
<!-- login -->
<p>{alternatively}
</div></body></html>
"""


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is part of the tests, not a failure.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FakeLWN:
    """A local HTTP server that imitates lwn.net; use as a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Recorded] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler_class(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, ``http://127.0.0.1:<port>`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        return [request.path for request in self.requests]

    def start(self) -> FakeLWN:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeLWN:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _reply_for(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            path = request.path
            route = self.routes.get(path)
            if route is None:
                path = path.split("?", 1)[0]
                route = self.routes.get(path)
            if route is None:
                return Reply(404, "<html><head><title>Not found</title></head></html>")
            if isinstance(route, list):
                served = self._served.get(path, 0)
                self._served[path] = served + 1
                route = route[min(served, len(route) - 1)]
        return route if isinstance(route, Reply) else route(request)

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        request = Recorded(
            handler.command,
            handler.path,
            {k.lower(): v for k, v in handler.headers.items()},
            time.monotonic(),
        )
        reply = self._reply_for(request)
        if reply.delay:
            time.sleep(reply.delay)
        status, headers = reply.status, dict(reply.headers)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        if status == 200 and _not_modified(request.headers, headers):
            status, body = 304, b""
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        headers["Content-Length"] = str(len(body))
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(body)
        except ConnectionError:
            pass  # the client gave up waiting (a read-timeout test)


def _not_modified(request: dict[str, str], reply: dict[str, str]) -> bool:
    etag = next((v for k, v in reply.items() if k.lower() == "etag"), None)
    modified = next((v for k, v in reply.items() if k.lower() == "last-modified"), None)
    if etag is not None and "if-none-match" in request:
        return request["if-none-match"] == etag
    return modified is not None and request.get("if-modified-since") == modified


def _handler_class(fake: FakeLWN) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        server_version = "FakeLWN/1.0"

        def do_GET(self) -> None:
            fake._serve(self)

        def do_HEAD(self) -> None:
            fake._serve(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean; FakeLWN.requests is the log

    return _Handler

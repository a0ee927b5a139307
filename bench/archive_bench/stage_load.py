"""The load stage: ``make load``'s machinery (gunicorn, wrk, the request mix) on this database.

No import runs alongside (``make load`` adds one; here the archive is the load):
wrk drives ``--seconds`` (60) with 50 connections through the mix of
``bench/load_mix.py`` built from this database's rows, against gunicorn with
production settings and the deployed 5 s anonymous API cache. Per request class
(as ``load_mix`` names them) p50/p99 come from gunicorn's access log, which
records each request's own time.

First the same mix runs ``--warmup`` seconds (30; 0 for none) unmeasured, and the
stage waits until the server has answered everything: a fresh worker reads each
index segment's columns, lengths and words once (at full size, tens of seconds of
CPU per worker, four workers on two cores), as a server that has been up a while
already has. The warm-up's own figures are kept beside the measured ones.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.load import gunicorn, mix_from_database
from bench.load_wrk import lua_script, read_access_log, run_wrk

from .target import Target, timings_ms

_LINE = re.compile(r'^(\d{3}) ([0-9.]+) "\S+ (\S+)')
_ARTICLE = re.compile(r"^/articles/\d+/$")


def request_class(path: str) -> str:
    if _ARTICLE.match(path):
        return "article page"
    if path.startswith(("/search/", "/api/v1/search/")):
        return "search"
    if path.startswith("/api/"):
        return "api list"
    return "other page"


def per_class(access_log: Path) -> dict[str, dict[str, Any]]:
    seconds: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for line in access_log.read_text(errors="replace").splitlines():
        match = _LINE.match(line.strip())
        if match is None:
            continue
        kind = request_class(match.group(3))
        seconds[kind].append(float(match.group(2)))
        if int(match.group(1)) >= 500:
            errors[kind] += 1
    return {
        kind: {"requests": len(samples), "5xx": errors[kind], **timings_ms(samples)}
        for kind, samples in sorted(seconds.items())
    }


def _settled(log: Path, *, quiet: float = 15.0, limit: float = 240.0) -> None:
    """Wait until ``log`` has not grown for ``quiet`` seconds: the requests wrk gave up on
    when it stopped are answered (and logged) before the measured run starts. A cold
    request can run for many seconds while nothing else is logged, hence the long quiet."""
    started = last_change = time.monotonic()
    size = -1
    while time.monotonic() - started < limit:
        now = log.stat().st_size if log.exists() else 0
        if now != size:
            size, last_change = now, time.monotonic()
        elif time.monotonic() - last_change >= quiet:
            return
        time.sleep(0.5)


def run(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    seconds: int = getattr(args, "seconds", 60)
    logs = target.work / "logs" / "load"
    logs.mkdir(parents=True, exist_ok=True)
    for name in ("access.log", "gunicorn.log", "wrk.txt"):
        (logs / name).unlink(missing_ok=True)
    env = target.env(broker=False)
    env.pop("LWNKB_API_CACHE_SECONDS")  # the deployed anonymous cache, as make load has it
    paths, mix = mix_from_database(target.database_url)
    script = logs / "mix.lua"
    script.write_text(lua_script(paths))
    warmup: int = getattr(args, "warmup", 30)
    log = logs / "access.log"
    measured = logs / "access-measured.log"
    warm: dict[str, Any] = {}
    with gunicorn(env, logs, workers=4, threads=4) as port:
        url = f"http://127.0.0.1:{port}"
        if warmup:
            print(f"load: warm-up, wrk for {warmup} s", file=sys.stderr, flush=True)
            run_wrk(url, script, seconds=warmup, connections=50, threads=2)
            _settled(log)
            warm = per_class(log)
        start = log.stat().st_size if log.exists() else 0
        print(f"load: wrk for {seconds} s, 50 connections", file=sys.stderr, flush=True)
        wrk = run_wrk(url, script, seconds=seconds, connections=50, threads=2)
    (logs / "wrk.txt").write_text(wrk.output)
    with log.open("rb") as whole:
        whole.seek(start)
        measured.write_bytes(whole.read())
    access = read_access_log(measured)
    classes = per_class(measured)
    search_p50 = classes.get("search", {}).get("p50_ms")
    article_p50 = classes.get("article page", {}).get("p50_ms")
    return {
        "warmup_seconds": warmup,
        "warmup": warm,
        "seconds": round(wrk.seconds, 1),
        "connections": 50,
        "mix": mix,
        "requests": wrk.requests,
        "statuses": {str(k): v for k, v in sorted(access.statuses.items())},
        "first_server_errors": access.server_errors,
        "socket_errors": wrk.socket_errors,
        "table": {
            "requests_per_second": round(wrk.requests_per_second, 1),
            # The same requests seen from both ends: the larger count, never their sum.
            "5xx": max(wrk.server_errors, sum(n for s, n in access.statuses.items() if s >= 500)),
            "search_p50_x_article_p50": round(search_p50 / article_p50, 2)
            if search_p50 and article_p50
            else None,
            **classes,
        },
    }

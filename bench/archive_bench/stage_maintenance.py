"""The maintenance stage: ``lwn_reindex``, ``lwn_relink`` and ``lwn_reparse --all`` timed.

Each command runs as a user runs it, on this scale's database and index, with its
peak memory sampled (and its child processes': ``lwn_reparse``'s parsers).
``lwn_reparse --all`` parses every page again through the import path and stores
the pages whose rows change, so their follow-ups (linking, indexing) go to a worker
as an import's do, and its time runs until they are all done, like the import
stage's. Its summary line says how many pages changed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any

from .procs import PeakSampler
from .stage_import import index_mb, task_seconds, wait_followups
from .target import ROOT, Target
from .worker import Worker, broker_flush


def timed(target: Target, *args: str, sampler: PeakSampler, role: str) -> dict[str, Any]:
    log = target.work / "logs" / f"{role}.log"
    print(f"maintenance: manage.py {' '.join(args)}", file=sys.stderr, flush=True)
    started = time.monotonic()
    with log.open("w") as out:
        command = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=target.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        sampler.watch(role, command.pid)
        try:
            while command.poll() is None:
                time.sleep(0.5)
                sampler.sample()
        finally:
            if command.poll() is None:
                command.terminate()
                command.wait(timeout=30)
            del sampler.watched[role]
    seconds = time.monotonic() - started
    if command.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} exited {command.returncode}; see {log}")
    result: dict[str, Any] = {"seconds": round(seconds, 1), "peak_rss_mb": sampler.peaks.get(role)}
    if f"{role}_child" in sampler.peaks:  # lwn_reparse's parser processes
        result["child_peak_rss_mb"] = sampler.peaks[f"{role}_child"]
    result["summary"] = log.read_text(errors="replace").strip().splitlines()[-1:]
    return result


def run(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    logs = target.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    table: dict[str, Any] = {}
    commands = set(args.commands.split(","))
    if unknown := commands - {"reindex", "relink", "reparse"}:
        raise SystemExit(f"--commands: unknown {', '.join(sorted(unknown))}")
    with PeakSampler() as sampler:
        if "reindex" in commands:
            table["reindex"] = timed(target, "lwn_reindex", sampler=sampler, role="reindex")
            table["reindex"]["index_mb"] = index_mb(target.index_dir)
        if "relink" in commands:
            table["relink"] = timed(target, "lwn_relink", sampler=sampler, role="relink")
        if "reparse" not in commands:
            return {"table": table}
        broker_flush(target)
        with Worker(target, logs / "worker-reparse.log") as worker:
            sampler.watch("worker", worker.pid)
            started = time.monotonic()
            reparse = timed(target, "lwn_reparse", "--all", sampler=sampler, role="reparse")
            wait_followups(target, worker, started)
            reparse["seconds_with_followups"] = round(time.monotonic() - started, 1)
            reparse["worker_peak_rss_mb"] = sampler.peaks.get("worker")
            reparse["worker_child_peak_rss_mb"] = sampler.peaks.get("worker_child")
        reparse["tasks"] = task_seconds(logs / "worker-reparse.log")
        table["reparse_all"] = reparse
    return {"table": table}

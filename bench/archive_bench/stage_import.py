"""The import stage: ``manage.py lwn_import ARCHIVE`` with a worker doing the follow-ups.

Wall time runs from the command's start until every ``ok`` import is linked and
indexed (``followups_done_at`` set on every run, the queues empty). The split:
parse and store is the command's own wall time (the sum of its runs' durations
too); link and index are the worker's task runtimes from its log (``after_import``
links; ``index_import`` indexes page by page, ``index_bulk_import`` is the one rebuild
of a bulk import: the command picks with its ``--index auto``), summed, plus the tail
the worker needed after the command had finished. Then ``VACUUM (ANALYZE)``, timed on
its own (``vacuum_after``), as autovacuum would after such an import.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from .procs import PeakSampler
from .target import ROOT, Target
from .worker import Worker, broker_flush, queued

_STEP = re.compile(r"^import \[(\d+)/(\d+)\] ")
_TASK = re.compile(r"Task articles\.tasks\.(\w+)\[[^\]]+\] succeeded in ([0-9.]+)s")
INDEX_TASKS = ("index_import", "index_bulk_import")
PENDING_SQL = (
    "SELECT count(*) FROM articles_importrun WHERE outcome = 'ok' AND followups_done_at IS NULL"
)
UNCHANGED_SQL = (
    "SELECT count(*) FROM articles_importrun WHERE outcome = 'ok' AND counts ? 'unchanged'"
)
COUNTS = {
    "editions": "articles_edition",
    "articles": "articles_article",
    "comments": "articles_comment",
    "releases": "articles_kernelrelease",
    "merge_items": "articles_mergewindowitem",
    "devices": "articles_hardwaredevice",
    "entities": "articles_entity",
    "mentions": "articles_mention",
}


def manifest_of(archive: Path) -> dict[str, Any]:
    path = archive / "manifest.json"
    if not path.exists():
        raise SystemExit(
            f"{archive}: no manifest.json; generate it with `make archive SCALE=… OUT={archive}`"
        )
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def du_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def index_mb(index_dir: Path) -> float:
    """The whoosh index readers use: the generation ``CURRENT`` names, not older ones."""
    pointer = index_dir / "CURRENT"
    if pointer.exists():
        return du_mb(index_dir / pointer.read_text().strip())
    return du_mb(index_dir)


def _follow_progress(stream: IO[str], log: IO[str], started: float) -> int:
    """Copy the command's stderr to its log; a progress line per step of pages."""
    done = total = 0
    every = 50
    for line in stream:
        log.write(line)
        match = _STEP.match(line)
        if match is None:
            if "failed" in line.lower() or "error" in line.lower():
                sys.stderr.write(f"  import: {line}")
            continue
        done, total = int(match.group(1)), int(match.group(2))
        every = max(50, total // 100)
        if done % every == 0 or done == total:
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0.0
            eta = (total - done) / rate if rate else 0.0
            print(
                f"  import {done}/{total} pages, {rate:.1f} pages/s, "
                f"{elapsed / 60:.1f} min, ETA {eta / 60:.1f} min",
                file=sys.stderr,
                flush=True,
            )
    return done


def wait_followups(target: Target, worker: Worker, started: float) -> None:
    last_report = 0.0
    while True:
        pending = int(target.sql(PENDING_SQL)[0][0])
        waiting = queued(target)
        if pending == 0 and waiting == 0:
            return
        if worker.process.poll() is not None:
            raise RuntimeError(f"the worker died; see {worker.log}")
        now = time.monotonic()
        if now - last_report >= 15:
            print(
                f"  follow-ups: {pending} imports not yet linked and indexed, "
                f"{waiting} messages queued, {(now - started) / 60:.1f} min",
                file=sys.stderr,
                flush=True,
            )
            last_report = now
        time.sleep(1)


def task_seconds(log: Path) -> dict[str, dict[str, float]]:
    """Per task name: how many ran and their summed runtime, from the worker's log."""
    tasks: dict[str, dict[str, float]] = {}
    for match in _TASK.finditer(log.read_text(errors="replace")):
        entry = tasks.setdefault(match.group(1), {"count": 0, "seconds": 0.0})
        entry["count"] += 1
        entry["seconds"] = round(entry["seconds"] + float(match.group(2)), 1)
    return tasks


def run(target: Target, args: argparse.Namespace | None = None) -> dict[str, Any]:
    manifest = manifest_of(target.archive)
    logs = target.work / "logs"
    print(f"import: fresh database {target.db_name}, index {target.index_dir}", file=sys.stderr)
    target.recreate()
    shutil.rmtree(target.index_dir, ignore_errors=True)
    logs.mkdir(parents=True, exist_ok=True)
    (target.work / "static").mkdir(parents=True, exist_ok=True)
    broker_flush(target)
    target.manage("migrate", "--no-input")

    with (
        Worker(target, logs / "worker.log") as worker,
        PeakSampler() as sampler,
        (logs / "import.log").open("w") as log,
        (logs / "import.out").open("w") as out,
    ):
        sampler.watch("worker", worker.pid)
        started = time.monotonic()
        command = subprocess.Popen(
            [sys.executable, "manage.py", "lwn_import", str(target.archive)],
            cwd=ROOT,
            env=target.env(),
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
        )
        sampler.watch("import", command.pid)
        assert command.stderr is not None
        try:
            pages = _follow_progress(command.stderr, log, started)
            # One last sample while the command still exists: VmHWM dies with it.
            sampler.sample()
            command.wait()
        finally:
            if command.poll() is None:
                command.terminate()
                command.wait(timeout=30)
        import_seconds = time.monotonic() - started
        del sampler.watched["import"]
        print(
            f"import: command done in {import_seconds:.0f} s; waiting for follow-ups",
            file=sys.stderr,
        )
        # Statistics for the links still queued: autovacuum would gather them on a
        # server that has it on (this machine's has not), and without them the link
        # tasks' plans are those of an empty database.
        target.sql("ANALYZE")
        wait_followups(target, worker, started)
        total_seconds = time.monotonic() - started
    # What autovacuum does after such an import on a server that has it on (this
    # machine's has not): without the visibility map every index-only scan of the later
    # stages reads the heap as well, which costs more the bigger the archive, and the
    # pages would measure the missing vacuum rather than themselves. Timed on its own:
    # a server runs it in the background, not as part of the import.
    vacuum_started = time.monotonic()
    target.sql("VACUUM (ANALYZE)")
    vacuum_seconds = time.monotonic() - vacuum_started
    summary = (logs / "import.out").read_text().strip()
    tasks = task_seconds(logs / "worker.log")
    runs = target.sql(
        "SELECT outcome, count(*), sum(extract(epoch FROM finished_at - started_at)) "
        "FROM articles_importrun GROUP BY outcome"
    )
    stored = {
        name: int(target.sql(f"SELECT count(*) FROM {table}")[0][0])
        for name, table in COUNTS.items()
    }
    return {
        "archive": str(target.archive),
        "manifest": {
            k: manifest[k] for k in ("pages", "editions", "articles", "comments", "bytes")
        },
        "command": {"exit_code": command.returncode, "summary": summary},
        "pages": pages,
        "seconds": {
            "total": round(total_seconds, 1),
            "parse_and_store": round(import_seconds, 1),
            "followups_after_command": round(total_seconds - import_seconds, 1),
            "link_tasks": tasks.get("after_import", {}).get("seconds", 0.0),
            "index_tasks": round(sum(tasks.get(t, {}).get("seconds", 0.0) for t in INDEX_TASKS), 1),
            "vacuum_after": round(vacuum_seconds, 1),
        },
        "tasks": tasks,
        "runs": {str(o): {"count": int(n), "seconds": round(float(s or 0), 1)} for o, n, s in runs},
        # "ok" runs whose page changed no row (no follow-ups): e.g. a page repeating what
        # an earlier one stored.
        "runs_unchanged": int(target.sql(UNCHANGED_SQL)[0][0]),
        "pages_per_second": round(pages / total_seconds, 2) if total_seconds else 0.0,
        "pages_per_second_command": round(pages / import_seconds, 2) if import_seconds else 0.0,
        "peak_rss_mb": sampler.peaks,
        "stored": stored,
        "sizes_mb": {
            "database": round(
                int(target.sql("SELECT pg_database_size(current_database())")[0][0]) / 1e6, 1
            ),
            "index": index_mb(target.index_dir),
            "archive": round(int(manifest["bytes"]) / 1e6, 1),
        },
    }

"""Every process of an archive benchmark lives on the archive's day, not the calendar's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.archive_bench.target import BENCH_TODAY, ROOT, Target

SHOW_TODAY = (
    "import django; django.setup(); from django.utils import timezone; "
    "print(timezone.now().date().isoformat(), timezone.now().tzname())"
)


def test_it_runs_the_benchmarks_processes_two_days_after_the_last_edition(tmp_path: Path) -> None:
    env = Target(0.01, tmp_path / "archive", root=tmp_path).env()
    shown = subprocess.run(
        [sys.executable, "-c", SHOW_TODAY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["2026-11-28", "UTC"]  # the last edition is of 2026-11-26
    assert BENCH_TODAY.isoformat() == shown[0]

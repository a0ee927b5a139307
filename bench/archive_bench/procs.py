"""Peak memory of processes we start, sampled from /proc (Linux).

``VmHWM`` is the kernel's own high-water mark of a process's resident set, so a
sample taken a second before it exits is its peak; children, and theirs, are found
through ``/proc/PID/task/PID/children`` and each one's peak is kept.
"""

from __future__ import annotations

import threading
from pathlib import Path


def _kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(c) for c in path.read_text().split()]
    except OSError:
        return []


def peak_mb(pid: int) -> float:
    return _kb(pid, "VmHWM") / 1024


class PeakSampler:
    """Samples named processes (and their children) every ``interval`` seconds."""

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.watched: dict[str, int] = {}
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, role: str, pid: int) -> None:
        self.watched[role] = pid

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sample()
        self._stop.set()
        self._thread.join(timeout=5)

    def sample(self) -> None:
        for role, pid in list(self.watched.items()):
            self._sample(role, pid)

    def _sample(self, role: str, pid: int) -> None:
        # A role's children are "<role>_child", theirs "<role>_child_child" (the
        # rebuild's writer processes under the worker's pool process), and so on.
        self._keep(role, peak_mb(pid))
        for child in children(pid):
            self._sample(f"{role}_child", child)

    def _keep(self, role: str, mb: float) -> None:
        if mb:
            self.peaks[role] = round(max(self.peaks.get(role, 0.0), mb), 1)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

"""``var/bench/archive-<scale>.json``: each stage's figures merged in, printed as a table."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


def load(path: Path) -> dict[str, Any]:
    if path.exists():
        loaded: dict[str, Any] = json.loads(path.read_text())
        return loaded
    return {}


def merge(path: Path, stage: str, figures: dict[str, Any]) -> dict[str, Any]:
    """Replace ``stage`` in the results file (other stages' figures stay) and return it."""
    results = load(path)
    results["machine"] = machine()
    results.setdefault("stages", {})[stage] = {
        **figures,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return results


def _flat(prefix: str, value: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}" if prefix else str(key), inner, rows)
    elif isinstance(value, list):
        rows.append((prefix, ", ".join(str(v) for v in value)[:80]))
    else:
        rows.append((prefix, str(value)))


def table(results: dict[str, Any], stages: list[str]) -> str:
    """One ``name  value`` line per figure of the given stages."""
    rows: list[tuple[str, str]] = []
    for stage in stages:
        figures = results.get("stages", {}).get(stage)
        if figures is not None:
            _flat(stage, figures.get("table", figures), rows)
    width = max((len(name) for name, _ in rows), default=0)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)

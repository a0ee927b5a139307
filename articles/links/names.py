"""Canonical entity names, as stored and as used in URLs.

One rule per kind, shared by the extractor, the lookups behind
``/entities/<kind>/<name>/`` and the API, so that ``faccessat2()``,
``FACCESSAT2`` and ``faccessat2`` all name the same entity.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

Kind = Literal["syscall", "capability", "config", "release", "knob", "path", "person", "project"]
KINDS: tuple[str, ...] = get_args(Kind)

_CALL_SUFFIX = re.compile(r"\s*\(.*\)\s*$")
_RELEASE = re.compile(
    r"^(?:linux[\s-]*|v)?(\d+\.\d+(?:\.\d+)?)(?:-rc\d+)?(?:\s+kernel)?$", re.IGNORECASE
)
# A process id in a /proc path, however it is written: 1234, PID, <pid>, [pid], $pid, self.
_PROC_PID = re.compile(r"^/proc/(?:\d+|pid|PID|<pid>|\[pid\]|\{pid\}|\$pid|self|N)(?=/|$)")
_TRAILING = ".,;:!?-"


def canonical(kind: str, raw: str) -> str:
    """The canonical name of ``raw`` as an entity of ``kind`` ('' if it cannot be one)."""
    text = " ".join(raw.split())
    if kind == "syscall":
        return _CALL_SUFFIX.sub("", text).lower()
    if kind in ("capability", "config"):
        return text.upper()
    if kind == "release":
        match = _RELEASE.match(text)
        return match.group(1) if match else ""
    if kind == "knob":
        return text.lower().rstrip(_TRAILING)
    if kind == "path":
        path = "/" + text.lstrip("/").rstrip(_TRAILING).rstrip("/")
        return _PROC_PID.sub("/proc/pid", path)
    return text


def url_name(kind: str, name: str) -> str:
    """``name`` as the last part of an entity URL (paths lose their leading slash)."""
    return name.lstrip("/") if kind == "path" else name


def display(kind: str, name: str) -> str:
    """How a name is shown: syscalls with their parentheses."""
    return f"{name}()" if kind == "syscall" else name

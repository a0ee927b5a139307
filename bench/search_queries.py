"""The query set of ``bench_search``: each query for the facade and its PostgreSQL twin."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PgQuery:
    """The baseline's equivalent: a tsquery function and text, plus SQL for qualifiers."""

    text: str
    function: str = "websearch_to_tsquery"
    where: str = ""
    params: tuple[object, ...] = ()


PREFIX = "prefix"
QUERIES: list[tuple[str, str, PgQuery]] = [
    ("word", "scheduler", PgQuery("scheduler")),
    ("word", "verifier", PgQuery("verifier")),
    ("word", "writeback", PgQuery("writeback")),
    ("word", "throughput", PgQuery("throughput")),
    ("and", "memory reclaim", PgQuery("memory reclaim")),
    ("and", "security policy namespace", PgQuery("security policy namespace")),
    ("and", "patch review maintainer", PgQuery("patch review maintainer")),
    ("phrase", '"page cache"', PgQuery('"page cache"')),
    ("phrase", '"system call"', PgQuery('"system call"')),
    ("phrase", '"merge window"', PgQuery('"merge window"')),
    ("identifier", "io_uring_enter", PgQuery("io_uring_enter")),
    ("identifier", "CAP_PERFMON", PgQuery("CAP_PERFMON")),
    ("identifier", "CONFIG_BPF_SYSCALL", PgQuery("CONFIG_BPF_SYSCALL")),
    ("identifier", "memory.swap.high", PgQuery("memory.swap.high")),
    ("identifier", "faccessat2()", PgQuery("faccessat2")),
    (PREFIX, "sched*", PgQuery("sched:*", "to_tsquery")),
    (PREFIX, "alloc*", PgQuery("alloc:*", "to_tsquery")),
    (PREFIX, "swap*", PgQuery("swap:*", "to_tsquery")),
    (PREFIX, "perf*", PgQuery("perf:*", "to_tsquery")),
    (PREFIX, "regr*", PgQuery("regr:*", "to_tsquery")),
    (
        "qualifier",
        "type:article scheduler",
        PgQuery("scheduler", where="AND type = %s", params=("article",)),
    ),
    (
        "qualifier",
        'author:"Jake Edge" memory',
        PgQuery("memory", where="AND author = %s", params=("Jake Edge",)),
    ),
    (
        "qualifier",
        "release:>=6.1 verifier",
        PgQuery("verifier", where="AND release_key >= %s", params=(6_001_000,)),
    ),
    (
        "qualifier",
        "after:2024-01-01 writeback",
        PgQuery("writeback", where="AND date >= %s", params=(dt.date(2024, 1, 1),)),
    ),
    ("qualifier", "title:kernel", PgQuery("kernel:A", "to_tsquery")),
]


def release_key(version: str) -> int:
    major, minor = (int(part) for part in version.split("."))
    return major * 1_000_000 + minor * 1_000

"""The query set of ``bench_search``, by category; both backends answer it through the facade."""

from __future__ import annotations

PREFIX = "prefix"
QUERIES: list[tuple[str, str]] = [
    ("word", "scheduler"),
    ("word", "verifier"),
    ("word", "writeback"),
    ("word", "throughput"),
    ("and", "memory reclaim"),
    ("and", "security policy namespace"),
    ("and", "patch review maintainer"),
    ("phrase", '"page cache"'),
    ("phrase", '"system call"'),
    ("phrase", '"merge window"'),
    ("identifier", "io_uring_enter"),
    ("identifier", "CAP_PERFMON"),
    ("identifier", "CONFIG_BPF_SYSCALL"),
    ("identifier", "memory.swap.high"),
    ("identifier", "faccessat2()"),
    (PREFIX, "sched*"),
    (PREFIX, "alloc*"),
    (PREFIX, "swap*"),
    (PREFIX, "perf*"),
    (PREFIX, "regr*"),
    ("qualifier", "type:article scheduler"),
    ("qualifier", 'author:"Jake Edge" memory'),
    ("qualifier", "release:>=6.1 verifier"),
    ("qualifier", "after:2024-01-01 writeback"),
    ("qualifier", "title:kernel"),
]

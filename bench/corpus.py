"""A generated corpus for the search and linking benchmarks.

Deterministic (seeded), LWN-flavoured: 10% article-length documents and 90%
comment-length ones, with kernel identifiers (system calls, capabilities,
config options, knobs, paths, releases) mixed into ordinary prose.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

WORDS = [
    "kernel",
    "memory",
    "page",
    "cache",
    "scheduler",
    "thread",
    "process",
    "lock",
    "mutex",
    "spinlock",
    "patch",
    "series",
    "maintainer",
    "review",
    "merge",
    "window",
    "release",
    "developer",
    "filesystem",
    "block",
    "device",
    "driver",
    "network",
    "packet",
    "socket",
    "buffer",
    "queue",
    "interrupt",
    "timer",
    "clock",
    "latency",
    "throughput",
    "security",
    "sandbox",
    "filter",
    "policy",
    "namespace",
    "container",
    "cgroup",
    "controller",
    "user",
    "space",
    "interface",
    "system",
    "call",
    "argument",
    "structure",
    "pointer",
    "flag",
    "option",
    "feature",
    "support",
    "hardware",
    "cpu",
    "core",
    "architecture",
    "arm",
    "x86",
    "risc",
    "compiler",
    "toolchain",
    "rust",
    "build",
    "test",
    "regression",
    "performance",
    "benchmark",
    "workload",
    "allocation",
    "reclaim",
    "swap",
    "writeback",
    "journal",
    "inode",
    "directory",
    "mount",
    "permission",
    "capability",
    "privilege",
    "root",
    "tracing",
    "probe",
    "event",
    "ring",
    "map",
    "program",
    "verifier",
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "for",
    "is",
    "that",
    "with",
    "on",
    "as",
    "it",
    "be",
    "this",
    "by",
    "are",
    "was",
    "can",
    "will",
    "not",
    "have",
    "from",
    "or",
    "an",
    "which",
    "but",
    "has",
    "been",
    "more",
    "would",
    "there",
    "their",
    "when",
    "also",
    "some",
    "than",
    "its",
    "about",
    "discussion",
    "mailing",
    "list",
    "proposal",
    "change",
    "problem",
    "solution",
    "approach",
    "question",
    "answer",
]
SYSCALLS = [
    "faccessat2",
    "openat2",
    "clone3",
    "io_uring_enter",
    "io_uring_setup",
    "pidfd_open",
    "pidfd_getfd",
    "seccomp",
    "bpf",
    "setns",
    "mmap",
    "madvise",
    "process_madvise",
    "close_range",
    "statx",
    "tee",
    "splice",
    "ioctl",
    "futex_waitv",
    "landlock_create_ruleset",
    "memfd_secret",
    "epoll_pwait2",
    "mount_setattr",
]
CAPABILITIES = [
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_SYS_ADMIN",
    "CAP_NET_ADMIN",
    "CAP_CHECKPOINT_RESTORE",
    "CAP_AUDIT_READ",
    "CAP_SYS_PTRACE",
    "CAP_DAC_OVERRIDE",
]
CONFIGS = [
    "CONFIG_BPF_SYSCALL",
    "CONFIG_IO_URING",
    "CONFIG_SECCOMP_FILTER",
    "CONFIG_PREEMPT_RT",
    "CONFIG_DEBUG_INFO_BTF",
    "CONFIG_MEMCG",
    "CONFIG_RUST",
    "CONFIG_KASAN",
]
KNOBS = ["memory.swap.high", "memory.high", "vm.swappiness", "kernel.unprivileged_bpf_disabled"]
PATHS = ["/proc/pid/map_files", "/sys/kernel/debug", "/proc/sys/vm/overcommit_memory"]
RELEASES = [f"5.{n}" for n in range(4, 20)] + [f"6.{n}" for n in range(0, 15)]
SECTIONS = ("Front page", "Brief items: Kernel development", "Brief items: Security")
AUTHORS = ("Jonathan Corbet", "Jake Edge", "Daroc Alden", "Joe Brockmeier", "John Stultz")
TYPES_ARTICLE = ("article", "merge")


@dataclass(frozen=True, slots=True)
class CorpusDoc:
    id: int
    type: str  # article, merge, hardware or comment
    title: str
    body: str
    date: dt.date
    release: str
    section: str
    author: str


def _identifier(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.4:
        return rng.choice(SYSCALLS) + ("()" if rng.random() < 0.5 else "")
    if pick < 0.6:
        return rng.choice(CAPABILITIES)
    if pick < 0.75:
        return rng.choice(CONFIGS)
    if pick < 0.9:
        return rng.choice(KNOBS)
    return rng.choice(PATHS)


def _prose(rng: random.Random, words: int) -> str:
    out: list[str] = []
    sentence = 0
    for _ in range(words):
        token = _identifier(rng) if rng.random() < 0.03 else rng.choice(WORDS)
        out.append(token.capitalize() if sentence == 0 and token[0].islower() else token)
        sentence += 1
        if sentence > 8 and rng.random() < 0.12:
            out[-1] += "."
            sentence = 0
    return " ".join(out) + "."


def generate(n: int, *, seed: int = 0) -> Iterator[CorpusDoc]:
    """``n`` documents; the same ``n`` and ``seed`` always give the same corpus."""
    rng = random.Random(seed)
    start = dt.date(2019, 1, 3)
    for i in range(n):
        long = i % 10 == 0
        doc_type = rng.choice(TYPES_ARTICLE) if long else "comment"
        words = rng.randint(500, 1200) if long else rng.randint(30, 150)
        title_words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
        if rng.random() < 0.2:
            title_words += " " + _identifier(rng)
        yield CorpusDoc(
            id=i + 1,
            type=doc_type,
            title=title_words.capitalize(),
            body=_prose(rng, words),
            date=start + dt.timedelta(days=rng.randint(0, 7 * 365)),
            release=rng.choice(RELEASES),
            section=rng.choice(SECTIONS),
            author=rng.choice(AUTHORS),
        )

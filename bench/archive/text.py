"""Generated prose: a Zipf-distributed vocabulary with kernel identifiers mixed in.

The vocabulary is fixed (it does not depend on the seed), so two archives of any seed
share their words; only which words a page uses depends on the seed. Made-up words
fill the long tail so that search sees tens of thousands of distinct terms without
copying anybody's text.
"""

from __future__ import annotations

import itertools
import random
from functools import lru_cache
from html import escape


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# The head of the distribution: ordinary English words, most frequent first.
COMMON_WORDS = _split(
    "the of and to a in is that for it as with be on this not are by can will have"
    " from or but an which has was more one so their they been would when there all"
    " new some its than other only what also into about time just may these could any"
    " how now should most work need way because use make does even where much those"
    " kernel code system developers change patch memory user support process file data"
    " problem version release project maintainer developer changes patches feature"
    " features space device driver drivers interface call calls tree mainline series"
    " review reviewers discussion thread list mailing merge window current next older"
    " newer performance security bug bugs fix fixes test tests testing build option"
    " options value values structure structures page pages cache lock locks locking"
    " scheduler filesystem filesystems network networking packet packets hardware"
    " program programs application applications library libraries distribution"
    " distributions community license free software source open tools tool compiler"
    " language python rust debian fedora ubuntu arch gentoo container containers"
    " namespace namespaces cgroup controller controllers policy policies approach"
    " proposal idea ideas question answer point reason result results number numbers"
    " large small fast slow simple complex different same first last long short"
    " good better best hard easy clear likely possible real actual early late"
    " people someone everybody nobody users vendors companies project's years year"
    " week weeks month months day days before after while since until without"
    " against between through during across under over again already still never"
    " always often sometimes perhaps probably certainly instead however although"
    " though then thus therefore rather quite very too well here very"
)

# Kernel identifiers: real names of the kinds readers search for.
SYSCALLS = _split(
    "openat2 faccessat2 clone3 close_range pidfd_open pidfd_getfd pidfd_send_signal"
    " process_madvise epoll_pwait2 landlock_create_ruleset landlock_add_rule"
    " landlock_restrict_self memfd_secret futex_waitv set_mempolicy_home_node"
    " cachestat fchmodat2 map_shadow_stack listmount statmount mseal io_uring_setup"
    " io_uring_enter io_uring_register bpf perf_event_open seccomp userfaultfd"
    " membarrier statx copy_file_range renameat2 getrandom memfd_create execveat"
    " mount_setattr open_tree move_mount fsopen fsmount fspick rseq pkey_alloc"
    " mlock2 preadv2 pwritev2 sched_setattr kcmp finit_module splice tee vmsplice"
    " madvise mmap mremap mprotect ioctl prctl ptrace setns unshare"
)
CAPABILITIES = _split(
    "CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE CAP_SYS_ADMIN CAP_NET_ADMIN"
    " CAP_NET_RAW CAP_SYS_PTRACE CAP_SYS_RESOURCE CAP_SYS_NICE CAP_AUDIT_READ"
    " CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_MAC_ADMIN CAP_SETUID"
    " CAP_SETGID CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_CHOWN CAP_KILL"
    " CAP_IPC_LOCK CAP_SYS_BOOT CAP_SYS_RAWIO CAP_SYS_TIME CAP_MKNOD"
)
CONFIG_OPTIONS = _split(
    "CONFIG_BPF_SYSCALL CONFIG_PREEMPT_RT CONFIG_DEBUG_INFO_BTF CONFIG_KASAN"
    " CONFIG_UBSAN CONFIG_KCSAN CONFIG_LOCKDEP CONFIG_PROVE_LOCKING CONFIG_RUST"
    " CONFIG_SECURITY_LANDLOCK CONFIG_IO_URING CONFIG_USERFAULTFD CONFIG_NUMA"
    " CONFIG_TRANSPARENT_HUGEPAGE CONFIG_MEMCG CONFIG_CGROUP_BPF CONFIG_SCHED_CLASS_EXT"
    " CONFIG_HARDENED_USERCOPY CONFIG_STACKPROTECTOR CONFIG_RANDOMIZE_BASE"
    " CONFIG_MODULE_SIG CONFIG_INIT_STACK_ALL_ZERO CONFIG_ZSWAP CONFIG_ZRAM"
)
KNOBS = _split(
    "vm.swappiness vm.overcommit_memory vm.dirty_ratio vm.min_free_kbytes"
    " vm.max_map_count kernel.perf_event_paranoid kernel.unprivileged_bpf_disabled"
    " kernel.yama.ptrace_scope kernel.kptr_restrict kernel.dmesg_restrict"
    " kernel.randomize_va_space net.core.somaxconn net.ipv4.tcp_congestion_control"
    " net.ipv4.ip_forward net.core.bpf_jit_enable fs.file-max fs.inotify.max_user_watches"
    " memory.swap.high memory.high memory.max"
)
PATHS = _split(
    "/proc/pid/maps /proc/pid/smaps /proc/meminfo /proc/self/status /proc/sys/vm/swappiness"
    " /proc/pressure/memory /proc/kallsyms /sys/kernel/debug /sys/kernel/mm/transparent_hugepage"
    " /sys/fs/cgroup /sys/fs/bpf /dev/shm /dev/mem /dev/kmsg /etc/fstab /boot/config"
)

_ONSETS = _split(
    "b br c ch cl cr d dr f fl fr g gl gr h j k kl kr l m n p pl pr qu r s sc"
    " sh sk sl sm sn sp st str t th tr v w wh z"
)
_VOWELS = _split("a e i o u ai ea ie oo ou y")
_CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "nd", "rt", "st", "ck", "x", "ng", "sh")

VOCABULARY_SIZE = 40_000
ZIPF_EXPONENT = 1.07


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[float]]:
    """The words, most frequent first, and their cumulative Zipf weights."""
    words = list(dict.fromkeys(COMMON_WORDS))
    seen = set(words)
    rng = random.Random(1998)  # fixed: the vocabulary is the same for every seed
    while len(words) < VOCABULARY_SIZE:
        syllables = rng.choice((2, 2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        if word not in seen and 4 <= len(word) <= 14:
            seen.add(word)
            words.append(word)
    weights = [1.0 / (rank**ZIPF_EXPONENT) for rank in range(1, len(words) + 1)]
    return words, list(itertools.accumulate(weights))


def identifier(rng: random.Random) -> str:
    """One kernel identifier as written in LWN text (system calls with parentheses)."""
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(SYSCALLS) + "()"
    if kind < 0.55:
        return rng.choice(CAPABILITIES)
    if kind < 0.75:
        return rng.choice(CONFIG_OPTIONS)
    if kind < 0.9:
        return rng.choice(KNOBS)
    return rng.choice(PATHS)


def words(rng: random.Random, count: int) -> list[str]:
    population, cum_weights = vocabulary()
    return rng.choices(population, cum_weights=cum_weights, k=count)


def sentence(rng: random.Random, *, identifiers: float = 0.25, accent: str = "") -> str:
    """One sentence of HTML: Zipf words, sometimes a ``<tt>`` identifier or an
    *accent* word (non-ASCII text the page's charset must carry)."""
    parts = words(rng, rng.randint(7, 22))
    if rng.random() < identifiers:
        parts.insert(rng.randrange(1, len(parts)), "<tt>" + escape(identifier(rng)) + "</tt>")
    if accent and rng.random() < 0.15:
        parts.insert(rng.randrange(1, len(parts)), accent)
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, *, sentences: tuple[int, int] = (2, 6), accent: str = "") -> str:
    count = rng.randint(*sentences)
    return " ".join(sentence(rng, accent=accent) for _ in range(count))


def title(rng: random.Random) -> str:
    """A headline: a few Zipf words, sometimes around an identifier."""
    parts = words(rng, rng.randint(3, 7))
    if rng.random() < 0.3:
        parts.insert(rng.randrange(0, len(parts)), identifier(rng))
    text = " ".join(parts)
    return text[0].upper() + text[1:]


def proper_name(rng: random.Random) -> str:
    """A capitalised made-up word (people, companies, devices)."""
    population, _ = vocabulary()
    return rng.choice(population[len(COMMON_WORDS) :]).capitalize()

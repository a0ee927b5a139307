"""The pure extractor: rules per kind, on short texts (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.links import canonical, extract, spans


def names(text: str, kind: str | None = None) -> list[str]:
    return [f.name for f in extract(text) if kind is None or f.kind == kind]


def kinds(text: str) -> set[tuple[str, str]]:
    return {(f.kind, f.name) for f in extract(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The new faccessat2() system call adds flags.", ["faccessat2"]),
        ("Calls such as openat2 and clone3 pass structures.", ["openat2", "clone3"]),
        ("Call madvise(p, len, MADV_DONTNEED) first.", ["madvise"]),
        ("It can carry out sendmsg without a system call.", ["sendmsg"]),
        ("Copy it in with copy_from_user() first.", []),
        ("Drivers call dma_map_single() and bpf_trace_printk().", []),
        ("See struct seccomp_data and struct clone_args.", []),
    ],
)
def test_it_validates_syscalls_against_the_reference_list(text: str, expected: list[str]) -> None:
    assert names(text, "syscall") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("io_uring has gained support for the tee() system call.", ["tee"]),
        ("Use the tee system call to duplicate a pipe.", ["tee"]),
        ("Newer system calls such as tee are covered.", ["tee"]),
        ("Pipe the output through tee to keep a copy.", []),
        ("A tee junction joins the pipes; the system call is elsewhere.", []),
        ("Wrapping CRIU in a setuid helper works.", []),
        ("Mount the filesystem read-only, then connect to the server.", []),
        ("The mount() call now accepts a new flag.", ["mount"]),
    ],
)
def test_it_links_syscalls_that_are_words_only_with_parentheses_or_system_call_next_to_them(
    text: str, expected: list[str]
) -> None:
    assert names(text, "syscall") == expected


def test_it_tells_the_seccomp_syscall_from_the_seccomp_subsystem() -> None:
    text = "Work on seccomp goes on; filters are installed with the seccomp() system call."
    assert [(f.kind, f.name) for f in extract(text)] == [
        ("project", "seccomp"),
        ("syscall", "seccomp"),
    ]


def test_it_finds_real_capabilities_only() -> None:
    text = "CAP_BPF and CAP_PERFMON split CAP_SYS_ADMIN; CAP_RESTORE is a proposal; CAP_LAST_CAP."
    assert names(text, "capability") == ["CAP_BPF", "CAP_PERFMON", "CAP_SYS_ADMIN"]


def test_it_finds_any_config_option() -> None:
    assert names("Enable CONFIG_BPF_SYSCALL=y and CONFIG_DEBUG_INFO_BTF_.", "config") == [
        "CONFIG_BPF_SYSCALL",
        "CONFIG_DEBUG_INFO_BTF",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The 5.8 kernel and Linux 6.14 both matter.", ["5.8", "6.14"]),
        ("Merged for 5.8-rc1, in 3.16 before that, 2.6.32 long ago.", ["5.8", "3.16", "2.6.32"]),
        ("4.14-based products shipped code from 4.9.", ["4.14", "4.9"]),
        ("Stable updates: 5.7.2, 5.6.18 and 4.19.128 are out.", []),
        ("The third beta of Python 3.9 is out; Leap 15.2 too; Tor Browser 9.5.", []),
        ("It is 5.8% faster at 3.5 GHz, says gcc 4.9 and version 5.4.", []),
        ("Addresses like 192.168.4.4 and 8.8.8.8 are not releases.", []),
    ],
)
def test_it_finds_mainline_releases_but_not_other_numbers(text: str, expected: list[str]) -> None:
    assert names(text, "release") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The controller has a new knob, memory.swap.high, for swap.", ["memory.swap.high"]),
        ("Set vm.swappiness or net.ipv4.tcp_rmem; fs.file-max too.", None),
        ("The swappiness knob now goes to 200.", ["vm.swappiness"]),
        ("Mail kernel.org, read lwn.net, edit secrets.yaml.", []),
    ],
)
def test_it_finds_sysctls_and_control_group_knobs(text: str, expected: list[str] | None) -> None:
    found = names(text, "knob")
    if expected is None:
        expected = ["vm.swappiness", "net.ipv4.tcp_rmem", "fs.file-max"]
    assert found == expected


def test_it_finds_proc_and_sys_paths_with_process_ids_normalised() -> None:
    text = "Read /proc/1234/map_files, /proc/[pid]/maps and /sys/kernel/debug. Not /dev/bpf."
    assert names(text, "path") == ["/proc/pid/map_files", "/proc/pid/maps", "/sys/kernel/debug"]


def test_it_finds_byline_people_in_text_when_told_their_names() -> None:
    found = extract("As Jonathan Corbet wrote, Jonathan is busy.", people=["Jonathan Corbet"])
    assert [(f.kind, f.name) for f in found] == [("person", "Jonathan Corbet")]


def test_it_keeps_the_sentence_around_each_mention() -> None:
    text = "First sentence here. The new CAP_BPF capability arrives in 5.8. Last one."
    found = extract(text)
    assert {f.sentence for f in found} == {"The new CAP_BPF capability arrives in 5.8."}
    assert [text[f.start : f.end] for f in found] == ["CAP_BPF", "5.8"]


def test_it_spans_the_parentheses_of_a_bare_call() -> None:
    text = "Use faccessat2() or faccessat2(fd, path)."
    assert [text[s.start : s.end] for s in spans(text)] == ["faccessat2()", "faccessat2"]


def test_it_returns_mentions_in_text_order_with_repeats() -> None:
    assert names("mmap() then CAP_BPF then mmap() again") == ["mmap", "CAP_BPF", "mmap"]


@pytest.mark.parametrize(
    ("kind", "raw", "name"),
    [
        ("syscall", "faccessat2()", "faccessat2"),
        ("syscall", "FACCESSAT2", "faccessat2"),
        ("capability", "cap_perfmon", "CAP_PERFMON"),
        ("config", "config_bpf_syscall", "CONFIG_BPF_SYSCALL"),
        ("release", "Linux 6.14", "6.14"),
        ("release", "the 5.8 kernel".removeprefix("the "), "5.8"),
        ("release", "v5.8-rc3", "5.8"),
        ("release", "Python", ""),
        ("knob", "Memory.Swap.High", "memory.swap.high"),
        ("path", "proc/self/map_files/", "/proc/pid/map_files"),
        ("person", "  Jonathan   Corbet ", "Jonathan Corbet"),
    ],
)
def test_it_canonicalises_names_for_urls_and_lookups(kind: str, raw: str, name: str) -> None:
    assert canonical(kind, raw) == name


@given(st.text(alphabet=st.sampled_from(list("abc_()/.5 8CAPONFIGmemory\n.proc")), max_size=200))
def test_it_returns_sane_spans_for_any_text(text: str) -> None:
    found = extract(text)
    previous_end = 0
    for item in found:
        if item.kind == "person":
            continue
        assert 0 <= previous_end <= item.start < item.end <= len(text)
        assert canonical(item.kind, text[item.start : item.end]) == item.name
        assert item.sentence
        previous_end = item.end

"""The reference lists under articles/links/data/."""

from __future__ import annotations

from articles.links import reference


def test_it_lists_the_41_capabilities_of_linux() -> None:
    caps = reference().capabilities
    assert len(caps) == 41
    assert {"CAP_CHOWN", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"} <= caps
    assert "CAP_LAST_CAP" not in caps


def test_it_lists_syscalls_but_not_kernel_functions() -> None:
    syscalls = reference().syscalls
    assert {"faccessat2", "openat2", "clone3", "io_uring_setup", "tee", "statx"} <= syscalls
    assert not {"copy_from_user", "io_uring", "kmalloc", "printk"} & syscalls


def test_it_only_marks_real_syscalls_as_ordinary_words() -> None:
    ref = reference()
    assert ref.syscall_words <= ref.syscalls
    assert {"tee", "splice", "mount", "seccomp"} <= ref.syscall_words
    assert "faccessat2" in ref.plain_syscalls
    assert "tee" not in ref.plain_syscalls


def test_it_maps_project_spellings_and_knob_aliases_to_canonical_names() -> None:
    ref = reference()
    assert ref.projects["eBPF"] == "BPF"
    assert ref.projects["io_uring"] == "io_uring"
    assert ref.knob_aliases["swappiness"] == "vm.swappiness"

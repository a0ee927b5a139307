"""Which sentences announce an entity as new."""

from __future__ import annotations

import pytest

from articles.links import extract


def introduced(text: str) -> list[str]:
    return [f.name for f in extract(text) if f.introduces]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A new system call, faccessat2(), provides a flags argument.", ["faccessat2"]),
        ("The new faccessat2() system call provides flags.", ["faccessat2"]),
        ("A new capability, CAP_PERFMON, has been added.", ["CAP_PERFMON"]),
        ("Some operations now fall under the new CAP_BPF capability.", ["CAP_BPF"]),
        ("CAP_PERFMON has been added for monitoring.", ["CAP_PERFMON"]),
        ("The memory controller has a new knob, memory.swap.high, for swap.", ["memory.swap.high"]),
        ("This release adds the CONFIG_RUST option.", ["CONFIG_RUST"]),
        ("It introduces a new system call named close_range().", ["close_range"]),
    ],
)
def test_it_marks_announcements_of_new_entities(text: str, expected: list[str]) -> None:
    assert introduced(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A new statx() flag, STATX_ATTR_DAX, reports DAX files.",
        "io_uring has gained support for the tee() system call.",
        "BPF work that used to need CAP_SYS_ADMIN now needs less.",
        "setns() will now accept a pidfd.",
        "A new BPF ring buffer lets programs pass data.",
        "The 5.8 kernel is new.",
    ],
)
def test_it_does_not_mark_mentions_of_existing_entities(text: str) -> None:
    assert introduced(text) == []


def test_it_marks_only_the_new_entity_among_several_in_a_sentence() -> None:
    text = "BPF work needing CAP_SYS_ADMIN falls under the new CAP_BPF capability, or CAP_PERFMON."
    assert introduced(text) == ["CAP_BPF"]

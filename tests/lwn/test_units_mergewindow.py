"""Merge-window titles and the h4 groups of their bodies."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from bs4.element import PageElement

from articles.lwn.mergewindow import build, parse_groups, parse_title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("5.8 Merge window, part 1", ("5.8", 1)),
        ("5.8 merge window part 2", ("5.8", 2)),
        ("The 6.1 merge window, part 2", ("6.1", 2)),
        ("The first half of the 6.14 merge window", ("6.14", 1)),
        ("The first part of the 6.14 merge window", ("6.14", 1)),
        ("The second half of the 6.14 merge window", ("6.14", 2)),
        ("The rest of the 5.8 merge window", ("5.8", 2)),
        ("The beginning of the 6.15 merge window", ("6.15", 1)),
        ("2.6.39 merge window, part 1", ("2.6.39", 1)),
        ("The 2.6.39 merge window, part two", ("2.6.39", 2)),
        ("3.0 merge window part 3", ("3.0", 3)),
        ("The 4.20 merge window is closed", ("4.20", None)),
    ],
)
def test_it_reads_version_and_part_from_titles(
    title: str, expected: tuple[str, int | None]
) -> None:
    assert parse_title(title) == expected


@pytest.mark.parametrize(
    "title",
    ["A crop of new capabilities", "Merge window notes", "Some 6.14 development statistics", ""],
)
def test_it_ignores_titles_that_are_not_merge_windows(title: str) -> None:
    assert parse_title(title) is None


def _nodes(html: str) -> list[PageElement]:
    body = BeautifulSoup(f"<div id='x'>{html}</div>", "lxml").find("div")
    assert isinstance(body, Tag)
    return list(body.children)


BODY = """
Intro text.
<h4>Core kernel</h4>
<ul><li>The new <tt>faccessat2()</tt> system call.</li><li>io_uring supports tee().</li></ul>
<h4>Hardware support</h4>
<ul>
<li><b>Graphics</b>: Leadtek panels and Chrontel encoders.</li>
</ul>
<ul><li><b>Media</b>: Rockchip video decoders.</li></ul>
<h4>Closing remarks</h4>
<p>No list here.</p>
"""


def test_it_collects_h4_groups_with_their_items_in_order() -> None:
    groups = parse_groups(_nodes(BODY))
    assert [g.title for g in groups] == ["Core kernel", "Hardware support"]
    assert groups[0].items == ["The new faccessat2() system call.", "io_uring supports tee()."]
    assert groups[0].items_html[0] == "The new <tt>faccessat2()</tt> system call."
    assert len(groups[1].items) == 2  # two lists under one heading


def test_it_returns_the_hardware_entries_with_the_window() -> None:
    built = build("5.8 Merge window, part 1", _nodes(BODY))
    assert built is not None
    window, hardware = built
    assert (window.kernel_version, window.part) == ("5.8", 1)
    assert [text for _, text in hardware] == [
        "Graphics: Leadtek panels and Chrontel encoders.",
        "Media: Rockchip video decoders.",
    ]


def test_it_builds_nothing_for_other_articles() -> None:
    assert build("Seccomp and deep argument inspection", _nodes(BODY)) is None

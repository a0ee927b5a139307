"""Merge-window articles: the kernel version and part from the title, and the
``<h4>`` groups of ``<ul><li>`` changes from the body.

Titles seen on LWN: "5.8 Merge window, part 1", "5.8 merge window part 2",
"The 6.1 merge window, part 2", "The first half of the 6.14 merge window",
"The first part of the 6.14 merge window", "The second half of …",
"The rest of the 5.8 merge window", "2.6.39 merge window, part 1".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import Tag
from bs4.element import PageElement

from .text import inline_text, render
from .types import MergeWindow, MergeWindowGroup

# The version must sit right before "merge window"; a version elsewhere in the
# title ("… since 6.13") does not count.
_TITLE_RE = re.compile(
    r"\b(?P<version>[1-9]\d?\.\d{1,2}(?:\.\d{1,2})?)(?:-rc\d+)?\s+merge[\s-]+window\b"
    r"(?:\s*[,:;-]?\s*part\s+(?P<part>\d+|one|two|three|four))?",
    re.IGNORECASE,
)
_PART_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
# "The <ordinal> half/part of the X merge window" and friends.
_LEAD_RE = re.compile(
    r"\b(?P<lead>first|second|third|fourth|final|beginning|start|rest|remainder|end|"
    r"conclusion|last|closing)\b(?:\s+(?:half|part|portion))?\s+of\s+the\s+[\d.]+",
    re.IGNORECASE,
)
_LEAD_PARTS = {
    "first": 1,
    "beginning": 1,
    "start": 1,
    "second": 2,
    "rest": 2,
    "remainder": 2,
    "end": 2,
    "conclusion": 2,
    "last": 2,
    "final": 2,
    "closing": 2,
    "third": 3,
    "fourth": 4,
}
HARDWARE_GROUP = "hardware support"


def parse_title(title: str) -> tuple[str, int | None] | None:
    """(kernel version, part) for a merge-window title, else None."""
    match = _TITLE_RE.search(title)
    if match is None:
        return None
    version = match.group("version")
    part_word = match.group("part")
    if part_word:
        part_word = part_word.lower()
        return version, _PART_WORDS.get(part_word) or int(part_word)
    lead = _LEAD_RE.search(title[: match.end()])
    if lead is not None:
        return version, _LEAD_PARTS[lead.group("lead").lower()]
    return version, None


def parse_groups(nodes: Iterable[PageElement]) -> list[MergeWindowGroup]:
    """The ``<h4>`` groups among the body's top-level *nodes*, in order.

    Each group holds the ``<li>`` entries of the lists that follow its heading,
    up to the next ``<h4>``; headings without list entries are dropped.
    """
    groups = (_group(title, items)[0] for title, items in collect_groups(nodes))
    return [group for group in groups if group.items]


def collect_groups(nodes: Iterable[PageElement]) -> list[tuple[str, list[Tag]]]:
    """(heading, ``<li>`` elements) per ``<h4>`` group that has entries."""
    groups: list[tuple[str, list[Tag]]] = []
    current: list[Tag] | None = None
    for node in nodes:
        if not isinstance(node, Tag):
            continue
        if node.name == "h4":
            title = inline_text([node]).rstrip(":").strip()
            current = [] if title else None
            if current is not None:
                groups.append((title, current))
        elif node.name in ("ul", "ol") and current is not None:
            current.extend(li for li in node.children if isinstance(li, Tag) and li.name == "li")
    return [(title, items) for title, items in groups if items]


def _group(title: str, items: list[Tag]) -> tuple[MergeWindowGroup, list[tuple[Tag, str]]]:
    """The group, plus each kept ``<li>`` with its text (for hardware parsing)."""
    group = MergeWindowGroup(title=title, items=[], items_html=[])
    kept: list[tuple[Tag, str]] = []
    for li in items:
        rendered = render(li.contents)
        text = " ".join(rendered.text.split())
        if text:
            group.items.append(text)
            group.items_html.append(rendered.html)
            kept.append((li, text))
    return group, kept


def is_hardware_group(title: str) -> bool:
    return title.strip().rstrip(":").strip().lower() == HARDWARE_GROUP


def build(title: str, nodes: list[PageElement]) -> tuple[MergeWindow, list[tuple[Tag, str]]] | None:
    """The merge window an item describes, and its "Hardware support" entries
    (each ``<li>`` with its text); None if the item is not a merge window."""
    parsed = parse_title(title)
    if parsed is None:
        return None
    version, part = parsed
    groups: list[MergeWindowGroup] = []
    hardware: list[tuple[Tag, str]] = []
    for name, items in collect_groups(nodes):
        group, kept = _group(name, items)
        if not group.items:
            continue
        groups.append(group)
        if not hardware and is_hardware_group(name):
            hardware = kept
    return MergeWindow(kernel_version=version, part=part, groups=groups), hardware

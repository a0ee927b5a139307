"""The June 11, 2020 big page: its 5.8 merge-window item, groups and hardware list."""

from __future__ import annotations

import json

import pytest

from articles.lwn import to_json_dict
from articles.lwn.types import ParsedItem, ParsedPage
from tests.lwn.conftest import assert_contains_all, item_titled, squash
from tests.lwn.expected import BIGPAGE, MERGE_WINDOW, TITLES

NAME = BIGPAGE

ALL_TITLES = TITLES[NAME]

MERGE_GROUPS: list[tuple[str, int]] = [
    ("Architecture-specific", 1),
    ("Core kernel", 8),
    ("Filesystems and block I/O", 2),
    ("Hardware support", 6),
    ("Miscellaneous", 1),
    ("Networking", 5),
    ("Security-related", 2),
    ("Internal kernel changes", 7),
]

HARDWARE: list[tuple[str, list[str]]] = [
    (
        "Graphics",
        [
            "Leadtek LTK050H3146W panels",
            "Northwest Logic MIPI DSI host controllers",
            "Chrontel CH7033 video encoders",
            "Visionox RM69299 panels",
            "ASUS Z00T TM5P5 NT35596 panels",
        ],
    ),
    (
        "Hardware monitoring",
        [
            "Maxim MAX16601 voltage regulators",
            "AMD RAPL MSR-based energy sensors",
            "Gateworks System Controller analog-to-digital converters",
            "Baikal-T1 process, voltage, and temperature sensors",
        ],
    ),
    (
        "Interrupt control",
        [
            "Loongson3 HyperTransport interrupt vector controllers",
            "Loongson PCH programmable interrupt controllers",
            "Loongson PCH MSI controllers",
        ],
    ),
    (
        "Media",
        [
            "Rockchip video decoders",
            "OmniVision OV2740 sensors",
        ],
    ),
    (
        "Miscellaneous",
        [
            "AMD SPI controllers",
            "Maxim 77826 regulators",
            "Arm CryptoCell true random number generators",
            "Amlogic Meson SDHC host controllers",
            "Freescale eSDHC ColdFire controllers",
            "Loongson PCI controllers",
        ],
    ),
    (
        "Networking",
        [
            "Broadcom BCM54140 PHYs",
            "Qualcomm IPQ4019 MDIO interfaces",
            "MediaTek STAR Ethernet MACs",
            "Realtek 8723DE PCI wireless network adapters",
            "MediaTek MT7915E wireless interfaces",
        ],
    ),
]


@pytest.fixture(scope="module")
def merge_item(page: ParsedPage) -> ParsedItem:
    return item_titled(page, MERGE_WINDOW)


def test_it_detects_the_merge_window_version_and_part(merge_item: ParsedItem) -> None:
    assert merge_item.merge_window is not None
    assert merge_item.merge_window.kernel_version == "5.8"
    assert merge_item.merge_window.part == 1


def test_it_reads_all_eight_merge_window_groups_in_order(merge_item: ParsedItem) -> None:
    assert merge_item.merge_window is not None
    groups = merge_item.merge_window.groups
    assert [(g.title, len(g.items)) for g in groups] == MERGE_GROUPS


def test_it_keeps_core_kernel_facts_in_order(merge_item: ParsedItem) -> None:
    assert merge_item.merge_window is not None
    core = merge_item.merge_window.groups[1].items
    expected = [
        ["faccessat2()", "flags"],
        ["memory.swap.high"],
        ["io_uring", "tee()"],
        ["pidfd", "setns()"],
        ["BPF iterator"],
        ["ring buffer", "perf"],
        ["padata"],
        ["swappiness", "200"],
    ]
    assert len(core) == len(expected)
    for text, needles in zip(core, expected, strict=True):
        assert_contains_all(text, needles)


def test_it_keeps_the_security_group_facts(merge_item: ParsedItem) -> None:
    assert merge_item.merge_window is not None
    first, second = merge_item.merge_window.groups[6].items
    assert_contains_all(first, ["CAP_PERFMON", "perf events"])
    assert_contains_all(second, ["CAP_BPF", "CAP_SYS_ADMIN", "CAP_NET_ADMIN"])


def test_it_keeps_the_other_groups_facts(merge_item: ParsedItem) -> None:
    assert merge_item.merge_window is not None
    groups = {g.title: g.items for g in merge_item.merge_window.groups}
    assert_contains_all(groups["Architecture-specific"][0], ["Arm64", "shadow call stacks"])
    assert_contains_all(groups["Filesystems and block I/O"][1], ["statx()", "STATX_ATTR_DAX"])
    assert_contains_all(groups["Miscellaneous"][0], ["initrdmem="])
    assert_contains_all(groups["Networking"][4], ["RFC 8229"])
    assert_contains_all(groups["Internal kernel changes"][1], ["RCU rude"])
    assert_contains_all(groups["Internal kernel changes"][5], ["kgdb"])


def test_it_keeps_hardware_entries_as_group_items(merge_item: ParsedItem) -> None:
    assert merge_item.merge_window is not None
    hardware_items = [squash(text) for text in merge_item.merge_window.groups[3].items]
    assert [text.split(":")[0] for text in hardware_items] == [row[0] for row in HARDWARE]
    assert "atomisp" in hardware_items[3]


def test_it_splits_the_hardware_list_into_exact_devices(merge_item: ParsedItem) -> None:
    got = [(category.category, category.devices) for category in merge_item.hardware]
    assert got == HARDWARE


def test_it_leaves_merge_window_fields_empty_on_other_items(page: ParsedPage) -> None:
    for item in page.items:
        if item.title != MERGE_WINDOW:
            assert item.merge_window is None, item.title
            assert item.hardware == [], item.title


def test_it_starts_the_merge_window_body_with_its_bare_leading_text(
    merge_item: ParsedItem,
) -> None:
    assert squash(merge_item.body_text).startswith("In the four days since the 5.8 merge window")


def test_it_serialises_the_merge_window_to_plain_json(page: ParsedPage) -> None:
    data = json.loads(json.dumps(to_json_dict(page)))
    merge = data["items"][ALL_TITLES.index(MERGE_WINDOW)]
    assert merge["date"] == "2020-06-05"
    assert merge["merge_window"]["kernel_version"] == "5.8"
    assert merge["merge_window"]["part"] == 1
    assert [g["title"] for g in merge["merge_window"]["groups"]] == [g for g, _ in MERGE_GROUPS]
    assert merge["hardware"][0] == {"category": "Graphics", "devices": HARDWARE[0][1]}

"""Splitting "Hardware support" entries into category and device names."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag

from articles.lwn.hardware import first_sentence, parse_entry, split_devices


def _li(html: str) -> Tag:
    li = BeautifulSoup(f"<ul><li>{html}</li></ul>", "lxml").find("li")
    assert isinstance(li, Tag)
    return li


def test_it_splits_an_oxford_comma_list() -> None:
    entry = parse_entry(
        _li(
            "<b>Graphics</b>: Leadtek LTK050H3146W panels, Chrontel CH7033 video "
            "encoders, and ASUS Z00T TM5P5 NT35596 panels."
        )
    )
    assert entry is not None
    assert entry.category == "Graphics"
    assert entry.devices == [
        "Leadtek LTK050H3146W panels",
        "Chrontel CH7033 video encoders",
        "ASUS Z00T TM5P5 NT35596 panels",
    ]


def test_it_keeps_a_list_inside_a_device_name() -> None:
    devices = split_devices(
        "Maxim MAX16601 voltage regulators, AMD RAPL MSR-based energy sensors, and "
        "Baikal-T1 process, voltage, and temperature sensors."
    )
    assert devices == [
        "Maxim MAX16601 voltage regulators",
        "AMD RAPL MSR-based energy sensors",
        "Baikal-T1 process, voltage, and temperature sensors",
    ]


def test_it_does_not_split_inside_parentheses() -> None:
    assert split_devices(
        "Qualcomm SM8150 (and SM8250, SM8350) clocks, and NXP i.MX8MP clocks."
    ) == [
        "Qualcomm SM8150 (and SM8250, SM8350) clocks",
        "NXP i.MX8MP clocks",
    ]


def test_it_splits_a_two_device_list_joined_by_and() -> None:
    assert split_devices("Rockchip video decoders and OmniVision OV2740 sensors.") == [
        "Rockchip video decoders",
        "OmniVision OV2740 sensors",
    ]


def test_it_does_not_split_and_inside_one_name() -> None:
    assert split_devices("Texas Instruments audio and video codecs.") == [
        "Texas Instruments audio and video codecs"
    ]


def test_it_drops_trailing_sentences_after_the_list() -> None:
    entry = parse_entry(
        _li(
            '<b>Media</b>: Rockchip video decoders and OmniVision OV2740 sensors. The "atomisp" '
            "driver has also been resurrected in the staging tree and seen vast amounts of "
            "cleanup work."
        )
    )
    assert entry is not None
    assert entry.devices == ["Rockchip video decoders", "OmniVision OV2740 sensors"]


def test_it_accepts_a_list_ending_in_a_comma() -> None:
    assert split_devices(
        "AMD SPI controllers, Maxim 77826 regulators, and Loongson PCI controllers,"
    ) == [
        "AMD SPI controllers",
        "Maxim 77826 regulators",
        "Loongson PCI controllers",
    ]


def test_it_keeps_numbers_with_commas_whole() -> None:
    assert split_devices("Foo 1,000-port switches, and Bar hubs.") == [
        "Foo 1,000-port switches",
        "Bar hubs",
    ]


def test_it_reads_a_category_without_bold() -> None:
    entry = parse_entry(_li("Clock: Qualcomm SM8550 clock controllers."))
    assert entry is not None
    assert (entry.category, entry.devices) == ("Clock", ["Qualcomm SM8550 clock controllers"])


def test_it_accepts_the_colon_inside_the_bold() -> None:
    entry = parse_entry(_li("<b>Clock:</b> Foo clocks and Bar PLLs."))
    assert entry is not None
    assert (entry.category, entry.devices) == ("Clock", ["Foo clocks", "Bar PLLs"])


def test_it_skips_an_entry_that_is_not_a_category() -> None:
    assert parse_entry(_li("The staging tree lost a few drivers this time around.")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Foo bars, Baz quxes. The rest.", "Foo bars, Baz quxes"),
        ("J. Random devices", "J. Random devices"),
        ("Foo Inc. Bar devices", "Foo Inc. Bar devices"),
        ("Things (see Fig. A) here", "Things (see Fig. A) here"),
        ("Foo widgets; see this commit.", "Foo widgets"),
    ],
)
def test_it_cuts_at_the_first_sentence_end(text: str, expected: str) -> None:
    assert first_sentence(text) == expected

"""The "Hardware support" list of a merge-window article.

Each entry reads ``<b>Category</b>: device, device, and device.``; the
devices are kept as written. The prose is regular but not rigid:

- commas inside parentheses do not separate devices: "Qualcomm SM8150
  (and SM8250) clocks";
- a device name may itself hold a list: "Baikal-T1 process, voltage, and
  temperature sensors" (the pieces after the commas start in lower case);
- two devices are joined by a bare "and": "Rockchip video decoders and
  OmniVision OV2740 sensors";
- the list may end in a comma instead of a period, and may be followed by
  more sentences ('The "atomisp" driver has also been resurrected …').
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag

from .text import inline_text
from .types import HardwareCategory

_CATEGORY_RE = re.compile(r"^(?P<cat>[A-Z0-9][\w /&+.-]{0,60}?)\s*:\s+")
# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    {"inc", "co", "ltd", "corp", "e.g", "i.e", "etc", "vs", "no", "mr", "dr"}
)
# Characters that may open the sentence after a period (quotes included).
_SENTENCE_OPENERS = "\"'(\u201c\u2018"
_LEADING_CONJUNCTION_RE = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)
# A bare " and " between two devices: the second starts with a capital or digit.
_PAIR_SPLIT_RE = re.compile(r"\s+and\s+(?=[A-Z0-9])")
_OPENERS = "([{"
_CLOSERS = ")]}"


def parse_entry(li: Tag, text: str | None = None) -> HardwareCategory | None:
    """One "Hardware support" ``<li>`` (*text*: its one-line text, if already
    rendered), or None if it is not a category entry."""
    if text is None:
        text = inline_text([li])
    if not text:
        return None
    lead = _leading_bold(li)
    category = ""
    rest = ""
    if lead is not None:
        bold = inline_text([lead])
        if bold and text.startswith(bold):
            category = bold.rstrip(":").strip()
            rest = text[len(bold) :].lstrip()
            if not rest.startswith(":") and not bold.endswith(":"):
                category = ""
            rest = rest.lstrip(":").strip()
    if not category:
        match = _CATEGORY_RE.match(text)
        if match is None:
            return None
        category = match.group("cat").strip()
        rest = text[match.end() :]
    devices = split_devices(rest)
    return HardwareCategory(category=category, devices=devices) if devices else None


def _leading_bold(li: Tag) -> Tag | None:
    for child in li.children:
        if isinstance(child, Tag):
            return child if child.name in ("b", "strong") else None
        if isinstance(child, NavigableString) and child.strip():
            return None
    return None


def split_devices(text: str) -> list[str]:
    """The device names in a "dev, dev, and dev." list (see module docstring)."""
    text = first_sentence(" ".join(text.split()))
    text = text.rstrip(" .,;:")
    segments = _split_top_level_commas(text)
    devices: list[str] = []
    for raw in segments:
        segment = raw.strip()
        if not segment:
            continue
        bare = _LEADING_CONJUNCTION_RE.sub("", segment)
        if devices and _is_continuation(bare):
            # Part of the previous device's own list: keep the text as written.
            devices[-1] = f"{devices[-1]}, {segment}"
            continue
        devices.append(bare)
    if len(devices) == 1:
        devices = [part.strip() for part in _PAIR_SPLIT_RE.split(devices[0]) if part.strip()]
    return [device.rstrip(" .,;") for device in devices if device.rstrip(" .,;")]


def _is_continuation(segment: str) -> bool:
    """A piece that starts with a plain lower-case word continues a name."""
    word = segment.split(" ", 1)[0]
    return word.isalpha() and word.islower()


def _split_top_level_commas(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            # "1,000" is a number, not a list separator.
            following = text[index + 1 : index + 2]
            if following == "" or following.isspace():
                parts.append(text[start:index])
                start = index + 1
    parts.append(text[start:])
    return parts


def first_sentence(text: str) -> str:
    """*text* up to the end of its first sentence (outside parentheses)."""
    depth = 0
    for index, char in enumerate(text):
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and (char == ";" or (char == "." and _ends_sentence(text, index))):
            return text[:index]
    return text


def _ends_sentence(text: str, index: int) -> bool:
    following = text[index + 1 : index + 3]
    if len(following) < 2 or following[0] != " ":
        # "i.MX8" or the final period: not a boundary we need to cut at.
        return False
    nxt = following[1]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _SENTENCE_OPENERS):
        return False
    word = text[:index].rsplit(" ", 1)[-1].lower()
    return not (word in _ABBREVIATIONS or len(word) == 1)

"""The SVG builder: columns and horizontal bars as escaped markup.

Horizontal positions and widths are percentages of the chart's width and the
text is in CSS pixels, so a chart fills its container at any width without
scaling its labels down to nothing on a phone. Colours come from CSS classes
(``static/articles/charts.css``), so dark mode restyles them. Every label and
link passes through :func:`django.utils.html.escape`; only this module's own
markup is marked safe.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLUMN_AREA = 140  # px: the tallest column
TOP = 30  # px above the columns: the marker's label, then the values
BOTTOM = 22  # px below: the axis labels
# At 360 px about eight axis labels fit side by side; more would overlap.
MAX_AXIS_LABELS = 8
MIN_SLOTS = 6  # the widest a column gets: a sixth of the chart
MAX_VALUE_LABELS = 16  # values over the columns while they fit over them at 360 px
ROW = 34  # px per horizontal bar: its label line and the bar under it
BAR = 10  # px: a horizontal bar's thickness

_ID = re.compile(r"[^a-z0-9-]+")
_SAFE_HREF = re.compile(r"^(?:/|\?|#|https?://)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Bar:
    """One column or bar: its label, value and, optionally, a link and a highlight."""

    label: str
    value: int
    href: str = ""
    current: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn chart: the markup and the numbers behind it (for the table equivalent)."""

    id: str
    title: str
    desc: str
    svg: SafeString
    bars: tuple[Bar, ...]
    unit: str
    label_heading: str

    @property
    def linked(self) -> bool:
        return any(bar.href for bar in self.bars)


def fill_years(counts: Mapping[int, int], *, through: int | None = None) -> list[tuple[int, int]]:
    """``counts`` by year with the missing years in between (and up to ``through``) as 0."""
    if not counts:
        return []
    last = max(max(counts), through or 0)
    return [(year, counts.get(year, 0)) for year in range(min(counts), last + 1)]


def _slug(value: str) -> str:
    return _ID.sub("-", value.lower()).strip("-") or "chart"


def _href(value: str) -> str:
    """A link kept only when it is relative or http(s): never ``javascript:``."""
    return value if _SAFE_HREF.match(value) else ""


def _pct(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def _name(bar: Bar, unit: str) -> str:
    # The visible text ("label value") starts the name: a voice user says what they see.
    return f"{bar.label} {bar.value} {unit}".rstrip()


def _safe(parts: list[str]) -> SafeString:
    # Built here from escaped text and numbers only.
    return mark_safe("".join(parts))  # noqa: S308


def _open(chart_id: str, title: str, desc: str, height: int, *, linked: bool) -> list[str]:
    # role="img" makes its children presentational, which would hide the links from
    # assistive technology: a chart whose bars are links is a group of them instead.
    role = "group" if linked else "img"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="{role}" width="100%" '
        f'height="{height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _empty(chart_id: str, title: str, desc: str, unit: str, label_heading: str) -> Chart:
    parts = _open(chart_id, title, desc, 40, linked=False)
    parts.append('<text class="label" x="0" y="24">Nothing to draw yet.</text></svg>')
    return Chart(chart_id, title, desc, _safe(parts), (), unit, label_heading)


def _bar_markup(bar: Bar, unit: str, shape: str) -> str:
    """``shape`` wrapped in a link when the bar has one, with its accessible name."""
    name = escape(_name(bar, unit))
    href = _href(bar.href)
    if href:
        # No <title> inside a link: axe counts its text as the link's visible text, which
        # then no longer matches the name (label-content-name-mismatch).
        return f'<a href="{escape(href)}" aria-label="{name}">{shape}</a>'
    return f"<g><title>{name}</title>{shape}</g>"


def columns(
    bars: Sequence[Bar],
    *,
    id: str,
    title: str,
    desc: str,
    unit: str = "",
    label_heading: str = "Year",
    marker: int | None = None,
    marker_label: str = "",
) -> Chart:
    """One column per bar, left to right (a histogram or a timeline).

    ``marker`` is the index of a column to mark with a dashed line and
    ``marker_label`` (say, the year a system call was introduced).
    """
    chart_id = _slug(id)
    if not bars:
        return _empty(chart_id, title, desc, unit, label_heading)
    count = len(bars)
    peak = max(max(bar.value for bar in bars), 1)
    # A few columns keep a column's width and sit in the middle, rather than fill the width.
    slot = 100 / max(count, MIN_SLOTS)
    offset = (100 - slot * count) / 2
    width = slot * 0.8
    base = TOP + COLUMN_AREA
    every = math.ceil(count / MAX_AXIS_LABELS)
    linked = any(_href(bar.href) for bar in bars)
    parts = _open(chart_id, title, desc, base + BOTTOM, linked=linked)
    parts.append(f'<line class="axis" x1="0" x2="100%" y1="{base}" y2="{base}"/>')
    for index, bar in enumerate(bars):
        left = offset + slot * index
        height = round(bar.value / peak * COLUMN_AREA, 1)
        if bar.value and height < 1:
            height = 1.0  # a non-zero count stays visible
        cls = "bar current" if bar.current else "bar"
        # The full-height target keeps a short column easy to hover and to click.
        shape = (
            f'<rect class="target" x="{_pct(left)}" y="{TOP}" width="{_pct(slot)}" '
            f'height="{COLUMN_AREA}"/>'
            f'<rect class="{cls}" x="{_pct(left + (slot - width) / 2)}" '
            f'y="{base - height}" width="{_pct(width)}" height="{height}"/>'
        )
        parts.append(_bar_markup(bar, unit, shape))
        if count <= MAX_VALUE_LABELS and bar.value:
            parts.append(
                f'<text class="value" x="{_pct(left + slot / 2)}" y="{base - height - 4}" '
                f'text-anchor="middle" aria-hidden="true">{bar.value}</text>'
            )
        if index % every == 0 or bar.current or index == marker:
            parts.append(
                f'<text class="label{" current" if bar.current else ""}" '
                f'x="{_pct(left + slot / 2)}" y="{base + 16}" text-anchor="middle" '
                f'aria-hidden="true">{escape(bar.label)}</text>'
            )
    if marker is not None and 0 <= marker < count:
        middle = offset + slot * marker + slot / 2
        anchor = "start" if middle < 50 else "end"
        nudge = 0.8 if anchor == "start" else -0.8
        parts.append(
            f'<line class="marker" x1="{_pct(middle)}" x2="{_pct(middle)}" y1="4" '
            f'y2="{base}"/>'
            f'<text class="marker-label" x="{_pct(middle + nudge)}" y="12" '
            f'text-anchor="{anchor}" aria-hidden="true">{escape(marker_label)}</text>'
        )
    parts.append("</svg>")
    return Chart(chart_id, title, desc, _safe(parts), tuple(bars), unit, label_heading)


def bar_list(
    bars: Iterable[Bar],
    *,
    id: str,
    title: str,
    desc: str,
    unit: str = "",
    label_heading: str = "Name",
) -> Chart:
    """Labelled horizontal bars, one under another, in the order given."""
    chart_id = _slug(id)
    rows = tuple(bars)
    if not rows:
        return _empty(chart_id, title, desc, unit, label_heading)
    peak = max(max(bar.value for bar in rows), 1)
    linked = any(_href(bar.href) for bar in rows)
    parts = _open(chart_id, title, desc, ROW * len(rows), linked=linked)
    for index, bar in enumerate(rows):
        top = ROW * index
        share = max(bar.value / peak * 100, 0.5 if bar.value else 0)
        cls = "bar current" if bar.current else "bar"
        shape = (
            f'<rect class="target" x="0" y="{top}" width="100%" height="{ROW}"/>'
            f'<text class="label" x="0" y="{top + 14}" aria-hidden="true">{escape(bar.label)} '
            f'<tspan class="value">{bar.value}</tspan></text>'
            f'<rect class="{cls}" x="0" y="{top + 19}" width="{_pct(share)}" height="{BAR}"/>'
        )
        parts.append(_bar_markup(bar, unit, shape))
    parts.append("</svg>")
    return Chart(chart_id, title, desc, _safe(parts), rows, unit, label_heading)

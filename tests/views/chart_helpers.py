"""Reading a chart back out of a page: its SVG and the table of its numbers."""

from __future__ import annotations

import html
import re


def figure(body: str, chart_id: str) -> str:
    """The ``<figure>`` of chart ``chart_id`` in ``body``."""
    start = body.index(f'<figure class="chart-figure" id="{chart_id}">')
    return body[start : body.index("</figure>", start)]


def numbers(body: str, chart_id: str) -> dict[str, int]:
    """The chart's table: label → value, in order."""
    rows = re.findall(
        r'<th scope="row">(?:<a [^>]*>)?(.*?)(?:</a>)?</th><td>(\d+)</td>', figure(body, chart_id)
    )
    return {html.unescape(label): int(value) for label, value in rows}


def links(body: str, chart_id: str) -> dict[str, str]:
    """The chart's bars that are links in the SVG: accessible name → href."""
    svg = figure(body, chart_id).split("</svg>")[0]
    found = re.findall(r'<a href="([^"]*)" aria-label="([^"]*)">', svg)
    return {html.unescape(name): html.unescape(href) for href, name in found}


def current(body: str, chart_id: str) -> list[str]:
    """Labels of the highlighted rows."""
    return [
        html.unescape(label)
        for label in re.findall(
            r'<tr class="current"><th scope="row">(?:<a [^>]*>)?(.*?)(?:</a>)?</th>',
            figure(body, chart_id),
        )
    ]

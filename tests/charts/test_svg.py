"""The SVG builder: escaping, empty data, one bar, accessibility, scale, links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from articles.charts import Bar, bar_list, columns, fill_years

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if "bar" in r.get("class", "").split()]


@pytest.mark.parametrize("draw", [columns, bar_list])
def test_it_escapes_every_label_title_and_link(draw: object) -> None:
    evil = '<script>alert("x")</script>&'
    chart = draw(  # type: ignore[operator]
        [Bar(evil, 3, href='/search/?q="><script>')],
        id="x",
        title=evil,
        desc=evil,
        unit=evil,
    )
    assert "<script>" not in chart.svg
    root = parse(chart.svg)  # well-formed XML: nothing broke out of an attribute
    assert root.find(f"{SVG}title").text == evil  # type: ignore[union-attr]
    link = root.find(f".//{SVG}a")
    assert link is not None
    assert link.get("href") == '/search/?q="><script>'


@pytest.mark.parametrize("draw", [columns, bar_list])
def test_it_drops_links_that_are_not_relative_or_http(draw: object) -> None:
    chart = draw([Bar("a", 1, href="javascript:alert(1)")], id="x", title="t", desc="d")  # type: ignore[operator]
    assert "javascript" not in chart.svg
    assert parse(chart.svg).find(f".//{SVG}a") is None


@pytest.mark.parametrize("draw", [columns, bar_list])
def test_it_draws_a_labelled_empty_chart_for_no_data(draw: object) -> None:
    chart = draw([], id="empty", title="Nothing", desc="No rows")  # type: ignore[operator]
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert "Nothing to draw yet." in chart.svg
    assert bars_of(root) == []
    assert chart.bars == ()


@pytest.mark.parametrize("draw", [columns, bar_list])
def test_it_names_the_chart_by_its_title_and_desc(draw: object) -> None:
    chart = draw([Bar("2020", 4)], id="My Chart!", title="Per year", desc="One a year")  # type: ignore[operator]
    root = parse(chart.svg)
    assert chart.id == "my-chart"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "my-chart-title my-chart-desc"
    assert root.find(f"{SVG}title").get("id") == "my-chart-title"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "One a year"  # type: ignore[union-attr]


def test_it_draws_one_bar_at_full_height() -> None:
    root = parse(columns([Bar("2020", 7)], id="x", title="t", desc="d").svg)
    (bar,) = bars_of(root)
    assert float(bar.get("height", "")) == 140


def test_it_scales_columns_to_the_tallest() -> None:
    chart = columns([Bar("a", 10), Bar("b", 5), Bar("c", 0)], id="x", title="t", desc="d")
    heights = [float(b.get("height", "")) for b in bars_of(parse(chart.svg))]
    assert heights == [140, 70, 0]


def test_it_keeps_a_tiny_non_zero_column_visible() -> None:
    chart = columns([Bar("a", 10_000), Bar("b", 1)], id="x", title="t", desc="d")
    heights = [float(b.get("height", "")) for b in bars_of(parse(chart.svg))]
    assert heights == [140, 1]


def test_it_scales_horizontal_bars_as_a_share_of_the_width() -> None:
    chart = bar_list([Bar("a", 8), Bar("b", 2)], id="x", title="t", desc="d")
    widths = [b.get("width") for b in bars_of(parse(chart.svg))]
    assert widths == ["100%", "25%"]


def test_it_makes_linked_bars_links_with_accessible_names_in_a_group() -> None:
    chart = columns(
        [Bar("2019", 2, href="/a/"), Bar("2020", 5, href="/b/", current=True)],
        id="x",
        title="t",
        desc="d",
        unit="results",
    )
    root = parse(chart.svg)
    # role=img would make the links presentational, hidden from assistive technology.
    assert root.get("role") == "group"
    links = root.findall(f".//{SVG}a")
    assert [(a.get("href"), a.get("aria-label")) for a in links] == [
        ("/a/", "2019 2 results"),
        ("/b/", "2020 5 results"),
    ]
    assert [b.get("class") for b in bars_of(root)] == ["bar", "bar current"]
    assert chart.linked


def test_it_marks_a_column_with_a_labelled_dashed_line() -> None:
    bars = [Bar(str(year), 1) for year in range(2010, 2020)]
    chart = columns(bars, id="x", title="t", desc="d", marker=8, marker_label="Linux 5.8")
    root = parse(chart.svg)
    line = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "marker")
    assert line.get("x1") == "85%"  # the middle of the ninth of ten slots
    label = next(e for e in root.iter(f"{SVG}text") if e.get("class") == "marker-label")
    assert label.text == "Linux 5.8"


def test_it_thins_axis_labels_so_they_fit_a_phone() -> None:
    bars = [Bar(str(year), 1) for year in range(1998, 2027)]
    labels = re.findall(
        r'class="label"[^>]*>(\d+)<', columns(bars, id="x", title="t", desc="d").svg
    )
    assert 1 < len(labels) <= 8
    assert labels[0] == "1998"


def test_it_fills_the_years_between() -> None:
    assert fill_years({2018: 2, 2021: 1}) == [(2018, 2), (2019, 0), (2020, 0), (2021, 1)]
    assert fill_years({}) == []
    assert fill_years({2020: 1}, through=2022) == [(2020, 1), (2021, 0), (2022, 0)]


def test_it_passes_the_xss_checker_only_as_our_own_chart() -> None:
    from tests.security.markup import html_problems

    chart = columns([Bar("a", 1, href="/x/")], id="x", title="t", desc="d")
    ours = f'<figure class="chart-figure" id="x">{chart.svg}</figure>'
    assert html_problems(f"<html><body>{ours}</body></html>") == []
    stray = f"<html><body><div>{chart.svg}</div></body></html>"
    assert html_problems(stray) == ["page: <svg> element"]
    smuggled = ours.replace("</svg>", "<foreignObject><p>x</p></foreignObject></svg>")
    assert html_problems(f"<html><body>{smuggled}</body></html>") == ["page: <svg> element"]
    javascript = ours.replace('href="/x/"', 'href="javascript:alert(1)"')
    assert html_problems(f"<html><body>{javascript}</body></html>") != []

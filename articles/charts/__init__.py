"""Server-rendered SVG charts: pure Python in, escaped markup out.

Two shapes cover every picture on the site: :func:`columns` (a histogram or
timeline, one column per year or release, with an optional marker) and
:func:`bar_list` (labelled horizontal bars, longest first). Each returns a
:class:`Chart` whose ``svg`` is safe to render and whose ``bars`` feed the
text equivalent in ``templates/articles/_chart.html``.
"""

from __future__ import annotations

from articles.charts.svg import Bar, Chart, bar_list, columns, fill_years

__all__ = ["Bar", "Chart", "bar_list", "columns", "fill_years"]

"""ts_headline output → the snippet HTML every backend returns.

The guarantee is the one of ``articles/search/snippets.py``: all document text is
HTML-escaped here and the only markup added is ``<mark>``/``</mark>``. ts_headline
does not escape; it marks matches with private-use characters (stripped from the
text before), which become ``<mark>`` only after escaping.

``ts_headline`` parses the whole text it is given, so it is given a window: the text
around the first place one of ``Highlight.marks()`` is written (``strpos``, which
does not parse), and the whole text only when that window marks nothing.
"""

from __future__ import annotations

import html
import re

from articles.search.pg.statements import SEPARATORS, START, STOP
from articles.search.snippets import lead

# PostgreSQL's parser splits io_uring or CAP_PERFMON at the underscore, so ts_headline
# marks the parts: "<mark>io</mark>_<mark>uring</mark>" reads better as one mark.
_UNSWAP = str.maketrans("".join(SEPARATORS), "".join(SEPARATORS.values()))
_SPLIT_MARK = re.compile(f"{STOP}([_.]){START}")
_EDGE = 40  # characters compared to tell whether a snippet starts or ends the text
_TRIM = " .,;:!?\"')"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _marked(headline: str) -> str:
    marked = _SPLIT_MARK.sub(r"\1", html.escape(headline.translate(_UNSWAP)))
    return marked.replace(START, "<mark>").replace(STOP, "</mark>")


def title_html(headline: str | None) -> str | None:
    """The title's headline (every match marked), escaped; None when it marks nothing."""
    if not headline or START not in headline:
        return None
    return _marked(_flat(headline))


def snippet_html(headline: str | None, head: str, tail: str) -> str:
    """Escaped snippet with ``<mark>``; the lead of the text when nothing was marked."""
    if not headline or START not in headline:
        return lead(_flat(head))
    text = _flat(headline.translate(_UNSWAP))
    plain = text.replace(START, "").replace(STOP, "")
    marked = _marked(text)
    starts = _flat(head).startswith(plain[:_EDGE])
    ends = _flat(tail).rstrip(_TRIM).endswith(plain[-_EDGE:].rstrip(_TRIM))
    return ("" if starts else "… ") + marked + ("" if ends else " …")

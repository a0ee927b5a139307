"""Find executable markup in HTML pages, HTML fragments, JSON answers and Atom feeds.

Each checker returns a list of problems (empty when clean) so a test can
report every one it found on every page, not just the first. The HTML is
parsed, not grepped: escaped text such as ``&lt;script&gt;`` is fine, an
element or attribute is not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html

STATIC_PREFIX = "/static/"
# Elements that run code, load documents or change how the page resolves URLs.
FORBIDDEN_TAGS = frozenset(
    {
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "svg",
        "math",
        "portal",
        "noscript",
    }
)
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "background",
        "lowsrc",
        "dynsrc",
        "xlink:href",
        "srcset",
        "ping",
        "codebase",
        "cite",
    }
)
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# Browsers drop these anywhere in a URL before reading its scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
HTML_FIELDS = frozenset({"body_html", "html", "snippet"})
URL_FIELDS = frozenset({"url", "html_url", "next", "previous", "href", "link"})


# The site's own charts (articles/charts/): an <svg class="chart"> straight inside a
# <figure class="chart-figure">, holding nothing but these shapes, text and links (whose
# attributes are checked like any other element's).
CHART_TAGS = frozenset({"title", "desc", "g", "a", "rect", "line", "text", "tspan"})


def _our_chart(element: lxml.html.HtmlElement) -> bool:
    parent = element.getparent()
    return (
        element.get("class") == "chart"
        and parent is not None
        and parent.tag == "figure"
        and parent.get("class") == "chart-figure"
        and all(
            isinstance(child.tag, str) and child.tag.lower() in CHART_TAGS
            for child in element.iterdescendants()
        )
    )


def unsafe_url(value: str) -> bool:
    """True for a URL a browser would run (``javascript:``) or render inline (``data:``)."""
    return _URL_NOISE.sub("", value).lower().startswith(UNSAFE_SCHEMES)


def _scripts_ok(element: lxml.html.HtmlElement) -> bool:
    """Our own static scripts, or an inert JSON data block (DRF's browsable API)."""
    if (element.get("type") or "").lower() == "application/json":
        try:
            json.loads(element.text or "null")
        except ValueError:
            return False
        return True
    src = element.get("src") or ""
    return src.startswith(STATIC_PREFIX) and not (element.text or "").strip()


def _element_problems(element: lxml.html.HtmlElement, where: str) -> Iterator[str]:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if not tag:
        return  # comments, processing instructions: inert
    if tag == "script" and not _scripts_ok(element):
        yield f"{where}: <script> {lxml.html.tostring(element)[:120]!r}"
    if tag in FORBIDDEN_TAGS and not (tag == "svg" and _our_chart(element)):
        yield f"{where}: <{tag}> element"
    if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
        yield f"{where}: <meta http-equiv=refresh>"
    if tag == "link" and unsafe_url(element.get("href") or ""):
        yield f"{where}: <link> with an unsafe href"
    for name, value in element.attrib.items():
        lowered = name.lower()
        if lowered.startswith("on"):
            yield f"{where}: <{tag} {name}=…> event handler"
        elif lowered == "srcdoc":
            yield f"{where}: <{tag} srcdoc=…>"
        elif lowered in URL_ATTRIBUTES and unsafe_url(value):
            yield f"{where}: <{tag} {name}={value[:60]!r}>"
        elif lowered == "style" and re.search(r"expression|javascript:|url\(", value, re.I):
            yield f"{where}: <{tag} style={value[:60]!r}>"


def html_problems(text: str, *, where: str = "page") -> list[str]:
    """Executable markup in a whole HTML page."""
    if not text.strip():
        return []
    document = lxml.html.document_fromstring(text)
    return [problem for el in document.iter() for problem in _element_problems(el, where)]


def fragment_problems(text: str, *, where: str = "fragment") -> list[str]:
    """Executable markup in an HTML fragment (a stored body, a snippet)."""
    if not text or not text.strip():
        return []
    wrapper = lxml.html.fragment_fromstring(text, create_parent="div")
    return [problem for el in wrapper.iter() for problem in _element_problems(el, where)]


def json_problems(data: Any, *, where: str = "json") -> list[str]:
    """Unsafe HTML in the HTML fields and unsafe URLs in the URL fields of a JSON answer."""
    problems: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}.{key}"
            if isinstance(value, str) and key in HTML_FIELDS:
                problems += fragment_problems(value, where=here)
            elif isinstance(value, str) and key in URL_FIELDS and unsafe_url(value):
                problems.append(f"{here}: unsafe URL {value[:60]!r}")
            else:
                problems += json_problems(value, where=here)
    elif isinstance(data, list):
        for n, value in enumerate(data):
            problems += json_problems(value, where=f"{where}[{n}]")
    return problems


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_problems(body: bytes, *, where: str = "feed") -> list[str]:
    """An Atom feed: well-formed, HTML summaries clean, links safe.

    A feed reader renders ``type="html"`` text as HTML, so it must hold
    markup only where it is meant to, escaped text everywhere else.
    """
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    root = lxml.etree.fromstring(body, parser)
    problems: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.removeprefix(ATOM)
        if element.get("type") in ("html", "xhtml") and element.text:
            problems += fragment_problems(element.text, where=f"{where} <{name}>")
        href = element.get("href")
        if href is not None and unsafe_url(href):
            problems.append(f"{where} <{name} href={href[:60]!r}>")
    return problems

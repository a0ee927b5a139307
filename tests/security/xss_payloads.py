"""A corpus of cross-site scripting payloads, for the hostile-input tests.

Every payload that runs sets the canary global ``window.__xss`` (or, from a
frame, its parent's) or opens a dialog, so the browser test can tell that
something executed without knowing which payload did. The tests put these
strings into titles, bylines, bodies, comments, entity names, search queries
and snippets, and check that each comes back as text or not at all.

Sources of the ideas: the classic filter-evasion lists (script and event
handler variants, ``javascript:``/``data:`` URLs written with entities,
whitespace and mixed case), attribute and raw-text-element breakouts,
mutation XSS (markup that changes meaning when parsed twice), template
injection, and Unicode look-alikes. The strings are ours.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

CANARY = "__xss"
# If a template engine ever evaluated a payload, this number would appear.
TEMPLATE_RESULT = "1337"


@dataclass(frozen=True, slots=True)
class Payload:
    name: str
    text: str

    @property
    def escaped(self) -> str:
        """The payload as HTML *text*: a parser reads back exactly ``text``."""
        return html.escape(self.text, quote=True)


def _p(name: str, text: str) -> Payload:
    return Payload(name=name, text=text)


SET = "window.__xss=1"

PAYLOADS: tuple[Payload, ...] = (
    # <script> in its many spellings
    _p("script", f"<script>{SET}</script>"),
    _p("script-mixed-case", f"<ScRiPt>{SET}</sCrIpT>"),
    _p("script-src-data", f'<script src="data:text/javascript,{SET}"></script>'),
    _p("script-in-svg", f"<svg><script>{SET}</script></svg>"),
    _p("script-split", f"<scr<script>ipt>{SET}</scr</script>ipt>"),
    # event handlers
    _p("img-onerror", f'<img src=x onerror="{SET}">'),
    _p("img-onerror-unquoted", f"<IMG SRC=x OnErRoR={SET}>"),
    _p("img-unclosed", f"<img src=x onerror={SET} "),
    _p("svg-onload", f"<svg onload={SET}>"),
    _p("svg-animate", f"<svg><animate onbegin={SET} attributeName=x dur=1s>"),
    _p("details-ontoggle", f"<details open ontoggle={SET}>x</details>"),
    _p("input-autofocus", f"<input autofocus onfocus={SET}>"),
    _p("body-onload", f"<body onload={SET}>"),
    _p("video-source", f'<video><source onerror="{SET}"></video>'),
    _p("marquee", f"<marquee onstart={SET}>x</marquee>"),
    # javascript:, vbscript: and data: URLs
    _p("href-javascript", f'<a href="javascript:{SET}">click me</a>'),
    _p("href-javascript-entity", f'<a href="&#106;avascript:{SET}">click me</a>'),
    _p("href-javascript-tab", f'<a href="jav&#x09;ascript:{SET}">click me</a>'),
    _p("href-javascript-case-space", f'<a href="  JaVaScRiPt:{SET}">click me</a>'),
    _p("href-javascript-zero-width", f'<a href="java\u200bscript:{SET}">click me</a>'),
    _p("href-vbscript", '<a href="vbscript:msgbox(1)">click me</a>'),
    _p(
        "href-data-base64",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click me</a>',
    ),
    _p("img-src-data-svg", '<img src="data:image/svg+xml,<svg onload=alert(1)>">'),
    _p("img-srcset-javascript", '<img srcset="javascript:alert(1)">'),
    _p("svg-xlink", f'<svg><a xlink:href="javascript:{SET}"><text y=20>x</text></a></svg>'),
    _p("form-action", f'<form action="javascript:{SET}"><button>go</button></form>'),
    _p("meta-refresh", f'<meta http-equiv="refresh" content="0;url=javascript:{SET}">'),
    _p("base-href", '<base href="javascript:/">'),
    _p("link-stylesheet", '<link rel="stylesheet" href="javascript:alert(1)">'),
    # frames and plugins
    _p("iframe-srcdoc", '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>'),
    _p("iframe-javascript", '<iframe src="javascript:parent.__xss=1"></iframe>'),
    _p("object-data", f'<object data="javascript:{SET}"></object>'),
    _p("embed-data", '<embed src="data:text/html,<script>alert(1)</script>">'),
    # styles
    _p("style-expression", '<div style="width: expression(alert(1))">x</div>'),
    _p("style-url-javascript", "<p style=\"background:url('javascript:alert(1)')\">x</p>"),
    _p("style-element", "<style>@import 'https://evil.example/x.css';</style>"),
    # breaking out of attributes and raw-text elements
    _p("attr-breakout-double", f'"><script>{SET}</script>'),
    _p("attr-breakout-single", f"'><img src=x onerror={SET}>"),
    _p("attr-breakout-event", f'" onmouseover="{SET}" x="'),
    _p("textarea-breakout", f"</textarea><script>{SET}</script>"),
    _p("title-breakout", f"</title><script>{SET}</script>"),
    _p("style-breakout", f"</style><img src=x onerror={SET}>"),
    _p("script-breakout", f"</script><script>{SET}</script>"),
    _p("json-breakout", f'"}};{SET};//'),
    # encodings: the text must stay text after decoding once
    _p("entity-encoded", f"&lt;script&gt;{SET}&lt;/script&gt;"),
    _p("double-encoded", f"&amp;lt;img src=x onerror={SET}&amp;gt;"),
    _p("numeric-entities", "&#60;script&#62;alert(1)&#60;/script&#62;"),
    # mutation XSS: harmless when parsed once, live when serialised and parsed again
    _p("mxss-noscript", f'<noscript><p title="</noscript><img src=x onerror={SET}>">'),
    _p("mxss-math", f"<math><mtext><table><mglyph><style><img src=x onerror={SET}>"),
    _p("comment-breakout", f'<!--<img src="--><img src=x onerror={SET}//">'),
    _p("cdata", f"<![CDATA[><img src=x onerror={SET}>]]>"),
    # template injection: must be shown literally, never evaluated
    _p("template-django", "{{ 1336|add:1 }}{% debug %}"),
    _p("template-jinja", "{{ 7*191 }}${7*191}#{7*191}"),
    # Unicode tricks
    _p("fullwidth-brackets", f"\uff1cscript\uff1e{SET}\uff1c/script\uff1e"),
    _p("right-to-left-override", "\u202e>tpircs/<1=ssx__.wodniw>tpircs<"),
    _p("combining-marks", f"<scri\u0307pt>{SET}</script>"),
)

BY_NAME = {payload.name: payload for payload in PAYLOADS}
# Short enough for every column (names are up to 200 characters).
assert max(len(p.text) for p in PAYLOADS) < 150
assert len(BY_NAME) == len(PAYLOADS), "payload names must be unique"

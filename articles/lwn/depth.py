"""How deeply a piece of HTML nests its elements, measured cheaply.

BeautifulSoup's tree building and nh3's cleaning both slow down with the depth
of the tree (quadratically: every text node after a child walks up to the
root), so a page of a few hundred kilobytes nested 100,000 deep ties a worker
up for minutes. LWN's own pages stay shallow: the deepest fixtures reach 13
levels, and a comment reply adds two or three (a thread a hundred replies deep
would reach about 300). ``MAX_DEPTH`` (512) leaves room for that and refuses
what no real page does, before the expensive work starts.
"""

from __future__ import annotations

import contextlib

from lxml import etree

MAX_DEPTH = 512
# Fed to libxml2 in slices, so a scan stops soon after the depth is passed.
_CHUNK = 64 * 1024


def html_depth(markup: bytes | str, *, stop_above: int | None = None) -> int:
    """The deepest element nesting in ``markup``, as an HTML parser builds the tree.

    Any element counts. libxml2 closes what HTML closes implicitly (``<p>``,
    ``<li>``, ``<td>``…), so a page of unclosed paragraphs is shallow, as it is
    in a browser. With ``stop_above``, the scan ends as soon as the depth passes
    it and returns the depth reached so far. Linear in the size of the input;
    libxml2 itself gives up a little past 2,000 levels.
    """
    data = markup.encode("utf-8", "surrogatepass") if isinstance(markup, str) else bytes(markup)
    parser = etree.HTMLPullParser(events=("start", "end"), recover=True, huge_tree=True)
    depth = deepest = 0
    for offset in range(0, max(len(data), 1), _CHUNK):
        parser.feed(data[offset : offset + _CHUNK])
        for event, _element in parser.read_events():
            if event == "start":
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth -= 1
        if stop_above is not None and deepest > stop_above:
            return deepest
    with contextlib.suppress(etree.XMLSyntaxError):  # empty input: nothing to close
        parser.close()
    for event, _element in parser.read_events():
        if event == "start":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest

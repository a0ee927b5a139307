"""``{{ article.body_html|merge_item_anchors:items }}``: give each merge-window entry
of an article an anchor and a link to the same entry on its release page.

The release page links every item to ``/articles/<id>/#mw-item-<pk>``; this filter
makes that fragment exist. Entries are found the way the parser found them
(``lwn.mergewindow.collect_groups``: the ``<li>`` of the lists under each ``<h4>``, in
order, those with text), so the n-th entry is the item at the n-th position. When the
counts differ (a body edited by hand since the import) nothing is marked: a wrong
anchor would be worse than none.
"""

from __future__ import annotations

from collections.abc import Sequence

from bs4 import BeautifulSoup
from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from articles.lwn.mergewindow import collect_groups
from articles.models import MergeWindowItem

register = template.Library()


def item_anchor(item: MergeWindowItem) -> str:
    return f"mw-item-{item.pk}"


@register.filter(is_safe=True)
def merge_item_anchors(html: str, items: Sequence[MergeWindowItem]) -> SafeString:
    """Mark the entries of sanitised ``html`` with ids and release-page links."""
    source = str(html or "")
    if not items:
        return mark_safe(source)  # noqa: S308 - sanitised input, unchanged
    soup = BeautifulSoup(source, "html.parser")
    entries = [
        li for _, group in collect_groups(soup.contents) for li in group if li.get_text(strip=True)
    ]
    ordered = sorted(items, key=lambda item: item.position)
    if len(entries) != len(ordered):
        return mark_safe(source)  # noqa: S308 - sanitised input, unchanged
    for li, item in zip(entries, ordered, strict=True):
        li["id"] = item_anchor(item)
        version = item.release.version
        link = soup.new_tag(
            "a", href=reverse("articles:release-detail", args=[version]) + f"#item-{item.pk}"
        )
        link["class"] = "release-item"
        link.string = f"Linux {version} page"
        li.append(" ")
        li.append(link)
    return mark_safe(str(soup))  # noqa: S308 - serialised by bs4, so text stays escaped

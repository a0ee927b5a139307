"""The hardware browser: every device LWN listed, filterable and sortable."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as _esc

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from articles.models import HardwareDevice
from articles.selectors.hardware import (
    HARDWARE_SORTS,
    hardware_categories,
    hardware_page_source,
    hardware_sort,
)
from articles.selectors.releases import release_choices

PAGE_SIZE = 50


def _options(values: list[str], selected: str) -> SafeString:
    """A filter's ``<option>``s. Written here, not looped over in the template: every
    release is one (110 at full size), and the template's loop cost more than the rest
    of the page's rendering. Plain f-strings with ``html.escape`` (what Django's
    ``escape`` calls), not ``format_html``: its escaping of every argument was, for 110
    releases, most of what the page's CPU grew by from the small archive."""
    return SafeString(
        "".join(f"<option{_SELECTED if v == selected else ''}>{_esc(v)}</option>" for v in values)
    )


_SELECTED = " selected"


def _device_rows(devices: Iterable[HardwareDevice]) -> SafeString:
    """The table's ``<tr>`` of each device, written here for the reason ``_options`` is:
    a page shows 50, and the template's loop was most of what a row cost. Every value
    is escaped (``html.escape``, as Django's autoescape would)."""
    hrefs: dict[int, str] = {}  # reversed once per release on the page (a few)
    rows = []
    for device in devices:
        version = device.release_version  # type: ignore[attr-defined]
        href = hrefs.get(device.release_id)
        if href is None:
            href = hrefs[device.release_id] = _esc(
                reverse("articles:release-detail", args=[version])
            )
        rows.append(
            f"<tr><td>{_esc(device.name)}</td><td>{_esc(device.category)}</td>"
            f'<td><a href="{href}">{_esc(version)}</a></td></tr>'
        )
    return SafeString("\n".join(rows))


@require_safe
def hardware_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "category": request.GET.get("category", "").strip(),
        "release": request.GET.get("release", "").strip(),
        "name": request.GET.get("q", "").strip()[:200],
    }
    sort = hardware_sort(request.GET.get("sort", "-release"))
    devices = hardware_page_source(**filters, sort=sort, user=request.user)
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "device_rows": _device_rows(page.object_list),
        "filters": filters,
        "sort": sort,
        "sorts": HARDWARE_SORTS,
        "category_options": _options(hardware_categories(user=request.user), filters["category"]),
        "release_options": _options(
            list(release_choices().values_list("version", flat=True)), filters["release"]
        ),
        "query": query.urlencode(),
    }
    return render(request, "articles/hardware_list.html", context)

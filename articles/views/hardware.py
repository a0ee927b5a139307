"""The hardware browser: every device LWN listed, filterable and sortable."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

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
    of the page's rendering."""
    return format_html_join(
        "", "<option{}>{}</option>", ((_SELECTED if v == selected else "", v) for v in values)
    )


_SELECTED = mark_safe(" selected")


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
    hrefs: dict[int, str] = {}
    for device in page.object_list:
        # Reversed once per release on the page (a few), not once per device.
        if device.release_id not in hrefs:
            hrefs[device.release_id] = reverse(
                "articles:release-detail", args=[device.release.version]
            )
        device.release_href = hrefs[device.release_id]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
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

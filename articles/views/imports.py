"""Import status for staff: what ran, how it ended, what it changed, what the parser warned."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.lwn import WARNING_CODES
from articles.models import ImportOutcome
from articles.selectors.imports import archive_stats, import_runs_recent, import_runs_warnings_load

RUNS_PER_PAGE = 50


@require_safe
@staff_member_required
def import_status(request: HttpRequest) -> HttpResponse:
    outcome = request.GET.get("outcome", "")
    if outcome not in ImportOutcome.values:
        outcome = ""
    warning = request.GET.get("warning", "")
    # An unknown code is a mistyped or outdated bookmark: say so rather than show
    # every run as if the filter had matched, or nothing without a reason.
    unknown = bool(warning) and warning not in WARNING_CODES
    runs = import_runs_recent(outcome=outcome, warning="" if unknown else warning)
    page = Paginator(runs.none() if unknown else runs, RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    import_runs_warnings_load(runs=page.object_list)
    filters = {key: value for key, value in (("outcome", outcome), ("warning", warning)) if value}
    context = {
        "page": page,
        "outcome": outcome,
        "warning": warning,
        "unknown_warning": unknown,
        "query": urlencode(filters),
        # The outcome links keep a known warning filter (and drop an unknown one).
        "warning_query": urlencode({"warning": warning}) if warning and not unknown else "",
        "outcomes": ImportOutcome.choices,
        "warning_codes": sorted(WARNING_CODES.items()),
        "stats": archive_stats(),
    }
    return render(request, "articles/import_status.html", context, status=400 if unknown else 200)

"""Import status for staff: what ran, how it ended, what it changed."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.models import ImportOutcome
from articles.selectors.imports import archive_stats, import_runs_recent


@require_safe
@staff_member_required
def import_status(request: HttpRequest) -> HttpResponse:
    outcome = request.GET.get("outcome", "")
    if outcome not in ImportOutcome.values:
        outcome = ""
    runs = import_runs_recent(outcome=outcome)
    context = {
        "page": Paginator(runs, 50).get_page(request.GET.get("page")),
        "outcome": outcome,
        "query": f"outcome={outcome}" if outcome else "",
        "outcomes": ImportOutcome.choices,
        "stats": archive_stats(),
    }
    return render(request, "articles/import_status.html", context)

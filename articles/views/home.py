from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.selectors.editions import edition_list_recent
from articles.selectors.releases import release_list_recent


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "editions": edition_list_recent(limit=10),
        "releases": release_list_recent(user=request.user, limit=5),
    }
    return render(request, "articles/home.html", context)

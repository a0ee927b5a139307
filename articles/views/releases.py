"""Kernel releases: the list, and one release's merge window and hardware."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.selectors import releases
from articles.views import charts
from articles.views.neighbours import neighbour


@require_safe
def release_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "articles/release_list.html",
        {"releases": releases.release_list(user=request.user)},
    )


@require_safe
def release_detail(request: HttpRequest, version: str) -> HttpResponse:
    release = releases.release_get(version=version)
    if release is None:
        raise Http404("No such release")
    page = releases.release_page(release=release, user=request.user)
    previous, following = page.previous, page.next
    context = {
        "page": page,
        "charts": charts.release_charts(page, user=request.user),
        "previous": neighbour("release-detail", previous and previous.version, f"Linux {previous}"),
        "next": neighbour("release-detail", following and following.version, f"Linux {following}"),
    }
    return render(request, "articles/release_detail.html", context)

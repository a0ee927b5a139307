"""Kernel releases: the list, and one release's merge window and hardware."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles import selectors


@require_safe
def release_list(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/release_list.html", {"releases": selectors.release_list()})


@require_safe
def release_detail(request: HttpRequest, version: str) -> HttpResponse:
    release = selectors.release_get(version=version)
    if release is None:
        raise Http404("No such release")
    page = selectors.release_page(release=release, user=request.user)
    return render(request, "articles/release_detail.html", {"page": page})

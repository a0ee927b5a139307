"""Kernel releases: the list, and one release's merge window and hardware."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from articles import selectors


def release_list(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/release_list.html", {"releases": selectors.release_list()})


def release_detail(request: HttpRequest, version: str) -> HttpResponse:
    release = selectors.release_get(version=version)
    if release is None:
        raise Http404("No such release")
    return render(
        request, "articles/release_detail.html", {"page": selectors.release_page(release=release)}
    )

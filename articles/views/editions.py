"""Edition archive and edition pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.filters import parse_int
from articles.selectors.editions import (
    edition_articles,
    edition_get,
    edition_list_for_year,
    edition_years,
)


@require_safe
def edition_archive(request: HttpRequest) -> HttpResponse:
    years = edition_years()
    raw = request.GET.get("year", "")
    if raw:
        try:
            year: int | None = parse_int(raw, name="year", minimum=1, maximum=9999)
        except ValueError as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    else:
        year = years[0] if years else None
    context = {
        "years": years,
        "year": year,
        "editions": edition_list_for_year(year=year),
    }
    return render(request, "articles/edition_archive.html", context)


@require_safe
def edition_detail(request: HttpRequest, lwn_id: int) -> HttpResponse:
    edition = edition_get(lwn_id=lwn_id)
    if edition is None:
        raise Http404("No such edition")
    sections: dict[str, list[object]] = {}
    for article in edition_articles(edition=edition):
        # A locked article's comments (and so their count) are subscriber text.
        article.locked = article.is_locked_for(request.user)  # type: ignore[attr-defined]
        sections.setdefault(article.section or "Front page", []).append(article)
    context = {"edition": edition, "sections": list(sections.items())}
    return render(request, "articles/edition_detail.html", context)

"""Edition archive and edition pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.selectors.editions import (
    edition_articles,
    edition_get,
    edition_list_for_year,
    edition_years,
)


@require_safe
def edition_archive(request: HttpRequest) -> HttpResponse:
    years = edition_years()
    try:
        year = int(request.GET.get("year", "") or (years[0] if years else 0)) or None
    except ValueError:
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

"""Edition archive (a year as a calendar) and edition pages (contents, blurbs, neighbours)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from articles.filters import parse_int
from articles.models import Article, Edition
from articles.selectors.editions import (
    article_blurb,
    edition_articles,
    edition_calendar,
    edition_get,
    edition_list_for_year,
    edition_neighbours,
    edition_years,
)
from articles.views.neighbours import neighbour


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
    editions = with_hrefs(list(edition_list_for_year(year=year)))
    context = {
        "years": years,
        "year": year,
        # years is newest first: the year before is the next one in it.
        "older_year": next((y for y in years if year is not None and y < year), None),
        "newer_year": next((y for y in reversed(years) if year is not None and y > year), None),
        "editions": editions,
        "months": edition_calendar(editions=editions, year=year) if year else [],
    }
    return render(request, "articles/edition_archive.html", context)


@require_safe
def edition_detail(request: HttpRequest, lwn_id: int) -> HttpResponse:
    edition = edition_get(lwn_id=lwn_id)
    if edition is None:
        raise Http404("No such edition")
    sections: dict[str, list[Article]] = {}
    for article in edition_articles(edition=edition):
        # A locked article's comments (and so their count) and text are subscriber text.
        article.locked = article.is_locked_for(request.user)  # type: ignore[attr-defined]
        article.blurb = "" if article.locked else article_blurb(article)  # type: ignore[attr-defined]
        sections.setdefault(article.section or "Front page", []).append(article)
    previous, following = edition_neighbours(edition=edition)
    context = {
        "edition": edition,
        "sections": _with_anchors(sections),
        "previous": neighbour("edition-detail", previous and previous.lwn_id, previous),
        "next": neighbour("edition-detail", following and following.lwn_id, following),
    }
    return render(request, "articles/edition_detail.html", context)


def with_hrefs(editions: list[Edition]) -> list[Edition]:
    """``editions``, each with its page's ``href``: one URL reversed and filled in per row
    (a year has 52 editions, each linked twice; ``{% url %}`` reversed each link anew)."""
    sentinel = 987654321
    pattern = reverse("articles:edition-detail", args=[sentinel])
    for edition in editions:
        edition.href = pattern.replace(str(sentinel), str(edition.lwn_id))  # type: ignore[attr-defined]
    return editions


def _with_anchors(sections: dict[str, list[Article]]) -> list[dict[str, object]]:
    """Sections with a readable, unique fragment each, for the table of contents."""
    used: set[str] = set()
    rows: list[dict[str, object]] = []
    for index, (title, items) in enumerate(sections.items(), start=1):
        anchor = f"s-{slugify(title)}" if slugify(title) else f"s-{index}"
        if anchor in used:
            anchor = f"{anchor}-{index}"
        used.add(anchor)
        rows.append({"title": title, "anchor": anchor, "items": items})
    return rows

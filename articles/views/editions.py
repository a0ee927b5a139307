"""Edition archive (a year as a calendar) and edition pages (contents, blurbs, neighbours)."""

from __future__ import annotations

from html import escape as _esc

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from articles.filters import parse_int
from articles.models import Article
from articles.selectors.editions import (
    CalendarMonth,
    EditionRow,
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
    editions = with_hrefs(edition_list_for_year(year=year))
    context = {
        "years": years,
        "year_links": _year_links(years, year),
        "year": year,
        # years is newest first: the year before is the next one in it.
        "older_year": next((y for y in years if year is not None and y < year), None),
        "newer_year": next((y for y in reversed(years) if year is not None and y > year), None),
        "editions": editions,
        "edition_items": edition_items(editions),
        "calendar": _calendar_rows(edition_calendar(editions=editions, year=year)) if year else "",
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


def with_hrefs(editions: list[EditionRow]) -> list[EditionRow]:
    """``editions``, each with its page's ``href``: one URL reversed and filled in per row
    (a year has 52 editions, each linked twice; ``{% url %}`` reversed each link anew)."""
    sentinel = 987654321
    pattern = reverse("articles:edition-detail", args=[sentinel])
    for edition in editions:
        edition.href = pattern.replace(str(sentinel), str(edition.lwn_id))
    return editions


# A year's page lists its 52 editions twice (the calendar and the list) and every year
# of the archive: written here, as the hardware filters are, because the template's
# loops cost more than the rest of the page (8.0 against 2.1 ms of CPU for 53 editions
# and for one), so the page grew with the year it shows. Plain f-strings, not
# format_html: its escaping of every argument (numbers, the view's own hrefs) was most
# of what was left, about 150 calls for a year. Only the titles and the hrefs are text
# from elsewhere, and they are escaped here (as format_html would: html.escape).


def _item_word(count: int) -> str:
    return "item" if count == 1 else "items"


def _counted(edition: EditionRow) -> tuple[str, int, str]:
    """An edition's escaped ``href`` (set by ``with_hrefs``), its number of items and
    the word for them."""
    count = edition.article_count
    return _esc(edition.href), count, _item_word(count)


def edition_items(editions: list[EditionRow]) -> SafeString:
    """The ``<li>`` of each edition (with its ``href`` and ``article_count``)."""
    items = []
    for edition in editions:
        href, count, word = _counted(edition)
        items.append(
            f'<li><a href="{href}">{_esc(str(edition))}</a>'
            f' <span class="muted">({count:d} {word})</span></li>'
        )
    return SafeString("\n".join(items))


def _year_links(years: list[int], current: int | None) -> SafeString:
    return SafeString(
        "".join(
            f'<li><a href="?year={y:d}"{_CURRENT if y == current else ""}>{y:d}</a></li>'
            for y in years
        )
    )


_CURRENT = ' aria-current="page"'


def _calendar_rows(months: list[CalendarMonth]) -> SafeString:
    """One ``<tr>`` per month: a cell per edition, by its day, with its number of items."""
    rows = []
    for month in months:
        name = _esc(month.name)
        cells = []
        for edition in month.editions:
            href, count, word = _counted(edition)
            day = edition.date.day if edition.date else 0
            cells.append(
                f'<td><a href="{href}"><span class="day">{day:d}</span>'
                f'<span class="visually-hidden"> {name},</span> <span class="count">{count:d}'
                f'<span class="visually-hidden"> {word}</span></span></a></td>'
            )
        if cells:
            rows.append(f'<tr><th scope="row">{name}</th>{"".join(cells)}</tr>')
        else:
            rows.append(
                f'<tr class="empty"><th scope="row">{name}</th>'
                '<td class="muted">no editions</td></tr>'
            )
    return SafeString("\n".join(rows))


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

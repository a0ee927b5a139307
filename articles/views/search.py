"""The search page: the query, facets and filters all live in the URL (GET), no JavaScript.

Snippets come from the search facade already escaped, with only ``<mark>``
added, which is why the template renders them with ``|safe``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles import search
from articles.views import charts
from lwnkb.throttling import page_throttled

PAGE_SIZE = 20
FILTERS = ("type", "release", "section", "author", "after", "before")
TYPE_LABELS = {
    "article": "Article",
    "merge": "Merge-window item",
    "hardware": "Hardware device",
    "comment": "Comment",
}
FACET_TITLES = {
    "type": "Type",
    "release": "Release",
    "section": "Section",
    "author": "Author",
    "year": "Year",
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the archive", required=False, max_length=search.MAX_QUERY_LENGTH
    )
    type = forms.ChoiceField(
        choices=[("", "Any type"), *TYPE_LABELS.items()], required=False, label="Type"
    )
    release = forms.RegexField(r"^\d+\.\d+(?:\.\d+)?$", required=False, max_length=20)
    section = forms.CharField(required=False, max_length=200)
    author = forms.CharField(required=False, max_length=200)
    after = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        choices=[("relevance", "Relevance"), ("date", "Newest first")], required=False
    )
    page = forms.IntegerField(min_value=1, required=False)


class _Urls:
    """This page's URL with changes applied, for the many links of one page (chips, up to
    60 facet values, paging): the path is reversed and the query read once, where a
    ``QueryDict.copy()`` per link (a deep copy) and a ``reverse()`` each cost more than
    the rest of the facets' work."""

    def __init__(self, params: QueryDict) -> None:
        self.path = reverse("articles:search")
        self.params = {name: params.getlist(name) for name in params}

    def __call__(self, **changes: str | None) -> str:
        """With ``changes`` applied (None removes); any change resets the page."""
        query = {name: values for name, values in self.params.items() if name != "page"}
        for name, value in changes.items():
            if value is None or value == "":
                query.pop(name, None)
            else:
                query[name] = [value]
        encoded = urlencode([(name, value) for name, values in query.items() for value in values])
        return self.path + (f"?{encoded}" if encoded else "")


def _chips(url: _Urls, data: dict[str, Any]) -> list[dict[str, str]]:
    chips = []
    for name in FILTERS:
        value = data.get(name)
        if value:
            label = TYPE_LABELS.get(value, value) if name == "type" else str(value)
            chips.append({"name": name, "label": label, "remove_url": url(**{name: None})})
    return chips


def _facet_links(url: _Urls, facets: search.Facets, data: dict[str, Any]) -> list[dict[str, Any]]:
    groups = []
    for name, title in FACET_TITLES.items():
        links = []
        for item in getattr(facets, name):
            if name == "year":
                year = int(item.value)
                start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
                active = data.get("after") == start and data.get("before") == end
                href = url(after=start.isoformat(), before=end.isoformat())
            else:
                active = data.get(name) == item.value
                href = url(**{name: item.value})
            label = TYPE_LABELS.get(item.value, item.value) if name == "type" else item.value
            links.append({"label": label, "count": item.count, "url": href, "active": active})
        if links:
            groups.append({"name": name, "title": title, "links": links})
    return groups


def _link(hit: search.SearchHit) -> str:
    """The hit on this site when it has a page here, else on lwn.net."""
    lwn_id = hit.lwn_id if hit.type == "article" else hit.article_lwn_id
    if not lwn_id:
        return hit.url
    url = reverse("articles:article-detail", kwargs={"lwn_id": lwn_id})
    return f"{url}#c{hit.lwn_id}" if hit.type == "comment" else url


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "syntax": search.SYNTAX_HELP,
        "type_labels": TYPE_LABELS,
    }
    status = 200
    data = form.cleaned_data if form.is_valid() else {}
    if data and (data.get("q") or any(data.get(name) for name in FILTERS)):
        # A search costs what an API search costs, so it draws on the API's allowance.
        if (throttled := page_throttled(request)) is not None:
            return throttled
        filters = search.SearchFilters.from_params(data)
        url = _Urls(request.GET)
        try:
            results = search.archive_search(
                query=data.get("q", ""),
                user=request.user,
                filters=filters,
                sort=data.get("sort") or "relevance",
                page=data.get("page") or 1,
                page_size=PAGE_SIZE,
            )
        except search.SearchError as exc:
            context["error"] = exc.message
        except search.SearchUnavailable as exc:
            context["unavailable"] = exc.message
            status = 503
        else:
            page = results.page
            facet_groups = _facet_links(url, results.facets, data)
            context.update(
                results=results,
                hits=[
                    {"hit": hit, "link": _link(hit), "label": TYPE_LABELS.get(hit.type, hit.type)}
                    for hit in results.hits
                ],
                first_number=(page - 1) * PAGE_SIZE + 1,
                facet_groups=facet_groups,
                charts=charts.search_charts(facet_groups),
                next_url=url(page=str(page + 1)) if results.has_next else None,
                previous_url=url(page=str(page - 1)) if page > 1 else None,
                suggestion_url=url(q=results.suggestion) if results.suggestion else None,
            )
        context["chips"] = _chips(url, data)
        # A new query from the box keeps the active filters.
        context["kept_filters"] = [
            (name, request.GET[name]) for name in FILTERS if data.get(name) and name in request.GET
        ]
    return render(request, "articles/search.html", context, status=status)

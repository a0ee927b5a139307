"""Entity pages: ``/entities/`` (filterable list) and ``/entities/<kind>/<name>/``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.links import KINDS, url_name
from articles.models import EntityKind
from articles.selectors import entities as selectors
from articles.selectors import entity_lists, entity_mentions, mention_rows
from articles.selectors.entity_page import entity_page_mentions
from articles.views import charts

LIST_PAGE = 100


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def entity_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    introduced = request.GET.get("introduced", "").strip()
    prefix = request.GET.get("q", "").strip()
    entities = entity_lists.entity_list(
        user=request.user,
        kind=kind or None,
        introduced=introduced or None,
        name_prefix=prefix or None,
    )
    page = Paginator(entities, LIST_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": EntityKind.choices,
        "kind": kind,
        "introduced": introduced,
        "q": prefix,
        "query": _query_without_page(request),
    }
    return render(request, "articles/entity_list.html", context)


@require_safe
def entity_detail(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    entity = selectors.entity_get(kind=kind, name=name, user=request.user)
    if entity is None:
        raise Http404("No such entity")
    entity = selectors.entity_for(entity, request.user)
    if (kind, name) != (entity.kind, url_name(entity.kind, entity.name)):
        # faccessat2(), FACCESSAT2 and former names all land on one bookmarkable URL.
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponseRedirect(entity.get_absolute_url() + query, status=301)
    # Counted once from the tallies, for the timeline's pages and the year chart.
    counts = entity_mentions.entity_counts(entity=entity, user=request.user)
    if counts.locked is not None:
        mentions = entity_page_mentions(
            entity=entity, user=request.user, counts=counts, page=request.GET.get("page")
        )
        page, rows, first, latest = mentions.page, mentions.rows, mentions.first, mentions.latest
    else:
        page, rows = entity_mentions.entity_timeline(
            entity=entity, user=request.user, page=request.GET.get("page"), counts=counts
        )
        first, latest = entity_mentions.entity_first_and_latest(entity=entity, user=request.user)
    introduced = entity.introduced_in
    context = {
        "entity": entity,
        "page": page,
        "rows": rows,
        "charts": charts.entity_charts(entity, user=request.user, counts=counts),
        "first": first,
        "latest": latest,
        "introduced_href": mention_rows.merge_item_href(introduced) if introduced else "",
        "query": _query_without_page(request),
    }
    return render(request, "articles/entity_detail.html", context)

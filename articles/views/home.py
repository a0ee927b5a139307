"""The home page: the archive at a glance."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.selectors import stats
from articles.selectors.editions import edition_list_recent
from articles.selectors.releases import release_list_recent
from articles.views import charts
from articles.views.editions import edition_items, with_hrefs


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    editions = with_hrefs(edition_list_recent(limit=10))
    releases = list(release_list_recent(user=request.user, limit=5))
    # Undated editions sort first on PostgreSQL: the newest is the newest dated one.
    newest = next((edition for edition in editions if edition.date), None)
    # The newest merge window anyone has written up; a release named only in passing has none.
    latest = next((release for release in releases if release.item_count), None)  # type: ignore[attr-defined]
    context = {
        "editions": editions,
        "edition_items": edition_items(editions),
        "releases": releases,
        "newest": newest,
        "features": stats.edition_features(edition_id=newest.pk, user=request.user)
        if newest
        else [],
        "latest_release": latest,
        "charts": charts.home_charts(
            user=request.user, newest=newest.date if newest else None, release=latest
        ),
    }
    return render(request, "articles/home.html", context)

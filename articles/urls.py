from __future__ import annotations

from django.urls import path

from articles import feeds
from articles.views import (
    articles,
    authors,
    editions,
    entities,
    hardware,
    home,
    imports,
    releases,
    search,
)

app_name = "articles"

urlpatterns = [
    path("feeds/articles/", feeds.articles_feed, name="feed-articles"),
    path("feeds/entities/<str:kind>/<path:name>/", feeds.entity_feed, name="feed-entity"),
    path("feeds/search/", feeds.search_feed, name="feed-search"),
    path("", home.home, name="home"),
    path("editions/", editions.edition_archive, name="edition-archive"),
    path("editions/<int:lwn_id>/", editions.edition_detail, name="edition-detail"),
    path("articles/<int:lwn_id>/", articles.article_detail, name="article-detail"),
    path("releases/", releases.release_list, name="release-list"),
    path("releases/<str:version>/", releases.release_detail, name="release-detail"),
    path("authors/", authors.author_list, name="author-list"),
    path("authors/<path:name>/", authors.author_detail, name="author-detail"),
    path("hardware/", hardware.hardware_list, name="hardware-list"),
    path("imports/", imports.import_status, name="import-status"),
    path("search/", search.search_page, name="search"),
    path("entities/", entities.entity_list, name="entity-list"),
    path("entities/<str:kind>/<path:name>/", entities.entity_detail, name="entity-detail"),
]

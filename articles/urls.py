from __future__ import annotations

from django.urls import path

from articles.views import articles, editions, hardware, home, imports, releases

app_name = "articles"

urlpatterns = [
    path("", home.home, name="home"),
    path("editions/", editions.edition_archive, name="edition-archive"),
    path("editions/<int:lwn_id>/", editions.edition_detail, name="edition-detail"),
    path("articles/<int:lwn_id>/", articles.article_detail, name="article-detail"),
    path("releases/", releases.release_list, name="release-list"),
    path("releases/<str:version>/", releases.release_detail, name="release-detail"),
    path("hardware/", hardware.hardware_list, name="hardware-list"),
    path("imports/", imports.import_status, name="import-status"),
]

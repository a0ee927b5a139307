from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

from articles.api.actions import ImportActionView, ReparseActionView
from articles.api.articles import ArticleViewSet
from articles.api.auth import TokenView
from articles.api.comments import CommentViewSet
from articles.api.curation import MentionViewSet
from articles.api.curation_entities import (
    ArticleFreeView,
    EntityAliasesView,
    EntityAliasView,
    EntityMergeView,
    EntityRenameView,
)
from articles.api.curation_events import CurationEventViewSet
from articles.api.deletions import DeletionViewSet
from articles.api.editions import EditionViewSet
from articles.api.entities import EntityViewSet
from articles.api.hardware import HardwareViewSet
from articles.api.imports import ImportRunViewSet
from articles.api.releases import MergeWindowItemViewSet, ReleaseViewSet
from articles.api.search import SearchView

# What the root lists besides the resources: a tool starts at /api/v1/ and finds the rest.
ROOT_EXTRAS = {
    "search": "api:search",
    "auth-token": "api:auth-token",
    "actions-import": "api:action-import",
    "actions-reparse": "api:action-reparse",
    "schema": "api:schema",
    "docs": "api:docs",
}


class RootView(APIRootView):
    """The resources of API v1, then search, the token, the actions, the schema and docs."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        for key, name in ROOT_EXTRAS.items():
            try:
                response.data[key] = reverse(name, request=request, format=kwargs.get("format"))
            except NoReverseMatch:  # the schema and docs take no format suffix
                response.data[key] = reverse(name, request=request)
        return response


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
router.register("editions", EditionViewSet, basename="edition")
router.register("articles", ArticleViewSet, basename="article")
router.register("comments", CommentViewSet, basename="comment")
router.register("releases", ReleaseViewSet, basename="release")
router.register("merge-window-items", MergeWindowItemViewSet, basename="merge-window-item")
router.register("hardware", HardwareViewSet, basename="hardware")
router.register("import-runs", ImportRunViewSet, basename="import-run")
router.register("entities", EntityViewSet, basename="entity")
router.register("mentions", MentionViewSet, basename="mention")
router.register("curation/events", CurationEventViewSet, basename="curation-event")
router.register("deletions", DeletionViewSet, basename="deletion")

# Before the router's: an entity's name may hold slashes, and its detail route takes any suffix.
ENTITY = r"^entities/(?P<kind>[a-z]+)/(?P<name>.+?)"
curation_urls = [
    re_path(ENTITY + r"/rename/$", EntityRenameView.as_view(), name="entity-rename"),
    re_path(ENTITY + r"/merge/$", EntityMergeView.as_view(), name="entity-merge"),
    re_path(ENTITY + r"/aliases/$", EntityAliasesView.as_view(), name="entity-aliases"),
    re_path(ENTITY + r"/aliases/(?P<alias>.+)/$", EntityAliasView.as_view(), name="entity-alias"),
    path("articles/<int:lwn_id>/free/", ArticleFreeView.as_view(), name="article-free"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("actions/import/", ImportActionView.as_view(), name="action-import"),
    path("actions/reparse/", ReparseActionView.as_view(), name="action-reparse"),
    path("search/", SearchView.as_view(), name="search"),
    *curation_urls,
    *router.urls,
]
app_name = "api"

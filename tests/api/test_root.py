"""The API root: where a tool starts, listing every resource and every other entry point."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from rest_framework.test import APIClient

from articles.api.urls import ROOT_EXTRAS, router

pytestmark = pytest.mark.django_db


def test_it_lists_every_resource_search_the_token_the_actions_the_schema_and_docs() -> None:
    body = APIClient().get("/api/v1/").json()
    resources = {prefix for prefix, _viewset, _basename in router.registry}
    assert set(body) == resources | set(ROOT_EXTRAS)
    assert body["search"] == "http://testserver/api/v1/search/"
    assert body["schema"] == "http://testserver/api/v1/schema/"


def test_it_gives_addresses_that_each_reach_their_view() -> None:
    body = APIClient().get("/api/v1/").json()
    for key, url in body.items():
        parts = urlsplit(url)
        assert parts.scheme == "http", key
        assert parts.netloc == "testserver", key  # absolute: usable as they are
        match = resolve(parts.path)
        if key in ROOT_EXTRAS:
            assert f"api:{match.url_name}" == ROOT_EXTRAS[key]


def test_it_answers_the_same_list_with_a_format_suffix() -> None:
    api = APIClient()
    # The resources' links keep the suffix (DRF's way); the list is the same.
    assert set(api.get("/api/v1/.json").json()) == set(api.get("/api/v1/").json())

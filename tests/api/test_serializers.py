"""The hand-written representations agree with the declared (schema) fields.

The hot serializers build their dicts by hand for speed; their declared fields
still generate the OpenAPI schema. These tests keep the two in step: the same
keys in the same order, and values as DRF's own fields would write them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.request import Request

from articles.api.articles import ArticleSerializer, ArticleSummarySerializer
from articles.api.comments import CommentFieldsSerializer, CommentSerializer
from articles.api.editions import EditionSerializer
from articles.api.formats import iso_datetime
from articles.api.hardware import HardwareDeviceSerializer
from articles.api.links import Links
from articles.api.releases import ArticleRefSerializer, MergeWindowItemSerializer, ReleaseSerializer
from articles.api.search import SearchHitSerializer, search_hit_data
from articles.search import SearchHit
from tests.api.conftest import locked_article
from tests.factories import (
    CommentFactory,
    EditionFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)

pytestmark = pytest.mark.django_db


def context(rf: RequestFactory) -> dict[str, Any]:
    request = Request(rf.get("/"))
    request.user = AnonymousUser()
    return {"request": request}


def annotated(obj: Any, **values: Any) -> Any:
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


@pytest.mark.parametrize("serializer", [ArticleSummarySerializer, ArticleSerializer])
def test_it_writes_the_declared_article_fields(serializer: type, rf: RequestFactory) -> None:
    article = locked_article()
    annotated(article, edition_lwn_id=article.edition.lwn_id)  # type: ignore[union-attr]
    data = serializer(article, context=context(rf)).data
    assert list(data) == list(serializer().fields)
    assert data["updated_at"] == serializers.DateTimeField().to_representation(article.updated_at)


@pytest.mark.parametrize("serializer", [CommentFieldsSerializer, CommentSerializer])
def test_it_writes_the_declared_comment_fields(serializer: type, rf: RequestFactory) -> None:
    comment = annotated(CommentFactory.create(), parent_lwn_id=None, article_lwn_id=1)
    data = serializer(comment, context=context(rf)).data
    assert list(data) == list(serializer().fields)


@pytest.mark.parametrize(
    ("serializer", "factory"),
    [
        (MergeWindowItemSerializer, MergeWindowItemFactory),
        (HardwareDeviceSerializer, HardwareDeviceFactory),
    ],
)
def test_it_writes_the_declared_release_fields(serializer: type, factory: Any) -> None:
    row = annotated(factory(), release_version="5.8", article_lwn_id=1)
    assert list(serializer(row).data) == list(serializer().fields)


def test_it_writes_times_as_drf_does() -> None:
    field = serializers.DateTimeField()
    moment = dt.datetime(2020, 6, 8, 18, 4, 5, 123456, tzinfo=dt.UTC)
    assert iso_datetime(moment) == field.to_representation(moment) == "2020-06-08T18:04:05.123456Z"
    assert iso_datetime(None) is None


def test_it_writes_the_declared_edition_and_release_fields(rf: RequestFactory) -> None:
    edition = annotated(EditionFactory.create(), article_count=0)
    release = annotated(KernelReleaseFactory.create(version="5.8"), item_count=1, device_count=0)
    article = locked_article()
    cases: list[tuple[type, Any]] = [
        (EditionSerializer, edition),
        (ReleaseSerializer, release),
        (ArticleRefSerializer, article),
    ]
    for serializer, row in cases:
        data = serializer(row, context=context(rf)).data
        assert list(data) == list(serializer().fields), serializer


def test_it_writes_the_declared_search_hit_fields(rf: RequestFactory) -> None:
    for type in ("article", "comment", "merge", "hardware"):
        hit = SearchHit(
            type=type,
            id=3,
            lwn_id=4,
            title="t",
            url="",
            snippet="s",
            score=None,
            date=dt.date(2020, 6, 1),
            release="5.8",
            section="",
            article_lwn_id=4,
        )
        data = search_hit_data(hit, Links(rf.get("/")))
        assert list(data) == list(SearchHitSerializer().fields)
        assert (data["lwn_url"], data["section"]) == (None, None)
        assert data["id"] == (4 if type in ("article", "comment") else 3)

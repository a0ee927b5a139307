"""The API benchmark's floors (``lwnkb/benchfloor.py``) do what their ratios assume."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from lwnkb.benchfloor import FLOOR_BODY, BenchFloorDRF, bench_floor, bench_floor_query
from tests.factories import ArticleFactory, EditionFactory

pytestmark = pytest.mark.django_db


def test_it_reads_the_article_lists_first_page_in_one_query(
    django_assert_num_queries: object,
) -> None:
    # 60 articles over three dates, one undated: more than a page, ties broken by id.
    for day in (1, 2, 3):
        edition = EditionFactory(date=datetime.date(2020, 6, day))
        ArticleFactory.create_batch(20 if day < 3 else 19, edition=edition)
    ArticleFactory(edition=None, date=None)

    with django_assert_num_queries(1):  # type: ignore[operator]
        answer = bench_floor_query(RequestFactory().get("/bench/floor-query/"))

    floor_ids = [row["lwn_id"] for row in json.loads(answer.content)["results"]]
    listed = APIClient().get("/api/v1/articles/").json()["results"]
    assert len(floor_ids) == 50
    assert floor_ids == [row["lwn_id"] for row in listed]


def test_it_answers_the_fixed_body_with_and_without_drf() -> None:
    plain = bench_floor(RequestFactory().get("/bench/floor/"))
    through_drf = BenchFloorDRF.as_view()(RequestFactory().get("/bench/floor-drf/"))
    through_drf.render()

    assert json.loads(plain.content) == FLOOR_BODY
    assert json.loads(through_drf.content) == FLOOR_BODY

"""Releases (items by heading, hardware by category) and the merge-window item list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import API, PERSONAS, locked_article
from tests.factories import (
    ArticleFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)
from tests.services.conftest import import_fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_a_release_page_from_the_fixture(
    persona: str, client_as: Callable[[str], APIClient]
) -> None:
    import_fixture("edition-2020-06-11-bigpage.html")
    body = client_as(persona).get(f"{API}/releases/5.8/").json()
    assert body["version"] == "5.8"
    headings = [g["heading"] for g in body["groups"]]
    assert len(headings) == 8
    assert headings[0] == "Architecture-specific"
    assert sum(len(g["items"]) for g in body["groups"]) == body["item_count"]
    assert all(item["release"] == "5.8" for g in body["groups"] for item in g["items"])
    categories = [c["category"] for c in body["hardware"]]
    assert categories == sorted(categories)
    assert sum(len(c["devices"]) for c in body["hardware"]) == body["device_count"]
    assert [a["title"] for a in body["articles"]] == ["5.8 Merge window, part 1"]
    assert (body["previous"], body["next"]) == (None, None)


def test_it_keeps_heading_order_and_names_neighbours(api: APIClient) -> None:
    release = KernelReleaseFactory.create(version="6.9")
    KernelReleaseFactory.create(version="6.14")
    KernelReleaseFactory.create(version="5.8")
    article = ArticleFactory.create()
    for position, group in enumerate(("Filesystems", "Core kernel", "Filesystems")):
        MergeWindowItemFactory.create(
            release=release,
            article=article,
            group=group,
            group_position=position,
            position=position,
        )
    body = api.get(f"{API}/releases/6.9/").json()
    assert [(g["heading"], len(g["items"])) for g in body["groups"]] == [
        ("Filesystems", 2),
        ("Core kernel", 1),
    ]
    assert (body["previous"], body["next"]) == ("5.8", "6.14")


def test_it_leaves_items_of_locked_articles_out_for_anonymous_readers(
    client_as: Callable[[str], APIClient],
) -> None:
    locked_article()
    MergeWindowItemFactory.create(
        release=KernelReleaseFactory.create(version="5.8"), text="free item"
    )
    anonymous = client_as("anonymous").get(f"{API}/releases/5.8/").json()
    texts = [i["text"] for g in anonymous["groups"] for i in g["items"]]
    assert texts == ["free item"]
    assert anonymous["hardware"] == []
    subscriber = client_as("subscriber").get(f"{API}/releases/5.8/").json()
    assert len([i for g in subscriber["groups"] for i in g["items"]]) == 2
    assert client_as("anonymous").get(f"{API}/merge-window-items/").json()["count"] == 1


def test_it_lists_releases_newest_first_numerically(api: APIClient) -> None:
    for version in ("5.8", "6.9", "6.14", "6.1"):
        KernelReleaseFactory.create(version=version)
    body = api.get(f"{API}/releases/").json()
    assert [r["version"] for r in body["results"]] == ["6.14", "6.9", "6.1", "5.8"]
    ascending = api.get(f"{API}/releases/", {"ordering": "version", "page_size": "2"}).json()
    assert [r["version"] for r in ascending["results"]] == ["5.8", "6.1"]
    assert [r["version"] for r in api.get(ascending["next"]).json()["results"]] == ["6.9", "6.14"]


def test_it_answers_404_for_an_unknown_release(api: APIClient, db: None) -> None:
    assert api.get(f"{API}/releases/9.99/").status_code == 404
    assert api.get(f"{API}/releases/latest/").status_code == 404


def test_it_filters_merge_window_items(api: APIClient) -> None:
    article = ArticleFactory.create(lwn_id=821729)
    old, new = (
        KernelReleaseFactory.create(version="5.8"),
        KernelReleaseFactory.create(version="6.14"),
    )
    MergeWindowItemFactory.create(
        release=old, article=article, group="Core kernel", part=1, text="faccessat2()"
    )
    MergeWindowItemFactory.create(release=old, group="Filesystems", part=2, text="ext4 changes")
    MergeWindowItemFactory.create(release=new, group="Core kernel", part=1, text="sched_ext")

    def texts(**query: Any) -> list[str]:
        rows = api.get(f"{API}/merge-window-items/", query).json()["results"]
        return sorted(r["text"] for r in rows)

    assert texts(release="5.8") == ["ext4 changes", "faccessat2()"]
    assert texts(release_min="6.9") == ["sched_ext"]
    assert texts(release_max="6.0") == ["ext4 changes", "faccessat2()"]
    assert texts(group="core kernel") == ["faccessat2()", "sched_ext"]
    assert texts(part=2) == ["ext4 changes"]
    assert texts(text="FACCESS") == ["faccessat2()"]
    assert texts(article=821729) == ["faccessat2()"]
    item = api.get(f"{API}/merge-window-items/", {"article": 821729}).json()["results"][0]
    assert (item["release"], item["article"]) == ("5.8", 821729)
    assert api.get(f"{API}/merge-window-items/{item['id']}/").json()["text"] == "faccessat2()"
    assert api.get(f"{API}/merge-window-items/", {"part": "one"}).status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_merge_window_items_to_everyone(
    persona: str, client_as: Callable[[str], APIClient]
) -> None:
    MergeWindowItemFactory.create()
    HardwareDeviceFactory.create()
    assert client_as(persona).get(f"{API}/merge-window-items/").json()["count"] == 1

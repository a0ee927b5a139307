"""``/api/v1/hardware/``: by category, release and device name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import API, PERSONAS, locked_article
from tests.factories import HardwareDeviceFactory, KernelReleaseFactory
from tests.services.conftest import import_fixture

pytestmark = pytest.mark.django_db


def names(api: APIClient, **query: Any) -> list[str]:
    return sorted(d["name"] for d in api.get(f"{API}/hardware/", query).json()["results"])


def test_it_filters_devices_by_category_release_and_name(api: APIClient) -> None:
    old, new = (
        KernelReleaseFactory.create(version="5.8"),
        KernelReleaseFactory.create(version="6.14"),
    )
    HardwareDeviceFactory.create(release=old, category="Graphics", name="Xiaomi panel")
    HardwareDeviceFactory.create(release=old, category="Audio", name="Realtek codec")
    HardwareDeviceFactory.create(release=new, category="Graphics", name="Adreno GPU")
    assert names(api, category="graphics") == ["Adreno GPU", "Xiaomi panel"]
    assert names(api, release="5.8") == ["Realtek codec", "Xiaomi panel"]
    assert names(api, release_min="6.1") == ["Adreno GPU"]
    assert names(api, release_max="5.8") == ["Realtek codec", "Xiaomi panel"]
    assert names(api, q="PANEL") == ["Xiaomi panel"]
    by_name = api.get(f"{API}/hardware/", {"ordering": "-name"}).json()["results"]
    assert [d["name"] for d in by_name] == ["Xiaomi panel", "Realtek codec", "Adreno GPU"]


def test_it_searches_the_fixture_hardware_list(api: APIClient) -> None:
    import_fixture("edition-2020-06-11-bigpage.html")
    body = api.get(f"{API}/hardware/", {"release": "5.8"}).json()
    assert body["count"] > 10
    device = body["results"][0]
    assert set(device) == {"id", "name", "category", "release", "article", "position"} | {
        "url",
        "html_url",
        "release_url",
        "article_url",
        "updated_at",
    }
    assert api.get(f"{API}/hardware/{device['id']}/").json() == device


@pytest.mark.parametrize(("persona", "visible"), [("anonymous", 1), ("subscriber", 2)])
def test_it_hides_devices_of_locked_articles(
    persona: str, visible: int, client_as: Callable[[str], APIClient]
) -> None:
    locked_article()
    HardwareDeviceFactory.create(release=KernelReleaseFactory.create(version="5.8"))
    assert client_as(persona).get(f"{API}/hardware/").json()["count"] == visible


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_hardware_to_everyone(persona: str, client_as: Callable[[str], APIClient]) -> None:
    HardwareDeviceFactory.create()
    assert client_as(persona).get(f"{API}/hardware/").status_code == 200

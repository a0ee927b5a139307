"""Kept device counts (``HardwareTally``) stay equal to counting the devices themselves.

Every write path runs against migration 0025's PostgreSQL triggers: an import, a
re-import that drops and moves devices, the admin's edits (one row, a queryset), and
the cascades of a deleted article and release. The hardware list's paginator reads them
and answers what counting the devices answers, for a reader with locked articles and
for a subscriber, reading a few kept rows where it read every device of the category.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, HardwareDevice, HardwareTally, KernelRelease
from articles.selectors.hardware import DevicesByRelease, hardware_page_source, hardware_search
from tests.factories import ArticleFactory, HardwareDeviceFactory, KernelReleaseFactory
from tests.plans import executed_plan, plan_nodes
from tests.services.conftest import fixture_bytes, import_fixture

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the triggers that keep them are PostgreSQL's"
    ),
]

BIG = "edition-2020-06-11-bigpage.html"


def assert_kept() -> None:
    """The tallies are the devices counted now, with no row at zero."""
    counted = Counter(HardwareDevice.objects.values_list("article_id", "release_id", "category"))
    kept = {(t.article_id, t.release_id, t.category): t.n for t in HardwareTally.objects.all()}
    assert kept == dict(counted)


def test_it_keeps_the_counts_through_an_import_and_a_reimport_that_changes_the_list() -> None:
    run = import_fixture(BIG)
    assert run.outcome == "ok", run.error
    assert HardwareTally.objects.filter(category="Graphics").get().n == 5
    assert_kept()

    data = fixture_bytes(BIG)
    # One device fewer under Graphics, the Media line moved under a new category.
    data = data.replace(b"Visionox RM69299 panels, and ", b"")
    data = data.replace(b"<li><b>Media</b>:", b"<li><b>Video capture</b>:")
    run = import_fixture(BIG, data=data)
    assert run.outcome == "ok", run.error
    assert run.counts.get("hardware_updated")
    assert HardwareTally.objects.filter(category="Graphics").get().n == 4
    assert not HardwareTally.objects.filter(category="Media").exists()
    assert HardwareTally.objects.filter(category="Video capture").get().n == 2
    assert_kept()


def test_it_keeps_the_counts_through_the_admins_edits_and_the_cascades() -> None:
    old, new = KernelReleaseFactory.create(version="5.7"), KernelReleaseFactory.create()
    first, second = ArticleFactory.create(), ArticleFactory.create()
    devices = [
        HardwareDeviceFactory.create(release=old, article=first, category="Graphics")
        for _ in range(4)
    ]
    HardwareDeviceFactory.create_batch(3, release=new, article=second, category="Graphics")
    HardwareDeviceFactory.create_batch(2, release=new, article=second, category="Sound")
    assert_kept()

    devices[0].category = "Sound"  # the admin's change form: one row
    devices[0].save()
    assert_kept()
    HardwareDevice.objects.filter(pk__in=[d.pk for d in devices[1:3]]).update(release=new)
    assert_kept()
    HardwareDevice.objects.filter(article=second, category="Sound").update(name="renamed")
    assert_kept()  # a change that moves no count
    devices[3].delete()
    assert_kept()
    second.delete()
    assert_kept()
    assert HardwareTally.objects.exists()
    new.delete()
    assert_kept()
    assert set(HardwareTally.objects.values_list("release_id", "n")) == {(old.pk, 1)}
    KernelRelease.objects.all().delete()
    assert not HardwareTally.objects.exists()


def test_it_pages_a_category_from_the_tallies_as_counting_the_devices_would(
    subscriber: User,
) -> None:
    today = timezone.now().date()
    free = ArticleFactory.create()
    locked = ArticleFactory.create(subscriber_only=True, free_on=today + dt.timedelta(days=2))
    for version, count in (("5.9", 7), ("5.10", 3), ("4.20", 5)):
        release = KernelReleaseFactory.create(version=version)
        for n in range(count):
            for category in ("Graphics", "Sound"):
                HardwareDeviceFactory.create(
                    release=release, article=(free, locked)[n % 2], category=category
                )
    for user in (AnonymousUser(), subscriber):
        for filters in ({"category": "Graphics"}, {"release": "5.9"}, {}):
            for sort in ("-release", "release"):
                source = hardware_page_source(user=user, sort=sort, **filters)
                assert isinstance(source, DevicesByRelease)
                whole = list(hardware_search(user=user, sort=sort, **filters))
                with CaptureQueriesContext(connection) as counting:
                    assert source.count() == len(whole)
                assert "articles_hardwaretally" in counting.captured_queries[0]["sql"]
                assert [d.pk for d in source[2:9]] == [d.pk for d in whole[2:9]]
    # A name filter has no kept counts: the devices are counted.
    named = hardware_page_source(user=AnonymousUser(), name="a")
    with CaptureQueriesContext(connection) as counting:
        named.count()
    assert "articles_hardwaretally" not in counting.captured_queries[0]["sql"]


def test_it_counts_a_category_per_release_without_reading_its_devices() -> None:
    article = ArticleFactory.create()
    for version in ("6.1", "6.2"):
        release = KernelReleaseFactory.create(version=version)
        HardwareDeviceFactory.create_batch(40, release=release, article=article, category="USB")
    source = hardware_page_source(user=AnonymousUser(), category="USB")
    assert isinstance(source, DevicesByRelease)
    with CaptureQueriesContext(connection) as counting:
        assert source.count() == 80
    (query,) = counting.captured_queries
    plan = executed_plan(query["sql"])
    read = {
        node["Relation Name"]: node["Actual Rows"] * node.get("Actual Loops", 1)
        for node in plan_nodes(plan)
        if "Relation Name" in node
    }
    # One kept row a release, where the count read all 80 devices.
    assert read.get("articles_hardwaretally") == 2
    assert "articles_hardwaredevice" not in read


def test_it_leaves_out_a_locked_articles_counts(subscriber: User) -> None:
    shown = ArticleFactory.create()
    hidden = ArticleFactory.create(subscriber_only=True, free_on=None)
    release = KernelReleaseFactory.create(version="6.3")
    HardwareDeviceFactory.create_batch(2, release=release, article=shown, category="Sound")
    HardwareDeviceFactory.create_batch(5, release=release, article=hidden, category="Sound")
    assert Article.objects.locked_pks_for(AnonymousUser()) is not None
    assert hardware_page_source(user=AnonymousUser(), category="Sound").count() == 2
    assert hardware_page_source(user=subscriber, category="Sound").count() == 7

"""Read paths for the hardware devices that merge windows list: search, sorts, categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from articles.models import HardwareDevice
from articles.selectors.articles import hide_locked

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

HARDWARE_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "category": ("category", "name"),
    "release": ("release__major", "release__minor", "release__patch", "category", "position"),
    "-release": ("-release__major", "-release__minor", "-release__patch", "category", "position"),
}


def hardware_search(
    *,
    user: User | AnonymousUser,
    category: str = "",
    release: str = "",
    name: str = "",
    sort: str = "-release",
) -> QuerySet[HardwareDevice]:
    """Devices matching the filters, without those of articles still locked for ``user``."""
    devices = hide_locked(
        HardwareDevice.objects.select_related("release", "article"), user=user, via="article"
    )
    if category:
        devices = devices.filter(category=category)
    if release:
        devices = devices.filter(release__version=release)
    if name:
        devices = devices.filter(name__icontains=name)
    return devices.order_by(*HARDWARE_SORTS.get(sort, HARDWARE_SORTS["-release"]))


def hardware_categories(*, user: User | AnonymousUser) -> list[str]:
    """Categories of the devices ``user`` may see (a locked article's list is its text)."""
    devices = hide_locked(HardwareDevice.objects.all(), user=user, via="article")
    return list(devices.order_by("category").values_list("category", flat=True).distinct())

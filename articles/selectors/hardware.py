"""Read paths for the hardware devices that merge windows list: search, sorts, categories."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, overload

from django.db import connection
from django.db.models import Count, F, QuerySet, Sum

from articles.models import Article, HardwareDevice, HardwareTally
from articles.selectors.articles import hide_locked
from articles.selectors.entities import tallied
from articles.selectors.sql import column

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

HARDWARE_SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "category": ("category", "name"),
    "release": ("release__major", "release__minor", "release__patch", "category", "position"),
    "-release": ("-release__major", "-release__minor", "-release__patch", "category", "position"),
}


_VERSION = ("release__major", "release__minor", "release__patch")


def hardware_sort(sort: str) -> str:
    """``sort`` when it is one of ``HARDWARE_SORTS``, else the default (newest release first)."""
    return sort if sort in HARDWARE_SORTS else "-release"


def hardware_search(
    *,
    user: User | AnonymousUser,
    category: str = "",
    release: str = "",
    name: str = "",
    sort: str = "-release",
) -> QuerySet[HardwareDevice]:
    """Devices matching the filters, without those of articles still locked for ``user``,
    each with its ``release_version``."""
    # Not the article: the list shows none of it, and a merge-window article's body
    # (which grows with its release's list) came along with every row. Nor the release
    # as a model: its version is all a row shows (a release instance a row cost as much
    # as the device's own).
    devices = hide_locked(
        HardwareDevice.objects.annotate(release_version=F("release__version")),
        user=user,
        via="article",
    )
    if category:
        devices = devices.filter(category=category)
    if release:
        devices = devices.filter(release__version=release)
    if name:
        devices = devices.filter(name__icontains=name)
    return devices.order_by(*HARDWARE_SORTS[hardware_sort(sort)])


class DevicesByRelease:
    """Devices in release order (newest or oldest release first), read a page at a time.

    Sorted whole, a category's page read every device of the category (1,650 at full
    size) with its release and sorted them all by version, however few it showed. Here
    one grouped query (``per_release``: from the kept tallies where they are kept) gives
    each release's devices (the total, for the paginator) and a page reads only the
    devices of the releases it spans. Sliceable and countable, as Django's ``Paginator``
    asks.
    """

    def __init__(
        self,
        devices: QuerySet[HardwareDevice],
        *,
        per_release: QuerySet[Any, dict[str, Any]],
        newest_first: bool,
    ) -> None:
        self._devices = devices.order_by()
        self._counts = per_release  # rows of release_id, its version's numbers, devices
        self._newest_first = newest_first
        self._releases: list[tuple[int, int]] | None = None  # (release id, devices), in order

    def _per_release(self) -> list[tuple[int, int]]:
        if self._releases is None:
            rows = sorted(
                self._counts,
                key=lambda row: tuple(row[f] for f in _VERSION),
                reverse=self._newest_first,
            )
            self._releases = [(row["release_id"], row["devices"]) for row in rows]
        return self._releases

    def count(self) -> int:
        return sum(devices for _release, devices in self._per_release())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[HardwareDevice]:
        return iter(self[:])

    @overload
    def __getitem__(self, index: int) -> HardwareDevice: ...
    @overload
    def __getitem__(self, index: slice) -> list[HardwareDevice]: ...
    def __getitem__(self, index: int | slice) -> HardwareDevice | list[HardwareDevice]:
        if isinstance(index, int):
            found = self._window(slice(index, index + 1)) if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        return self._window(index)

    def _window(self, window: slice) -> list[HardwareDevice]:
        start, stop = window.start or 0, window.stop if window.stop is not None else self.count()
        spanned: list[int] = []
        skip = before = 0  # devices of earlier releases
        for release, devices in self._per_release():
            if before >= stop:
                break
            if before + devices > start:
                if not spanned:
                    skip = start - before
                spanned.append(release)
            before += devices
        if not spanned:
            return []
        order = HARDWARE_SORTS["-release" if self._newest_first else "release"]
        page = self._devices.filter(release_id__in=spanned)
        return list(page.order_by(*order)[skip : skip + stop - start])


def hardware_page_source(
    *,
    user: User | AnonymousUser,
    category: str = "",
    release: str = "",
    name: str = "",
    sort: str = "-release",
) -> QuerySet[HardwareDevice] | DevicesByRelease:
    """``hardware_search``'s devices as a paginator reads them: in release order (the
    default), a page reads only the releases it spans."""
    sort = hardware_sort(sort)
    devices = hardware_search(user=user, category=category, release=release, name=name, sort=sort)
    if sort not in ("release", "-release"):
        return devices
    if tallied() and not name:
        # A few kept rows per release (an article's devices in a category) instead of
        # every device of the category: see ``HardwareTally``.
        tallies = hide_locked(HardwareTally.objects.all(), user=user, via="article")
        if category:
            tallies = tallies.filter(category=category)
        if release:
            tallies = tallies.filter(release__version=release)
        per_release = tallies.values("release_id", *_VERSION).annotate(devices=Sum("n"))
    else:
        # COUNT(*): the covering index holds no id, so counting ids read the table.
        per_release = devices.values("release_id", *_VERSION).annotate(devices=Count("*"))
    return DevicesByRelease(
        devices, per_release=per_release.order_by(), newest_first=sort == "-release"
    )


def hardware_categories(*, user: User | AnonymousUser) -> list[str]:
    """Categories of the devices ``user`` may see (a locked article's list is its text).

    One query that hops through the category index from each category to the next (a
    few dozen probes), where DISTINCT read every device of the archive.
    """
    table = connection.ops.quote_name(HardwareDevice._meta.db_table)
    category, article = column(HardwareDevice, "category"), column(HardwareDevice, "article")
    visible, params = "", []
    locked = Article.objects.locked_pks_for(user)
    if locked is not None:
        locked_sql, locked_params = locked.query.sql_with_params()
        visible, params = f" AND h.{article} NOT IN ({locked_sql})", list(locked_params)
    first = f"SELECT MIN(h.{category}) FROM {table} h WHERE 1 = 1{visible}"  # noqa: S608
    after = f"SELECT MIN(h.{category}) FROM {table} h WHERE h.{category} > c.name{visible}"  # noqa: S608
    sql = (
        f"WITH RECURSIVE c(name) AS ({first} UNION ALL "  # noqa: S608
        f"SELECT ({after}) FROM c WHERE c.name IS NOT NULL) "
        "SELECT name FROM c WHERE name IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        return [name for (name,) in cursor.fetchall()]

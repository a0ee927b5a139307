"""Read paths for the hardware devices that merge windows list: search, sorts, categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import QuerySet

from articles.models import Article, HardwareDevice
from articles.selectors.articles import hide_locked
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


def hardware_search(
    *,
    user: User | AnonymousUser,
    category: str = "",
    release: str = "",
    name: str = "",
    sort: str = "-release",
) -> QuerySet[HardwareDevice]:
    """Devices matching the filters, without those of articles still locked for ``user``."""
    # Not the article: the list shows none of it, and a merge-window article's body
    # (which grows with its release's list) came along with every row.
    devices = hide_locked(
        HardwareDevice.objects.select_related("release"), user=user, via="article"
    )
    if category:
        devices = devices.filter(category=category)
    if release:
        devices = devices.filter(release__version=release)
    if name:
        devices = devices.filter(name__icontains=name)
    return devices.order_by(*HARDWARE_SORTS.get(sort, HARDWARE_SORTS["-release"]))


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

"""The "Curators" group: what a curator needs, in admin and the API, in one place.

Curation lives in admin (the mention queue, merges, renames, manual links) and
in two API actions. Admin asks for staff status plus Django's model
permissions, the API for ``articles.curate_content``; a group holding both
makes "curator" one checkbox and one group. ``migrate`` creates it once
(``post_migrate``); after that it is the operator's to change, and a group
that already exists is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

CURATORS = "Curators"
CURATOR_PERMISSIONS = (
    "curate_content",
    "view_subscriber_content",
    "view_entity",
    "change_entity",
    "view_mention",
    "add_mention",
    "change_mention",
    "view_article",
    "view_comment",
    "view_mergewindowitem",
    "view_hardwaredevice",
)


def curators_group_ensure(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create the Curators group with its permissions unless it exists; True if created."""
    if Group.objects.using(using).filter(name=CURATORS).exists():
        return False
    group = Group.objects.using(using).create(name=CURATORS)
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="articles", codename__in=CURATOR_PERMISSIONS
    )
    group.permissions.set(permissions)
    return True


def curators_group_on_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """``post_migrate`` for the articles app, after Django has created its permissions."""
    curators_group_ensure(using=using)

"""Tombstones: every row deleted from an API list leaves the key that list gave it.

Written from ``post_delete``, so a row that goes by a cascade (an article's
comments, a merged entity's mentions) or from admin leaves one too. This is
bookkeeping of the kind the database would do with a trigger, not a step of
any flow: the services that delete stay explicit sequences.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete
from django.utils import timezone

from articles.models import (
    Article,
    Comment,
    Edition,
    Entity,
    HardwareDevice,
    ImportRun,
    KernelRelease,
    Mention,
    MergeWindowItem,
    Tombstone,
    TombstoneKind,
)


def entity_key(*, kind: str, name: str) -> str:
    """How the deletions list names an entity: ``syscall:faccessat2``, as the filters do."""
    return f"{kind}:{name}"


# Each model an API list serves, the list, and the key that list shows for a row.
KEYS: dict[type[Model], tuple[TombstoneKind, Callable[[Any], object]]] = {
    Edition: (TombstoneKind.EDITION, lambda row: row.lwn_id),
    Article: (TombstoneKind.ARTICLE, lambda row: row.lwn_id),
    Comment: (TombstoneKind.COMMENT, lambda row: row.lwn_id),
    KernelRelease: (TombstoneKind.RELEASE, lambda row: row.version),
    MergeWindowItem: (TombstoneKind.MERGE_WINDOW_ITEM, lambda row: row.pk),
    HardwareDevice: (TombstoneKind.HARDWARE, lambda row: row.pk),
    ImportRun: (TombstoneKind.IMPORT_RUN, lambda row: row.pk),
    Entity: (TombstoneKind.ENTITY, lambda row: entity_key(kind=row.kind, name=row.name)),
    Mention: (TombstoneKind.MENTION, lambda row: row.pk),
}


def tombstone_on_delete(sender: type[Model], instance: Model, using: str, **kwargs: Any) -> None:
    """``post_delete`` receiver: record ``instance`` as gone (its key is still set)."""
    kind, key_of = KEYS[sender]
    key = key_of(instance)
    if key is None:  # an item without an LWN id: the API gives it no key to delete by
        return
    Tombstone.objects.using(using).create(kind=kind, key=str(key))
    if sender is Mention:  # the entity's mention count drops: a change of the entity
        Entity.objects.using(using).filter(pk=instance.entity_id).update(  # type: ignore[attr-defined]
            updated_at=timezone.now()
        )


def tombstone_entity_name(*, kind: str, name: str) -> None:
    """A renamed entity is gone under its old name, for a mirror keyed by kind and name."""
    Tombstone.objects.create(kind=TombstoneKind.ENTITY, key=entity_key(kind=kind, name=name))


def tombstones_connect() -> None:
    """Connect the receiver for every model in ``KEYS`` (from ``AppConfig.ready``)."""
    for model in KEYS:
        post_delete.connect(
            tombstone_on_delete, sender=model, dispatch_uid=f"lwnkb_tombstone_{model.__name__}"
        )

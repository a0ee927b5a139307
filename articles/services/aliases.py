"""An entity's aliases, by hand: former or other names that extraction maps to it.

``lwn_relink`` and every import read ``Entity.aliases`` (``services.linking``):
a name found in text that is an alias links to the entity that holds it. So
an alias is stored in its canonical form, as extraction produces names, and no
two entities of a kind may share a name or an alias.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from articles.links import canonical
from articles.models import CurationAction, CurationTarget, Entity
from articles.services.audit import (
    Change,
    User,
    curation_event_record,
    curation_events_record,
    entity_key,
)
from articles.services.curation import CurationError, name_holder_check

logger = logging.getLogger("lwnkb.links")


def alias_canonical(*, entity: Entity, alias: str) -> str:
    """``alias`` as stored for ``entity``'s kind; ``CurationError`` when not a valid name."""
    name = canonical(entity.kind, alias.strip())
    if not name:
        raise CurationError(f"{alias!r} is not a valid {entity.get_kind_display().lower()} name")
    return name


def entity_alias_add(*, entity: Entity, alias: str, user: User) -> Entity:
    """Add ``alias`` to ``entity`` (a no-op, unrecorded, when it already has it)."""
    name = alias_canonical(entity=entity, alias=alias)
    if name.lower() == entity.name.lower():
        raise CurationError(f"{name} is the entity's own name")
    name_holder_check(kind=entity.kind, name=name, entity=entity)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        if any(str(a).lower() == name.lower() for a in entity.aliases):
            return entity
        before = list(entity.aliases)
        entity.aliases = [*before, name]
        _save(entity, user)
        curation_event_record(
            action=CurationAction.ALIAS_ADD,
            target_kind=CurationTarget.ENTITY,
            target_key=entity_key(entity),
            user=user,
            details={
                "alias": name,
                "before": {"aliases": before},
                "after": {"aliases": entity.aliases},
            },
        )
    logger.info("%s added alias %s to %s", user, name, entity)
    return entity


def entity_alias_remove(*, entity: Entity, alias: str, user: User) -> Entity:
    """Remove ``alias`` from ``entity``; ``CurationError`` if it has no such alias.

    Mentions already linked stay; from the next relink the name is an entity of its own.
    """
    wanted = (canonical(entity.kind, alias.strip()) or alias.strip()).lower()
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        before = list(entity.aliases)
        kept = [a for a in before if str(a).lower() not in (wanted, alias.strip().lower())]
        if len(kept) == len(before):
            raise CurationError(f"{entity.name} has no alias {alias}")
        entity.aliases = kept
        _save(entity, user)
        curation_event_record(
            action=CurationAction.ALIAS_REMOVE,
            target_kind=CurationTarget.ENTITY,
            target_key=entity_key(entity),
            user=user,
            details={"alias": alias, "before": {"aliases": before}, "after": {"aliases": kept}},
        )
    logger.info("%s removed alias %s from %s", user, alias, entity)
    return entity


def entity_aliases_edited(*, entity: Entity, before: list[str], user: User) -> None:
    """Record the aliases added and removed when ``entity`` was saved with a new list.

    For admin's change form, which saves the whole row itself (in its own transaction).
    """
    old = {str(a).lower(): a for a in before}
    new = {str(a).lower(): a for a in entity.aliases}
    after = list(entity.aliases)
    changes = [
        Change(
            action,
            CurationTarget.ENTITY,
            entity_key(entity),
            {"alias": alias, "before": {"aliases": list(before)}, "after": {"aliases": after}},
        )
        for action, names in (
            (CurationAction.ALIAS_ADD, [new[k] for k in new if k not in old]),
            (CurationAction.ALIAS_REMOVE, [old[k] for k in old if k not in new]),
        )
        for alias in names
    ]
    curation_events_record(changes=changes, user=user)


def _save(entity: Entity, user: User) -> None:
    entity.curated_by_id = user.pk if user.is_authenticated else None
    entity.curated_at = timezone.now()
    entity.save(update_fields=["aliases", "curated_by", "curated_at", "updated_at"])

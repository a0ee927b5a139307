"""Curation of entities and mentions: accept, reject, merge, rename, add by hand.

Every function records who did it and when (``curated_by``/``curated_at``
on the mention or entity) and leaves a ``CurationEvent`` with the before and
after, in the same transaction as the change. Re-imports and ``lwn_relink`` respect the result:
rejected mentions stay rejected, curated ones stay, and the old names of
renamed or merged entities become aliases that extraction maps to the
surviving entity.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.links import canonical
from articles.models import (
    Article,
    Comment,
    CurationAction,
    CurationTarget,
    Entity,
    HardwareDevice,
    KernelRelease,
    Mention,
    MentionSource,
    MentionStatus,
    MergeWindowItem,
)
from articles.services.audit import Change, curation_events_record, entity_key
from articles.services.sql.locks import tallies_lock
from articles.services.tombstones import tombstone_entity_name

logger = logging.getLogger("lwnkb.links")

User = AbstractBaseUser | AnonymousUser
MentionTarget = Article | MergeWindowItem | HardwareDevice | Comment
_TARGET_COLUMNS: dict[type, str] = {
    Article: "article",
    MergeWindowItem: "merge_item",
    HardwareDevice: "hardware",
    Comment: "comment",
}


class CurationError(ValueError):
    """A curation request that cannot be carried out as asked (shown to the curator)."""


_DECISIONS = {
    MentionStatus.ACCEPTED: CurationAction.MENTION_ACCEPT,
    MentionStatus.REJECTED: CurationAction.MENTION_REJECT,
    MentionStatus.PENDING: CurationAction.MENTION_RESET,
}


def _user_id(user: User) -> int | None:
    return user.pk if isinstance(user, AbstractBaseUser) else None


def mention_curate(
    *, mentions: QuerySet[Mention] | Iterable[Mention], status: str, user: User
) -> int:
    """Accept or reject ``mentions``; returns how many changed.

    Rejecting the mention that made its entity "introduced in" a release
    clears that, since the curator says the item does not name the entity.
    """
    if status not in (MentionStatus.ACCEPTED, MentionStatus.REJECTED, MentionStatus.PENDING):
        raise CurationError(f"unknown mention status {status!r}")
    ids = (
        list(mentions.values_list("pk", flat=True))
        if isinstance(mentions, QuerySet)
        else [m.pk for m in mentions]
    )
    now = timezone.now()
    with transaction.atomic():
        tallies_lock()  # before the mention rows: the order every writer keeps (sql.locks)
        before = Mention.objects.select_for_update().filter(pk__in=ids)
        rows = list(before.values_list("pk", "status", "entity__kind", "entity__name"))
        # Rejected mentions are not counted: the entities whose count moves have changed.
        moving = Q(status=MentionStatus.REJECTED)
        moving = ~moving if status == MentionStatus.REJECTED else moving
        recounted = Mention.objects.filter(moving, pk__in=ids).values("entity_id")
        Entity.objects.filter(pk__in=recounted).update(updated_at=now)
        changed = Mention.objects.filter(pk__in=ids).update(
            status=status, curated_by_id=_user_id(user), curated_at=now, updated_at=now
        )
        if status == MentionStatus.REJECTED:
            for entity_id, item_id in Mention.objects.filter(
                pk__in=ids, merge_item__isnull=False
            ).values_list("entity_id", "merge_item_id"):
                Entity.objects.filter(pk=entity_id, introduced_in_id=item_id).update(
                    introduced_in=None, introduced_release=None, updated_at=now
                )
        curation_events_record(
            changes=[
                Change(
                    _DECISIONS[MentionStatus(status)],
                    CurationTarget.MENTION,
                    str(pk),
                    {
                        "entity": f"{kind}/{name}",
                        "before": {"status": old},
                        "after": {"status": str(status)},
                    },
                )
                for pk, old, kind, name in rows
            ],
            user=user,
        )
    logger.info("%s marked %s mention(s) %s", user, changed, status)
    return changed


def _strength(mention: Mention) -> int:
    """Which of two mentions of one text survives a merge: a curator's decision first."""
    if mention.source == MentionSource.CURATED:
        return 3
    return 2 if mention.status != MentionStatus.PENDING else 1


def entities_merge(*, source: Entity, target: Entity, user: User) -> Entity:
    """Fold ``source`` into ``target``: mentions move, ``source``'s names become aliases."""
    if source.pk == target.pk:
        raise CurationError("cannot merge an entity into itself")
    if source.kind != target.kind:
        raise CurationError(f"cannot merge a {source.kind} into a {target.kind}")
    with transaction.atomic():
        tallies_lock()  # before the entity rows: the order every writer keeps (sql.locks)
        # Lock both rows (in a fixed order) so concurrent merges cannot interleave.
        rows = Entity.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        locked = {e.pk: e for e in rows.order_by("pk")}
        source, target = locked[source.pk], locked[target.pk]
        aliases_before = list(target.aliases)
        theirs = {_key(m): m for m in Mention.objects.filter(entity=target)}
        moving: list[int] = []
        dropping: list[int] = []
        for mention in Mention.objects.filter(entity=source):
            other = theirs.get(_key(mention))
            if other is None:
                moving.append(mention.pk)
            elif _strength(mention) > _strength(other):
                dropping.append(other.pk)
                moving.append(mention.pk)
            else:
                dropping.append(mention.pk)
        Mention.objects.filter(pk__in=dropping).delete()
        Mention.objects.filter(pk__in=moving).update(entity=target, updated_at=timezone.now())
        if source.introduced_release is not None and (
            target.introduced_release is None
            or _order(source.introduced_release) < _order(target.introduced_release)
        ):
            target.introduced_in_id = source.introduced_in_id
            target.introduced_release = source.introduced_release
        target.description = target.description or source.description
        target.aliases = _aliases(target.aliases, [source.name, *source.aliases], target.name)
        target.curated_by_id = _user_id(user)
        target.curated_at = timezone.now()
        merged = {"key": entity_key(source), "aliases": list(source.aliases)}
        source.delete()
        target.save()
        curation_events_record(
            changes=[
                Change(
                    CurationAction.ENTITY_MERGE,
                    CurationTarget.ENTITY,
                    entity_key(target),
                    {
                        "merged": merged,
                        "mentions_moved": len(moving),
                        "mentions_dropped": len(dropping),
                        "before": {"aliases": aliases_before},
                        "after": {"aliases": list(target.aliases)},
                    },
                )
            ],
            user=user,
        )
    logger.info("%s merged %s into %s (%s mention(s) moved)", user, source, target, len(moving))
    return target


def _key(mention: Mention) -> tuple[int | None, int | None, int | None, int | None]:
    return (mention.article_id, mention.merge_item_id, mention.hardware_id, mention.comment_id)


def _order(release: KernelRelease) -> tuple[int, int, int]:
    return (release.major, release.minor, release.patch)


def _aliases(current: list[str], extra: list[str], name: str) -> list[str]:
    merged = dict.fromkeys([*current, *extra])
    return [a for a in merged if a.lower() != name.lower()]


def entity_rename(*, entity: Entity, name: str, user: User) -> Entity:
    """Give ``entity`` a new canonical name; the old one becomes an alias.

    Raises ``CurationError`` if the name is not valid for the kind or another
    entity of the kind has it (merge the two instead).
    """
    new_name = canonical(entity.kind, name)
    if not new_name:
        raise CurationError(f"{name!r} is not a valid {entity.get_kind_display().lower()} name")
    name_holder_check(kind=entity.kind, name=new_name, entity=entity)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        old_name, old_aliases = entity.name, list(entity.aliases)
        entity.name = new_name
        entity.aliases = _aliases(entity.aliases, [old_name], new_name)
        entity.curated_by_id = _user_id(user)
        entity.curated_at = timezone.now()
        try:
            with transaction.atomic():  # a savepoint: another rename may have won the name
                entity.save(
                    update_fields=["name", "aliases", "curated_by", "curated_at", "updated_at"]
                )
        except IntegrityError:
            raise CurationError(f"another {entity.kind} is already called {new_name}") from None
        # The API knows an entity by kind and name: under the old name it is gone.
        tombstone_entity_name(kind=entity.kind, name=old_name)
        details = {
            "before": {"name": old_name, "aliases": old_aliases},
            "after": {"name": new_name, "aliases": list(entity.aliases)},
        }
        change = Change(
            CurationAction.ENTITY_RENAME, CurationTarget.ENTITY, entity_key(entity), details
        )
        curation_events_record(changes=[change], user=user)
    logger.info("%s renamed %s %s to %s", user, entity.kind, old_name, new_name)
    return entity


def name_holder_check(*, kind: str, name: str, entity: Entity) -> None:
    """Raise ``CurationError`` if another ``kind`` entity has ``name`` as name or alias.

    One name, one entity: otherwise lookups and extraction could not tell them apart.
    """
    others = Entity.objects.filter(kind=kind).exclude(pk=entity.pk)
    if others.filter(name__iexact=name).exists():
        raise CurationError(f"another {kind} is already called {name}; merge them")
    lowered = name.lower()
    for other in others.exclude(aliases=[]).only("kind", "name", "aliases"):
        if any(str(alias).lower() == lowered for alias in other.aliases):
            raise CurationError(f"{name} is a former name of {other.name}; merge them")


def mention_add_manual(
    *, entity: Entity, target: MentionTarget, sentence: str = "", user: User
) -> Mention:
    """Link ``entity`` to ``target`` by hand (accepted, source "curated").

    An existing mention of the same pair is taken over instead, even a
    rejected one: the curator's latest word counts.
    """
    column = _TARGET_COLUMNS[type(target)]
    values = {
        "source": MentionSource.CURATED,
        "status": MentionStatus.ACCEPTED,
        "curated_by_id": _user_id(user),
        "curated_at": timezone.now(),
    }
    with transaction.atomic():
        tallies_lock()  # before the mention row: the order every writer keeps (sql.locks)
        mention, created = Mention.objects.get_or_create(
            entity=entity, **{column: target}, defaults={**values, "sentence": sentence}
        )
        before = None if created else {"status": mention.status, "source": mention.source}
        counted = not created and mention.status != MentionStatus.REJECTED
        if not created:
            for key, value in values.items():
                setattr(mention, key, value)
            if sentence:
                mention.sentence = sentence
            mention.save()
        target_id = getattr(target, "lwn_id", None) if column in ("article", "comment") else None
        details = {
            "entity": entity_key(entity),
            "target": {"type": column, "id": target_id or target.pk},
            "before": before,
            "after": {"status": mention.status, "source": mention.source},
        }
        change = Change(
            CurationAction.MENTION_ADD, CurationTarget.MENTION, str(mention.pk), details
        )
        curation_events_record(changes=[change], user=user)
        if not counted:  # the entity's mention count moves
            Entity.objects.filter(pk=entity.pk).update(updated_at=timezone.now())
    logger.info("%s linked %s to %s %s", user, entity, column, target.pk)
    return mention

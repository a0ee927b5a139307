"""Curation of entities and mentions: accept, reject, merge, rename, add by hand.

Every function records who did it and when (``curated_by``/``curated_at``
on the mention or entity). Re-imports and ``lwn_relink`` respect the result:
rejected mentions stay rejected, curated ones stay, and the old names of
renamed or merged entities become aliases that extraction maps to the
surviving entity.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.links import canonical
from articles.models import (
    Article,
    Comment,
    Entity,
    HardwareDevice,
    KernelRelease,
    Mention,
    MentionSource,
    MentionStatus,
    MergeWindowItem,
)
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
        # Lock both rows (in a fixed order) so concurrent merges cannot interleave.
        rows = Entity.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        locked = {e.pk: e for e in rows.order_by("pk")}
        source, target = locked[source.pk], locked[target.pk]
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
        source.delete()
        target.save()
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
    taken = Entity.objects.filter(kind=entity.kind, name__iexact=new_name).exclude(pk=entity.pk)
    if taken.exists():
        raise CurationError(f"another {entity.kind} is already called {new_name}; merge them")
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        old_name = entity.name
        entity.name = new_name
        entity.aliases = _aliases(entity.aliases, [old_name], new_name)
        entity.curated_by_id = _user_id(user)
        entity.curated_at = timezone.now()
        entity.save(update_fields=["name", "aliases", "curated_by", "curated_at", "updated_at"])
        # The API knows an entity by kind and name: under the old name it is gone.
        tombstone_entity_name(kind=entity.kind, name=old_name)
    logger.info("%s renamed %s %s to %s", user, entity.kind, old_name, new_name)
    return entity


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
        mention, created = Mention.objects.get_or_create(
            entity=entity, **{column: target}, defaults={**values, "sentence": sentence}
        )
        counted = not created and mention.status != MentionStatus.REJECTED
        if not created:
            for key, value in values.items():
                setattr(mention, key, value)
            if sentence:
                mention.sentence = sentence
            mention.save()
        if not counted:  # the entity's mention count moves
            Entity.objects.filter(pk=entity.pk).update(updated_at=timezone.now())
    logger.info("%s linked %s to %s %s", user, entity, column, target.pk)
    return mention

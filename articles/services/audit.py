"""Writing the curation audit trail (``CurationEvent``), inside the caller's transaction.

Curation services call these from within their own ``transaction.atomic()``
block, so a change and its record commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from articles.models import CurationEvent, Entity

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Change:
    """One thing a curator did, before it is written."""

    action: str
    target_kind: str
    target_key: str
    details: dict[str, Any] = field(default_factory=dict)


def entity_key(entity: Entity) -> str:
    """How the trail names an entity: ``syscall/faccessat2``, as in its API URL."""
    return f"{entity.kind}/{entity.name}"


def curation_events_record(*, changes: Iterable[Change], user: User) -> list[CurationEvent]:
    """Write one event per change, as ``user``'s; one query however many."""
    account = user if isinstance(user, AbstractBaseUser) else None
    events = [
        CurationEvent(
            action=change.action,
            target_kind=change.target_kind,
            target_key=change.target_key[:300],
            user_id=account.pk if account is not None else None,
            username=account.get_username() if account is not None else "",
            details=change.details,
        )
        for change in changes
    ]
    return CurationEvent.objects.bulk_create(events) if events else []


def curation_event_record(
    *, action: str, target_kind: str, target_key: str, user: User, details: dict[str, Any]
) -> CurationEvent:
    """Write one event (see ``curation_events_record``)."""
    change = Change(action, target_kind, target_key, details)
    return curation_events_record(changes=[change], user=user)[0]

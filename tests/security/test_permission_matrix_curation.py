"""The permission matrix's rows for curation over HTTP and its trail.

Entity rename, merge and aliases, "free now", the curation events (API and admin):
curators and staff may, the others get 401 (anonymous) or 403, whatever the
method. Where a change uses something up (a freed article, a removed alias), the
case's ``before`` puts it back so that every persona meets the same world. The
coverage check for these rows is ``test_permission_matrix``'s.
"""

from __future__ import annotations

from typing import Any

import pytest

from articles import models as m
from tests.security.matrix import (
    ACTION_OTHER,
    CURATED,
    FUTURE,
    PERSONAS,
    Case,
    World,
    add_json_twins,
    admin_rows,
    by,
    cases,
    curation,
    mismatches,
)

A = "/api/v1"
UNKNOWN = by(401, 403, 404, 404)  # the allowed learn it does not exist; the others nothing
E = f"{A}/entities/syscall"


def _merge_source(w: World) -> m.Entity:
    # A merge deletes its source (its name lives on as an alias): each persona merges a new one.
    m.Entity.objects.filter(kind="syscall", name="faccessat").delete()
    return m.Entity.objects.create(kind="syscall", name="faccessat")


def _into(w: World) -> dict[str, Any]:
    return {"into": {"kind": w.entity.kind, "name": w.entity.name}}


def _alias_back(w: World) -> None:
    w.entity.refresh_from_db()
    w.entity.aliases = ["faccessat3"]
    w.entity.save(update_fields=["aliases"])


def _lock_again(w: World) -> None:
    m.Article.objects.filter(pk=w.free.pk).update(subscriber_only=True, free_on=FUTURE)


ROUTES: dict[str, tuple[Case, ...]] = {
    "api:entity-rename": (
        curation(lambda w: f"{E}/{w.entity.name}/rename/", CURATED, body=lambda w: {"name": "x2"}),
        curation(f"{E}/no_such_call/rename/", UNKNOWN, body=lambda w: {"name": "x2"}),
    ),
    "api:entity-merge": (
        curation(f"{E}/faccessat/merge/", CURATED, body=_into, before=_merge_source),
        curation(f"{E}/no_such_call/merge/", UNKNOWN, body=_into),
    ),
    "api:entity-aliases": (
        curation(
            lambda w: f"{E}/{w.entity.name}/aliases/", CURATED, body=lambda w: {"alias": "x3"}
        ),
        curation(f"{E}/no_such_call/aliases/", UNKNOWN, body=lambda w: {"alias": "x3"}),
    ),
    "api:entity-alias": (
        curation(
            lambda w: f"{E}/{w.entity.name}/aliases/faccessat3/",
            ACTION_OTHER,
            only={"DELETE": CURATED},
            before=_alias_back,
        ),
        curation(
            lambda w: f"{E}/{w.entity.name}/aliases/no_such_alias/",
            ACTION_OTHER,
            only={"DELETE": UNKNOWN},
        ),
    ),
    "api:article-free": (
        curation(lambda w: f"{A}/articles/{w.free.lwn_id}/free/", CURATED, before=_lock_again),
        # Already free: the allowed are told so (409), the others still only 401 or 403.
        curation(lambda w: f"{A}/articles/{w.free.lwn_id}/free/", by(401, 403, 409, 409)),
        curation(f"{A}/articles/999999/free/", UNKNOWN),
    ),
    "api:curation-event-list": (curation(f"{A}/curation/events/", ACTION_OTHER, get=CURATED),),
    "api:curation-event-detail": (
        curation(lambda w: f"{A}/curation/events/{w.event.pk}/", ACTION_OTHER, get=CURATED),
        curation(f"{A}/curation/events/999999/", ACTION_OTHER, get=UNKNOWN),
    ),
    # Staff read the trail in admin; nobody adds, changes or deletes an event there.
    **admin_rows("articles_curationevent", lambda w: w.event.pk, read_only=True),
}
add_json_twins(ROUTES)


@pytest.mark.slow  # every route x persona x method, as in test_permission_matrix
@pytest.mark.parametrize(("key", "case"), cases(ROUTES))
def test_it_answers_every_persona_as_the_table_says(
    key: str, case: Case, world: World, request: pytest.FixtureRequest
) -> None:
    assert mismatches(key, case, world, request, PERSONAS) == {}, f"{key} {case.url(world)}"

"""Every URL of the site, for every persona and method: allowed or refused as the table says.

The table (``ROUTES``) names each route of the URL configuration (pages, feeds,
the API with its router and format suffixes, and admin) and what each persona
gets for GET and for writes. ``test_it_has_an_expectation_for_every_route``
walks the resolver, so a route added without a row fails until someone decides
who may use it; curation over HTTP has its rows in ``test_permission_matrix_curation``,
and both use the machinery of ``tests.security.matrix``. Outcomes: a status code,
or ``LOGIN`` for a redirect to the admin login page; ``None`` is "not asked here"
(staff's admin forms have tests of their own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from articles import models as m
from tests.security import test_permission_matrix_curation as curation_table
from tests.security.matrix import (
    ACTION_OTHER,
    CURATED,
    LOGIN,
    PERSONAS,
    PUBLIC,
    REFUSED,
    STAFF_PAGE,
    SUBSCRIBERS_ONLY,
    Case,
    World,
    action,
    add_json_twins,
    admin,
    admin_rows,
    api,
    by,
    cases,
    curation,
    every,
    mismatches,
    page,
    uncovered,
)


def _entity(w: World) -> str:
    return f"{w.entity.kind}/{w.entity.name}"


def _on_site(w: World) -> str:
    return f"/admin/r/{ContentType.objects.get_for_model(m.Entity).pk}/{w.entity.pk}/"


def _staff_password(w: World) -> dict[str, Any]:
    return {"username": w.token_user.username, "password": f"pw-{w.token_user.username}"}


def _add_mention(w: World) -> dict[str, Any]:
    return {"kind": w.entity.kind, "name": w.entity.name, "article": w.free.lwn_id}


A = "/api/v1"
ROUTES: dict[str, tuple[Case, ...]] = {
    # --- Pages: public reading; the paywall hides text, never the page -------------------
    "articles:home": (page("/"),),
    "articles:edition-archive": (page("/editions/"),),
    "articles:edition-detail": (
        page(lambda w: f"/editions/{w.free.edition.lwn_id}/"),  # type: ignore[union-attr]
        page("/editions/1/", get=every(404)),
    ),
    "articles:article-detail": (
        page(lambda w: f"/articles/{w.free.lwn_id}/"),
        page(lambda w: f"/articles/{w.locked.lwn_id}/"),  # the summary and free date
        page("/articles/1/", get=every(404)),
    ),
    "articles:release-list": (page("/releases/"),),
    "articles:release-detail": (page("/releases/5.8/"), page("/releases/9.99/", get=every(404))),
    "articles:hardware-list": (page("/hardware/?q=panel"),),
    "articles:author-list": (page("/authors/"),),
    "articles:author-detail": (
        page("/authors/Jonathan%20Corbet/"),
        page("/authors/jonathan%20corbet/", get=every(301)),  # to the canonical URL
        page("/authors/Nobody%20Here/", get=every(404)),
    ),
    "articles:import-status": (page("/imports/", get=STAFF_PAGE),),
    "articles:search": (page("/search/?q=kernel", needs_index=True),),
    "articles:entity-list": (page("/entities/"),),
    "articles:entity-detail": (
        page(lambda w: f"/entities/{_entity(w)}/"),
        page(lambda w: f"/entities/{_entity(w)}()/", get=every(301)),  # to the canonical URL
        page("/entities/syscall/no_such_call/", get=every(404)),
    ),
    "articles:feed-articles": (page("/feeds/articles/"),),
    "articles:feed-entity": (page(lambda w: f"/feeds/entities/{_entity(w)}/"),),
    "articles:feed-search": (page("/feeds/search/?q=kernel", needs_index=True),),
    # --- API: reading is public; rows of locked articles are subscribers' -------------
    "api:api-root": (api(f"{A}/"),),
    "api:api-root.<format>": (api(f"{A}/.json"),),
    "api:schema": (api(f"{A}/schema/"),),
    "api:docs": (api(f"{A}/docs/"),),
    "api:search": (
        api(f"{A}/search/?q=kernel", needs_index=True),
        api(f"{A}/search/", get=every(400), needs_index=True),  # q or a filter is required
    ),
    "api:edition-list": (api(f"{A}/editions/"),),
    "api:edition-detail": (api(lambda w: f"{A}/editions/{w.free.edition.lwn_id}/"),),  # type: ignore[union-attr]
    "api:article-list": (api(f"{A}/articles/"),),
    "api:article-detail": (
        api(lambda w: f"{A}/articles/{w.free.lwn_id}/"),
        api(lambda w: f"{A}/articles/{w.locked.lwn_id}/"),  # the summary, body null
    ),
    "api:article-comments": (
        api(lambda w: f"{A}/articles/{w.free.lwn_id}/comments/"),
        api(lambda w: f"{A}/articles/{w.locked.lwn_id}/comments/"),  # locked: true, empty
    ),
    "api:comment-list": (api(f"{A}/comments/"),),
    "api:comment-detail": (
        api(lambda w: f"{A}/comments/{w.comment.lwn_id}/"),
        api(lambda w: f"{A}/comments/{w.locked_comment.lwn_id}/", get=SUBSCRIBERS_ONLY),
    ),
    "api:release-list": (api(f"{A}/releases/"),),
    "api:release-detail": (api(f"{A}/releases/5.8/"),),
    "api:merge-window-item-list": (api(f"{A}/merge-window-items/"),),
    "api:merge-window-item-detail": (
        api(lambda w: f"{A}/merge-window-items/{w.item.pk}/"),
        api(lambda w: f"{A}/merge-window-items/{w.locked_item.pk}/", get=SUBSCRIBERS_ONLY),
    ),
    "api:hardware-list": (api(f"{A}/hardware/"),),
    # Public; mention and import-run tombstones are left out for the public (test_sync).
    "api:deletion-list": (api(f"{A}/deletions/?updated_after=2000-01-01"),),
    "api:hardware-detail": (
        api(lambda w: f"{A}/hardware/{w.device.pk}/"),
        api(lambda w: f"{A}/hardware/{w.locked_device.pk}/", get=SUBSCRIBERS_ONLY),
    ),
    # Staff see every run, curators those they started (a scheduled run is 404 to them).
    "api:import-run-list": (curation(f"{A}/import-runs/", post=ACTION_OTHER, get=CURATED),),
    "api:import-run-detail": (
        curation(
            lambda w: f"{A}/import-runs/{w.run.pk}/", ACTION_OTHER, get=by(401, 403, 404, 200)
        ),
        curation(f"{A}/import-runs/999999/", ACTION_OTHER, get=by(401, 403, 404, 404)),
    ),
    "api:entity-list": (api(f"{A}/entities/"),),
    "api:entity-detail": (api(lambda w: f"{A}/entities/{_entity(w)}/"),),
    "api:entity-mentions": (
        api(lambda w: f"{A}/entities/{_entity(w)}/mentions/"),
        api(lambda w: f"{A}/entities/{_entity(w)}/mentions/?type=comment"),
        api(f"{A}/entities/syscall/no_such_call/mentions/", get=every(404)),
    ),
    # --- API actions: curators and staff only -------------------------------------------
    "api:action-import": action(f"{A}/actions/import/", lambda w: {"lwn_id": 822335}),
    "api:action-reparse": action(f"{A}/actions/reparse/", lambda w: {"raw_page_id": w.raw.pk}),
    # A password for a token: open to all (the credentials are the body), POST only.
    "api:auth-token": (Case(f"{A}/auth/token/", get=REFUSED, post=PUBLIC, body=_staff_password),),
    # --- API curation: curators and staff only, recorded as theirs ------------------------
    "api:mention-list": (
        curation(f"{A}/mentions/", by(401, 403, 201, 201), get=CURATED, body=_add_mention),
    ),
    "api:mention-detail": (
        curation(lambda w: f"{A}/mentions/{w.mention.pk}/", ACTION_OTHER, get=CURATED),
        curation(f"{A}/mentions/999999/", ACTION_OTHER, get=by(401, 403, 404, 404)),
    ),
    "api:mention-accept": (
        curation(lambda w: f"{A}/mentions/{w.mention.pk}/accept/", CURATED),
        curation(f"{A}/mentions/999999/accept/", by(401, 403, 404, 404)),
    ),
    "api:mention-reject": (
        curation(lambda w: f"{A}/mentions/{w.mention.pk}/reject/", CURATED),
        curation(f"{A}/mentions/999999/reject/", by(401, 403, 404, 404)),
    ),
    # --- Admin: staff only (curators are not staff: curation is their API role) ---------
    "admin:index": (admin("/admin/"),),
    # Anyone may try to log in (a logged-in non-staff user is told to use another account);
    # Django's login form takes PUT like POST, and an empty form just fails.
    "admin:login": (
        Case("/admin/login/", by(200, 200, 200, 302), every(200), only={"PUT": every(200)}),
    ),
    # Logging out is a POST; without admin access it goes back to /admin/ (then to login).
    "admin:logout": (
        Case(
            "/admin/logout/", by(302, 302, 302, 405), by(302, 302, 302, 200), by(302, 302, 302, 405)
        ),
    ),
    "admin:password_change": (admin("/admin/password_change/"),),
    "admin:password_change_done": (admin("/admin/password_change/done/"),),
    "admin:autocomplete": (admin("/admin/autocomplete/", get=by(LOGIN, LOGIN, LOGIN, 403)),),
    "admin:jsi18n": (admin("/admin/jsi18n/"),),
    "admin:app_list": (admin("/admin/articles/"),),
    "admin:admin/(?P<url>.*)$": (admin("/admin/no-such-page/", get=by(LOGIN, LOGIN, LOGIN, 404)),),
    # Django's "view on site" shortcut: for staff, a redirect to the public page.
    "admin:view_on_site": (admin(_on_site, get=by(LOGIN, LOGIN, LOGIN, 302), staff_writes=302),),
    "admin:auth_user_password_change": (
        admin(lambda w: f"/admin/auth/user/{w.token_user.pk}/password/"),
    ),
}

# Each registered model's six admin routes open this object; adding a ModelAdmin
# means adding it here (and the route check below says so).
ADMIN_MODELS: dict[str, Callable[[World], object]] = {
    "auth_group": lambda w: w.group.pk,
    "auth_user": lambda w: w.token_user.pk,
    "authtoken_tokenproxy": lambda w: w.token_user.pk,
    "articles_rawpage": lambda w: w.raw.pk,
    "articles_edition": lambda w: w.free.edition_id,
    "articles_article": lambda w: w.locked.pk,
    "articles_author": lambda w: w.free.authors.get().pk,
    "articles_comment": lambda w: w.locked_comment.pk,
    "articles_entity": lambda w: w.entity.pk,
    "articles_mention": lambda w: w.mention.pk,
    "articles_importrun": lambda w: w.run.pk,
    "articles_kernelrelease": lambda w: w.item.release_id,
    "articles_mergewindowitem": lambda w: w.locked_item.pk,
    "articles_hardwaredevice": lambda w: w.locked_device.pk,
}
NO_ADD_VIEW = {"articles_rawpage", "articles_importrun"}  # rows only imports write

for _model, _pk in ADMIN_MODELS.items():
    ROUTES.update(admin_rows(_model, _pk, no_add=_model in NO_ADD_VIEW))
add_json_twins(ROUTES)


def test_it_has_an_expectation_for_every_route() -> None:
    missing, extra = uncovered(ROUTES, curation_table.ROUTES)
    assert missing == [], "routes without a row in ROUTES"
    assert extra == [], "rows for routes that do not exist"


@pytest.mark.slow  # every route x persona x method: a few minutes of CPU; CI runs it
@pytest.mark.parametrize(("key", "case"), cases(ROUTES))
def test_it_answers_every_persona_as_the_table_says(
    key: str, case: Case, world: World, request: pytest.FixtureRequest
) -> None:
    assert mismatches(key, case, world, request, PERSONAS) == {}, f"{key} {case.url(world)}"

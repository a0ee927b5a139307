"""Every URL of the site, for every persona and method: allowed or refused as the table says.

The table (``ROUTES``) names each route of the URL configuration (pages, feeds,
the API with its router and format suffixes, and admin) and what each persona
gets for GET and for writes. ``test_it_has_an_expectation_for_every_route``
walks the resolver, so a route added without a row fails until someone decides
who may use it. Outcomes: a status code, or ``LOGIN`` for a redirect to the
admin login page; ``None`` is "not asked here" (staff's admin forms have tests
of their own).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseBase
from django.test import Client, override_settings
from django.urls import resolve
from rest_framework.authtoken.models import Token

from articles import models as m
from articles import search
from tests import factories as f
from tests.security.routes import all_route_keys, route_key

PERSONAS = ("anonymous", "subscriber", "curator", "staff")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
LOGIN = "login"  # 302 to /admin/login/
FUTURE = dt.date.today() + dt.timedelta(days=3650)
Outcome = int | str | None
Row = dict[str, Outcome]


def by(anonymous: Outcome, subscriber: Outcome, curator: Outcome, staff: Outcome) -> Row:
    return dict(zip(PERSONAS, (anonymous, subscriber, curator, staff), strict=True))


def every(outcome: Outcome) -> Row:
    return by(outcome, outcome, outcome, outcome)


PUBLIC = every(200)
REFUSED = every(405)
SUBSCRIBERS_ONLY = by(404, 200, 200, 200)  # rows of a locked article: as if unknown
STAFF_PAGE = by(LOGIN, LOGIN, LOGIN, 200)
ACTION_POST = by(401, 403, 202, 202)
# Without a broker an import would run inside the request: the allowed are told 503.
ACTION_POST_NO_BROKER = by(401, 403, 503, 503)
ACTION_OTHER = by(401, 403, 405, 405)
CURATED = by(401, 403, 200, 200)
ADMIN = by(LOGIN, LOGIN, LOGIN, 200)


@dataclass
class World:
    """One of everything, plus a locked article with its comment, item and device."""

    free: m.Article
    locked: m.Article
    comment: m.Comment
    locked_comment: m.Comment
    item: m.MergeWindowItem
    locked_item: m.MergeWindowItem
    device: m.HardwareDevice
    locked_device: m.HardwareDevice
    entity: m.Entity
    mention: m.Mention
    raw: m.RawPage
    run: m.ImportRun
    group: Group
    token_user: User


Path = str | Callable[[World], str]


@dataclass(frozen=True)
class Case:
    path: Path
    get: Row = field(default_factory=lambda: PUBLIC)
    post: Row = field(default_factory=lambda: REFUSED)
    other: Row = field(default_factory=lambda: REFUSED)  # PUT, PATCH, DELETE
    only: dict[str, Row] = field(default_factory=dict)  # one method differs from the rest
    body: Callable[[World], dict[str, Any]] | None = None
    needs_index: bool = False
    # Actions: True, asked as with a broker (``queued``); False, with tasks inline, as
    # without LWNKB_BROKER_URL. None: it makes no difference.
    broker: bool | None = None

    def url(self, world: World) -> str:
        return self.path if isinstance(self.path, str) else self.path(world)

    def expected(self, method: str) -> Row:
        return self.only.get(method) or {"GET": self.get, "POST": self.post}.get(method, self.other)


def page(path: Path, get: Row = PUBLIC, **kwargs: Any) -> Case:
    """A page, feed or read-only API endpoint: every write is 405."""
    return Case(path, get=get, **kwargs)


api = page


def admin(path: Path, get: Row = ADMIN, staff_writes: Outcome = None) -> Case:
    """Staff only: the others are sent to log in, whatever the method."""
    writes = by(LOGIN, LOGIN, LOGIN, staff_writes)
    return Case(path, get=get, post=writes, other=writes)


def action(path: str, body: Callable[[World], dict[str, Any]]) -> tuple[Case, Case]:
    """With a broker the allowed get 202 (queued); without one, 503: refused the same way."""
    queued = Case(path, ACTION_OTHER, ACTION_POST, ACTION_OTHER, body=body, broker=True)
    return queued, replace(queued, post=ACTION_POST_NO_BROKER, broker=False)


def curation(
    path: Path,
    post: Row,
    get: Row = ACTION_OTHER,
    body: Callable[[World], dict[str, Any]] | None = None,
) -> Case:
    """Curators' and staff's: the others get 401 or 403 whatever the method or the id."""
    return Case(path, get=get, post=post, other=ACTION_OTHER, body=body)


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


def _admin_rows(model: str, pk: Callable[[World], object]) -> dict[str, tuple[Case, ...]]:
    base = "/admin/" + model.replace("_", "/", 1)
    one = lambda suffix: lambda w: f"{base}/{pk(w)}/{suffix}"  # noqa: E731
    add = by(LOGIN, LOGIN, LOGIN, 403 if model in NO_ADD_VIEW else 200)
    return {
        f"admin:{model}_changelist": (admin(f"{base}/"),),
        f"admin:{model}_add": (admin(f"{base}/add/", get=add),),
        f"admin:{model}_history": (admin(one("history/")),),
        f"admin:{model}_delete": (admin(one("delete/")),),
        f"admin:{model}_change": (admin(one("change/")),),
        # The bare object URL redirects staff to its change page.
        f"admin:{base[1:]}/<path:object_id>/": (admin(one(""), get=by(LOGIN, LOGIN, LOGIN, 302)),),
    }


for _model, _pk in ADMIN_MODELS.items():
    ROUTES.update(_admin_rows(_model, _pk))


def _as_json(case: Case) -> Case:
    """The same request through the router's suffix: ``/articles/1/`` → ``/articles/1.json``."""

    def url(w: World) -> str:
        path, _, query = case.url(w).partition("?")
        return path.rstrip("/") + ".json" + (f"?{query}" if query else "")

    return replace(case, path=url)


# Every router route has a ``.json`` twin; it must answer exactly like its base row.
for _twin in sorted(k for k in all_route_keys() if k.endswith(".<format>")):
    _base = _twin.removesuffix(".<format>")
    if _twin not in ROUTES and _base in ROUTES:
        ROUTES[_twin] = tuple(_as_json(case) for case in ROUTES[_base])


def test_it_has_an_expectation_for_every_route() -> None:
    routes = all_route_keys()
    assert sorted(routes - set(ROUTES)) == [], "routes without a row in ROUTES"
    assert sorted(set(ROUTES) - routes) == [], "rows for routes that do not exist"


CASES = [
    pytest.param(key, case, id=f"{key}#{n}")
    for key, cases in ROUTES.items()
    for n, case in enumerate(cases)
]


@pytest.fixture(autouse=True)
def _fast_passwords() -> Iterator[None]:
    """Personas are created per test; the production hasher would cost most of the run."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def world(db: None, staff: User) -> World:
    release = f.KernelReleaseFactory.create(version="5.8")
    f.KernelReleaseFactory.create(version="5.9")
    edition = f.EditionFactory.create()
    free = f.ArticleFactory.create(edition=edition, title="A free kernel article")
    free.authors.create(name="Jonathan Corbet")
    locked = f.ArticleFactory.create(edition=edition, subscriber_only=True, free_on=FUTURE)
    page = b"<html><body>A page</body></html>"
    hashed = {"content_hash": m.RawPage.hash_of(page), "content_gz": m.RawPage.compress(page)}
    raw = m.RawPage.objects.create(url="https://lwn.net/Articles/1/", size=len(page), **hashed)
    entity = m.Entity.objects.create(kind="syscall", name="faccessat2")
    group = Group.objects.create(name="editors")
    Token.objects.create(user=staff)
    return World(
        free=free,
        locked=locked,
        comment=f.CommentFactory.create(article=free),
        locked_comment=f.CommentFactory.create(article=locked),
        item=f.MergeWindowItemFactory.create(release=release, article=free),
        locked_item=f.MergeWindowItemFactory.create(release=release, article=locked),
        device=f.HardwareDeviceFactory.create(release=release, article=free),
        locked_device=f.HardwareDeviceFactory.create(release=release, article=locked),
        entity=entity,
        mention=m.Mention.objects.create(
            entity=entity, article=free, sentence="It is faccessat2()."
        ),
        raw=raw,
        run=m.ImportRun.objects.create(source="test", edition=edition, raw_page=raw),
        group=group,
        token_user=staff,
    )


def outcome(response: HttpResponseBase) -> Outcome:
    if response.status_code == 302 and urlsplit(response["Location"]).path == "/admin/login/":
        return LOGIN
    return response.status_code


def ask(client: Client, method: str, url: str, body: dict[str, Any] | None) -> HttpResponseBase:
    if method == "GET":
        return client.get(url)
    send = getattr(client, method.lower())
    response: HttpResponseBase = send(url, json.dumps(body or {}), "application/json")
    return response


@pytest.mark.slow  # every route x persona x method: a few minutes of CPU; CI runs it
@pytest.mark.parametrize(("key", "case"), CASES)
def test_it_answers_every_persona_as_the_table_says(
    key: str, case: Case, world: World, request: pytest.FixtureRequest
) -> None:
    url = case.url(world)
    match = resolve(urlsplit(url).path)
    has_format = "format" in match.kwargs
    assert route_key(match.namespace, match.url_name, match.route, has_format) == key, url
    if case.needs_index:
        search.index_rebuild()
    if case.broker:
        request.getfixturevalue("queued")  # the actions need a broker to accept work
    wrong: dict[str, str] = {}
    for persona in PERSONAS:
        user = request.getfixturevalue(persona)
        for method in ("GET", *WRITES):
            want = case.expected(method)[persona]
            if want is None:
                continue
            # A client per request: one answer (a logout, say) must not change the next.
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            got = outcome(ask(client, method, url, case.body(world) if case.body else None))
            if got != want:
                wrong[f"{persona} {method}"] = f"expected {want}, got {got}"
    assert wrong == {}, f"{key} {url}"

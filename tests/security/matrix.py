"""The permission matrix's machinery: personas, expected outcomes, cases, the world, the check.

The tables themselves are ``ROUTES`` in ``test_permission_matrix`` (pages, feeds,
reading, actions, admin) and in ``test_permission_matrix_curation`` (curation
over HTTP and its trail). Outcomes: a status code, or ``LOGIN`` for a redirect to
the admin login page; ``None`` is "not asked here".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.http import HttpResponseBase
from django.test import Client
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
    event: m.CurationEvent


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
    # Run before every request: puts back what the previous persona's change used up
    # (a freed article locked again), so each persona meets the same world.
    before: Callable[[World], object] | None = None

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
    **kwargs: Any,
) -> Case:
    """Curators' and staff's: the others get 401 or 403 whatever the method or the id."""
    return Case(path, get=get, post=post, other=ACTION_OTHER, body=body, **kwargs)


def admin_rows(
    model: str, pk: Callable[[World], object], *, no_add: bool = False, read_only: bool = False
) -> dict[str, tuple[Case, ...]]:
    """A registered model's six admin routes, opening the object ``pk`` gives.

    ``no_add``: rows only imports write (no add view); ``read_only``: neither added,
    changed nor deleted in admin, only viewed.
    """
    base = "/admin/" + model.replace("_", "/", 1)
    one = lambda suffix: lambda w: f"{base}/{pk(w)}/{suffix}"  # noqa: E731
    add = by(LOGIN, LOGIN, LOGIN, 403 if no_add or read_only else 200)
    delete = by(LOGIN, LOGIN, LOGIN, 403 if read_only else 200)
    return {
        f"admin:{model}_changelist": (admin(f"{base}/"),),
        f"admin:{model}_add": (admin(f"{base}/add/", get=add),),
        f"admin:{model}_history": (admin(one("history/")),),
        f"admin:{model}_delete": (admin(one("delete/"), get=delete),),
        f"admin:{model}_change": (admin(one("change/")),),
        # The bare object URL redirects staff to its change page.
        f"admin:{base[1:]}/<path:object_id>/": (admin(one(""), get=by(LOGIN, LOGIN, LOGIN, 302)),),
    }


def _as_json(case: Case) -> Case:
    """The same request through the router's suffix: ``/articles/1/`` → ``/articles/1.json``."""

    def url(w: World) -> str:
        path, _, query = case.url(w).partition("?")
        return path.rstrip("/") + ".json" + (f"?{query}" if query else "")

    return replace(case, path=url)


def add_json_twins(routes: dict[str, tuple[Case, ...]]) -> None:
    """Every router route has a ``.json`` twin; it must answer exactly like its base row."""
    for twin in sorted(k for k in all_route_keys() if k.endswith(".<format>")):
        base = twin.removesuffix(".<format>")
        if twin not in routes and base in routes:
            routes[twin] = tuple(_as_json(case) for case in routes[base])


def uncovered(*tables: dict[str, tuple[Case, ...]]) -> tuple[list[str], list[str]]:
    """Routes without a row in any table, and rows for routes that do not exist."""
    routes = all_route_keys()
    rows = {key for table in tables for key in table}
    return sorted(routes - rows), sorted(rows - routes)


def cases(routes: dict[str, tuple[Case, ...]]) -> list[Any]:
    return [
        pytest.param(key, case, id=f"{key}#{n}")
        for key, row in routes.items()
        for n, case in enumerate(row)
    ]


def make_world(staff: User) -> World:
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
        event=m.CurationEvent.objects.create(
            action=m.CurationAction.ALIAS_ADD, target_kind="entity", target_key="syscall/x"
        ),
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


def mismatches(
    key: str, case: Case, world: World, request: pytest.FixtureRequest, personas: Iterable[str]
) -> dict[str, str]:
    """Ask ``case`` as every persona with every method; what differs from the table."""
    url = case.url(world)
    match = resolve(urlsplit(url).path)
    has_format = "format" in match.kwargs
    assert route_key(match.namespace, match.url_name, match.route, has_format) == key, url
    if case.needs_index:
        search.index_rebuild()
    if case.broker:
        request.getfixturevalue("queued")  # the actions need a broker to accept work
    wrong: dict[str, str] = {}
    for persona in personas:
        user = request.getfixturevalue(persona)
        for method in ("GET", *WRITES):
            want = case.expected(method)[persona]
            if want is None:
                continue
            if case.before is not None:
                case.before(world)
            # A client per request: one answer (a logout, say) must not change the next.
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            got = outcome(ask(client, method, url, case.body(world) if case.body else None))
            if got != want:
                wrong[f"{persona} {method}"] = f"expected {want}, got {got}"
    return wrong

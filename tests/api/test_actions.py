"""Write actions: token authentication, curator or staff, 202 with a run to poll."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from kombu.exceptions import OperationalError as BrokerError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import tasks
from articles.models import ImportRun, RawPage
from articles.services.fetch.types import FetchUnavailable
from lwnkb.celery import app
from tests.api.conftest import API
from tests.services.conftest import import_fixture

pytestmark = pytest.mark.django_db
IMPORT, REPARSE = f"{API}/actions/import/", f"{API}/actions/reparse/"
Queued = list[tuple[str, tuple[Any, ...]]]


def with_token(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("url", [IMPORT, REPARSE])
def test_it_asks_anonymous_callers_for_a_token(url: str, api: APIClient) -> None:
    response = api.post(url, {"lwn_id": 1}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_refuses_an_unknown_token(api: APIClient, db: None) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert api.post(IMPORT, {"lwn_id": 1}, format="json").status_code == 401


@pytest.mark.parametrize("url", [IMPORT, REPARSE])
def test_it_forbids_subscribers(url: str, subscriber: User, queued: Queued) -> None:
    response = with_token(subscriber).post(url, {"lwn_id": 1, "raw_page_id": 1}, format="json")
    assert response.status_code == 403
    assert queued == []


def newest_run() -> ImportRun:
    return ImportRun.objects.select_related("started_by").latest("pk")


@pytest.mark.parametrize("persona", ["curator", "staff"])
def test_it_queues_an_edition_import_after_commit(
    persona: str,
    request: pytest.FixtureRequest,
    queued: Queued,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    user = request.getfixturevalue(persona)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = with_token(user).post(IMPORT, {"lwn_id": 822335}, format="json")
    assert response.status_code == 202
    run = newest_run()
    location = f"http://testserver{API}/import-runs/{run.pk}/"
    assert response["Location"] == location
    assert response.json() == {
        "id": run.pk,
        "url": location,
        "outcome": "running",
        "queued": [{"task": "articles.tasks.import_edition", "args": [822335, run.pk]}],
    }
    assert (run.outcome, run.started_by, run.source) == ("running", user, "api: edition 822335")
    assert queued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert queued == [("articles.tasks.import_edition", (822335, run.pk))]


def test_it_lets_the_caller_poll_the_run_it_started(
    curator: User, staff: User, queued: Queued, django_user_model: type[User]
) -> None:
    client = with_token(curator)
    location = client.post(IMPORT, {"lwn_id": 822335}, format="json")["Location"]
    polled = client.get(location)
    assert polled.status_code == 200
    assert polled.json()["outcome"] == "running"
    assert polled.json()["started_by"] == curator.username
    assert with_token(staff).get(location).status_code == 200
    other = django_user_model.objects.create_user("other-curator")
    other.user_permissions.set(curator.user_permissions.all())
    assert with_token(other).get(location).status_code == 404  # not theirs: as if unknown


@pytest.mark.parametrize(
    ("body", "task", "lwn_id"),
    [
        ({"url": "https://lwn.net/Articles/822335/bigpage"}, "import_edition", 822335),
        ({"url": "https://lwn.net/Articles/822335/"}, "import_edition", 822335),
        (
            {"url": "https://lwn.net/Articles/821729/", "kind": "article"},
            "refresh_comments",
            821729,
        ),
        ({"lwn_id": 821729, "kind": "article"}, "refresh_comments", 821729),
        (
            {"url": "https://lwn.net/Articles/822335/bigpage", "kind": "article"},
            "import_edition",
            822335,
        ),
    ],
)
def test_it_reads_ids_and_lwn_urls(
    body: dict[str, object],
    task: str,
    lwn_id: int,
    curator: User,
    queued: Queued,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = with_token(curator).post(IMPORT, body, format="json")
    assert response.status_code == 202, response.json()
    assert queued == [(f"articles.tasks.{task}", (lwn_id, newest_run().pk))]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"lwn_id": 1, "url": "https://lwn.net/Articles/1/"},
        {"url": "https://example.org/Articles/1/"},
        {"url": "https://lwn.net/Kernel/"},
        {"url": "https://user@lwn.net/Articles/1/"},
        # Refused here as the fetcher would refuse them later (its allow-list).
        {"url": "ftp://lwn.net/Articles/1/"},
        {"url": "https://lwn.net:8443/Articles/1/"},
        {"url": "https://lwn.net.example.org/Articles/1/"},
        {"lwn_id": 0},
        {"url": "https://lwn.net/Articles/0/"},
        {"url": f"https://lwn.net/Articles/{2**31}/"},
        {"url": f"https://lwn.net/Articles/{10**30}/bigpage"},
        {"lwn_id": "many"},
        {"lwn_id": 1, "kind": "comment"},
    ],
)
def test_it_refuses_bad_import_requests(
    body: dict[str, object], curator: User, queued: Queued
) -> None:
    assert with_token(curator).post(IMPORT, body, format="json").status_code == 400
    assert queued == []


def test_it_queues_a_reparse_of_one_raw_page(
    curator: User, queued: Queued, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    run = import_fixture("article-guest-dmabuf.html")
    with django_capture_on_commit_callbacks(execute=True):
        response = with_token(curator).post(
            REPARSE, {"raw_page_id": run.raw_page_id}, format="json"
        )
    assert response.status_code == 202
    requested = newest_run()
    assert queued == [("articles.tasks.reparse_requested", ([run.raw_page_id], requested.pk))]
    assert requested.source == f"api: reparse of raw page {run.raw_page_id}"


def test_it_queues_a_reparse_of_an_edition_and_its_article_pages(
    curator: User, queued: Queued, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    import_fixture("edition-2020-06-11-bigpage.html")
    import_fixture("article-guest-dmabuf.html")
    with django_capture_on_commit_callbacks(execute=True):
        response = with_token(curator).post(REPARSE, {"edition": 822335}, format="json")
    assert response.status_code == 202
    pages = sorted(RawPage.objects.values_list("pk", flat=True))
    assert len(pages) > 1
    assert [args for _name, args in queued] == [(pages, newest_run().pk)]


@pytest.mark.parametrize(
    "body", [{}, {"raw_page_id": 424242}, {"edition": 424242}, {"raw_page_id": 1, "edition": 1}]
)
def test_it_refuses_bad_reparse_requests(
    body: dict[str, object], curator: User, queued: Queued
) -> None:
    assert with_token(curator).post(REPARSE, body, format="json").status_code == 400
    assert queued == []


def test_it_accepts_a_logged_in_curator_session(
    client_as: Callable[[str], APIClient], queued: Queued
) -> None:
    assert client_as("curator").post(IMPORT, {"lwn_id": 5}, format="json").status_code == 202


def test_it_allows_only_post(curator: User) -> None:
    assert with_token(curator).get(IMPORT).status_code == 405


@pytest.mark.parametrize(
    ("url", "body", "command"),
    [(IMPORT, {"lwn_id": 822335}, "lwn_import"), (REPARSE, None, "lwn_reparse")],
)
def test_without_a_broker_it_never_imports_inside_the_request(
    url: str,
    body: dict[str, int] | None,
    command: str,
    curator: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Inline tasks would fetch and parse in the web worker, past its timeout: 503 instead."""
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # no LWNKB_BROKER_URL
    ran: list[str] = []
    for task in (tasks.import_edition, tasks.refresh_comments, tasks.reparse_raw_page):
        monkeypatch.setattr(task, "run", lambda *a, _n=task.name: ran.append(_n))
    if body is None:
        raw_page_id = import_fixture("edition-2020-06-11-bigpage.html").raw_page_id
        assert raw_page_id is not None
        body = {"raw_page_id": raw_page_id}
    runs = ImportRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = with_token(curator).post(url, body, format="json")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "No task queue is configured (LWNKB_BROKER_URL), and imports do not run "
        f"inside a web request; use manage.py {command}.",
        "code": "unavailable",
    }
    assert ran == []
    assert ImportRun.objects.count() == runs


@pytest.mark.django_db(transaction=True)  # no test transaction: the task is queued at once
def test_it_answers_503_with_retry_after_when_the_broker_is_down(
    curator: User, queued: Queued, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any) -> None:
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.import_edition, "delay", refuse)
    response = with_token(curator).post(IMPORT, {"lwn_id": 822335}, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json()["detail"] == (
        "The task queue is unavailable; nothing was queued. Try again later."
    )
    run = newest_run()
    assert run.outcome == "failed"
    assert run.error.startswith("task queue unavailable: Error 111")


def test_the_reparse_task_closes_the_requested_run_with_the_result(
    curator: User, queued: Queued, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    page = import_fixture("article-guest-dmabuf.html")
    client = with_token(curator)
    with django_capture_on_commit_callbacks(execute=True):
        location = client.post(REPARSE, {"raw_page_id": page.raw_page_id}, format="json")[
            "Location"
        ]
    ((_name, args),) = queued
    tasks.reparse_requested(*args)
    polled = client.get(location).json()
    assert polled["outcome"] == "ok"
    assert polled["raw_page"] == page.raw_page_id
    reparsed = ImportRun.objects.get(source=f"reparse of raw page {page.raw_page_id}")
    assert polled["counts"] == {k: v for k, v in reparsed.counts.items() if k != "warnings"}
    assert polled["finished_at"] is not None


def test_it_fails_the_requested_run_once_lwn_net_stays_unreachable(
    curator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retries keep the run running; when they run out, the run says why it failed."""
    attempts: list[int] = []

    def unreachable(**kwargs: Any) -> ImportRun:
        attempts.append(kwargs["lwn_id"])
        url = "https://lwn.net/Articles/5/"
        raise FetchUnavailable(
            "lwn.net did not answer", url=url, status=None, reason="timeout", attempts=3
        )

    monkeypatch.setattr(tasks, "article_import_remote", unreachable)
    monkeypatch.setattr(tasks.refresh_comments, "max_retries", 2)
    monkeypatch.setattr(tasks.refresh_comments, "retry_backoff", False)
    run = ImportRun.objects.create(source="api: article 5", started_by=curator)
    # Eager retries run inside apply() only when it does not raise on the first one.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    result = tasks.refresh_comments.apply(args=(5, run.pk))
    assert result.failed()
    assert attempts == [5, 5, 5]
    run.refresh_from_db()
    assert run.outcome == "failed"
    assert run.error == "FetchUnavailable: lwn.net did not answer"

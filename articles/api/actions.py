"""Write actions for tools: queue an import or a re-parse.

Explicit views, not viewset actions: each does one thing, needs a token (or a
logged-in session) of a curator or staff member, and answers 202 with the id of
an import run opened for the request and a ``Location`` to poll
(``/api/v1/import-runs/{id}/``): the task gets the run's id and closes it with
the result. Tasks are queued only once the run is committed, so a worker never
looks for a run that is not there yet.

The request never touches lwn.net, so an unreachable lwn.net cannot block it: the
task retries, and the run says how it ended. A broker that refuses the task gives
503 with ``Retry-After`` (the run is closed as failed). Without a broker
(``LWNKB_BROKER_URL`` unset) Celery would run the task inline, inside the request,
past any web worker's timeout; so these views answer 503 and name the command
that does the same work from a shell (``lwn_import``, ``lwn_reparse``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import tasks
from articles.api.errors import error_response
from articles.api.permissions import IsCuratorOrStaff
from articles.models import Article, Edition, RawPage
from articles.services.enqueue import BROKER_ERRORS, tasks_run_inline
from articles.services.fetch.addresses import LWNAddresses
from articles.services.import_requests import import_request_fail, import_request_open

_ARTICLE_PATH = re.compile(r"^/Articles/([0-9]+)/?(bigpage/?)?$")
EDITION, ARTICLE = "edition", "article"
LWN_ID_MAX = 2**31 - 1  # lwn_id columns are PostgreSQL integers
IMPORT_KINDS = ((EDITION, "An edition, with its features' pages"), (ARTICLE, "One article page"))


class QueuedTaskSerializer(serializers.Serializer[dict[str, Any]]):
    task = serializers.CharField(help_text="Celery task name")
    args = serializers.ListField(child=serializers.IntegerField())


class AcceptedSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField(help_text="The import run opened for this request")
    url = serializers.URLField(help_text="Where to poll the run (also the Location header)")
    outcome = serializers.CharField(help_text='"running" until the task closes the run')
    queued = QueuedTaskSerializer(many=True)


class ImportRequestSerializer(serializers.Serializer[dict[str, Any]]):
    lwn_id = serializers.IntegerField(
        required=False, min_value=1, max_value=LWN_ID_MAX, help_text="An LWN id"
    )
    url = serializers.URLField(
        required=False, max_length=500, help_text="https://lwn.net/Articles/<id>/[bigpage]"
    )
    kind = serializers.ChoiceField(
        choices=IMPORT_KINDS,
        required=False,
        help_text="What the id names: an edition (default) is imported with its features' "
        "comment pages; an article page is imported with its comments. A /bigpage URL is "
        "always an edition.",
    )

    def validate_url(self, url: str) -> str:
        # The fetcher's own allow-list, so what the request accepts is what it will fetch:
        # lwn.net over http(s) on the usual ports, no credentials (or the base URL's host).
        if not LWNAddresses(settings.LWN_BASE_URL).is_allowed(url):
            raise serializers.ValidationError("Only lwn.net addresses can be imported.")
        match = _ARTICLE_PATH.match(urlsplit(url).path)
        if not match:
            raise serializers.ValidationError("Expected an /Articles/<id>/ address.")
        # The same bounds as lwn_id: an id the database cannot hold is a bad request.
        if not 1 <= int(match.group(1)) <= LWN_ID_MAX:
            raise serializers.ValidationError(f"An LWN id is from 1 to {LWN_ID_MAX}.")
        return url

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("lwn_id" in attrs) == ("url" in attrs):
            raise serializers.ValidationError("Give exactly one of lwn_id and url.")
        kind = attrs.get("kind", EDITION)
        lwn_id = attrs.get("lwn_id")
        if "url" in attrs:
            match = _ARTICLE_PATH.match(urlsplit(attrs["url"]).path)
            assert match is not None  # validate_url checked it
            lwn_id = int(match.group(1))
            if match.group(2):
                kind = EDITION
        return {"lwn_id": lwn_id, "kind": kind}


class ReparseRequestSerializer(serializers.Serializer[dict[str, Any]]):
    raw_page_id = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="A stored raw page"
    )
    edition = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="LWN id of an edition: its page and its articles' own pages",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("raw_page_id" in attrs) == ("edition" in attrs):
            raise serializers.ValidationError("Give exactly one of raw_page_id and edition.")
        if "raw_page_id" in attrs:
            if not RawPage.objects.filter(pk=attrs["raw_page_id"]).exists():
                raise serializers.ValidationError({"raw_page_id": "No such raw page."})
            return {"raw_page_ids": [attrs["raw_page_id"]]}
        edition = Edition.objects.filter(lwn_id=attrs["edition"]).first()
        if edition is None:
            raise serializers.ValidationError({"edition": "No such edition."})
        pages = Article.objects.filter(edition=edition, raw_page__isnull=False)
        ids = {edition.raw_page_id} | set(pages.values_list("raw_page_id", flat=True))
        ids.discard(None)
        if not ids:
            raise serializers.ValidationError({"edition": "The edition has no stored page."})
        return {"raw_page_ids": sorted(ids)}


class NoTaskQueue(APIException):
    """No broker is configured: a queued task would run inline, in the request."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


class TaskQueueDown(APIException):
    """The broker refused the task: try again later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The task queue is unavailable; nothing was queued. Try again later."
    default_code = "task_queue_unavailable"
    # DRF's exception handler turns ``wait`` into Retry-After.
    wait = 60


ERRORS = {
    400: error_response("A bad body: the errors name the fields"),
    401: error_response("No credentials"),
    403: error_response("Neither curator nor staff"),
    503: error_response("No task queue is configured, or it is down (then with Retry-After)"),
}


class _ActionView(APIView):
    permission_classes = [IsAuthenticated, IsCuratorOrStaff]
    # The command that does this action's work without a task queue.
    command = "lwn_import"

    def _require_task_queue(self) -> None:
        if tasks_run_inline():
            raise NoTaskQueue(
                "No task queue is configured (LWNKB_BROKER_URL), and imports do not run "
                f"inside a web request; use manage.py {self.command}."
            )

    def _accepted(self, request: Request, source: str, task: Any, *args: Any) -> Response:
        """Open a run for the request, queue ``task(*args, run_id)`` once it is committed."""
        run = import_request_open(source=source, user=request.user)
        queued = {"task": task.name, "args": [*args, run.pk]}
        try:
            # After commit: the worker must find the run (and nothing is queued if the
            # request fails). Outside a transaction this runs at once, so a broker
            # error is caught here.
            transaction.on_commit(lambda: task.delay(*args, run.pk), robust=False)
        except BROKER_ERRORS as exc:
            import_request_fail(run_id=run.pk, error=f"task queue unavailable: {exc}")
            raise TaskQueueDown from exc
        location = request.build_absolute_uri(reverse("api:import-run-detail", args=[run.pk]))
        body = {"id": run.pk, "url": location, "outcome": run.outcome, "queued": [queued]}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class ImportActionView(_ActionView):
    """Queue the import of an edition (with its comment pages) or of one article page."""

    @extend_schema(
        summary="Queue an import from lwn.net",
        request=ImportRequestSerializer,
        responses={202: AcceptedSerializer, **ERRORS},
        examples=[
            OpenApiExample("An edition", value={"lwn_id": 822335}, request_only=True),
            OpenApiExample(
                "An article page",
                value={"url": "https://lwn.net/Articles/821729/"},
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        """202 with the run to poll; 400 for a bad body or a non-LWN address; 503 without
        a task queue."""
        self._require_task_queue()
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lwn_id, kind = body.validated_data["lwn_id"], body.validated_data["kind"]
        task = tasks.import_edition if kind == EDITION else tasks.refresh_comments
        return self._accepted(request, f"api: {kind} {lwn_id}", task, lwn_id)


class ReparseActionView(_ActionView):
    """Queue re-parsing of stored pages with the current parser (no network)."""

    command = "lwn_reparse"

    @extend_schema(
        summary="Queue a re-parse of stored pages",
        request=ReparseRequestSerializer,
        responses={202: AcceptedSerializer, **ERRORS},
        examples=[
            OpenApiExample("One raw page", value={"raw_page_id": 17}, request_only=True),
            OpenApiExample("An edition", value={"edition": 822335}, request_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        """202 with the run to poll (one task re-parses every page); 400 for an unknown
        page; 503 without a task queue."""
        self._require_task_queue()
        body = ReparseRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids: list[int] = body.validated_data["raw_page_ids"]
        source = f"api: reparse of raw page{'s' if len(ids) > 1 else ''} " + ", ".join(
            map(str, ids[:20])
        )
        return self._accepted(request, source, tasks.reparse_requested, ids)

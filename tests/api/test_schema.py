"""The OpenAPI schema: valid, warning-free, served with interactive docs, and true.

The last test is property-based: schemathesis generates requests for every
operation from the live schema, against a live server over the fixture pages,
and checks that nothing answers 5xx and every documented answer matches its
schema. Curation writes go as a curator, so their bodies are read and their
error paths (400 in the one error shape, 404, 409) are reached; they change a
sandbox entity and article of their own, never the rows the reads are given.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from articles import search
from articles.models import (
    Comment,
    CurationEvent,
    Entity,
    HardwareDevice,
    ImportRun,
    MergeWindowItem,
)
from tests.api.conftest import API, FUTURE, locked_article
from tests.factories import ArticleFactory
from tests.services.conftest import FIXTURE_URLS, import_fixture

ROOT = Path(__file__).resolve().parents[2]
# Per operation and variant: enough to reach odd corners, few enough for CI (well under a
# minute in all). For a deeper, randomised local run: LWNKB_FUZZ_EXAMPLES=200.
EXAMPLES_PER_OPERATION = int(os.environ.get("LWNKB_FUZZ_EXAMPLES", "10"))
DERANDOMIZE = "LWNKB_FUZZ_EXAMPLES" not in os.environ  # CI: the same examples every run
SKIPPED = {f"{API}/schema/"}  # regenerating the whole schema per example is slow, not telling
# Operations whose answers do not match their schema yet: still checked for 5xx. Remove an
# entry as soon as its owner fixes it (the test then guards the fix).
# Operations whose answers are not yet checked against the schema (none).
CONFORMANCE_PENDING: dict[str, str] = {}
# Writes sent as a curator (the others stay anonymous, 401: nothing is queued).
CURATION_WRITES = ("/mentions/", "/rename/", "/merge/", "/aliases/", "/free/")


def test_it_generates_a_valid_schema_without_warnings(tmp_path: Path) -> None:
    command = ["manage.py", "spectacular", "--validate", "--fail-on-warn"]
    result = subprocess.run(
        [sys.executable, *command, "--file", str(tmp_path / "schema.yaml")],
        cwd=ROOT,
        env={**os.environ, "LWNKB_DEBUG": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stderr
    text = (tmp_path / "schema.yaml").read_text()
    paths = ["/articles/{lwn_id}/comments/", "/releases/{version}/", "/actions/import/"]
    paths += ["/entities/{kind}/{name}/rename/", "/entities/{kind}/{name}/aliases/{alias}/"]
    paths += ["/articles/{lwn_id}/free/", "/curation/events/"]
    for path in paths:
        assert f"/api/v1{path}:" in text


@pytest.mark.django_db
def test_it_serves_the_schema_and_the_docs(api: APIClient) -> None:
    schema = api.get(f"{API}/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "tokenAuth" in schema.json()["components"]["securitySchemes"]
    docs = api.get(f"{API}/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


@pytest.fixture
def unthrottled() -> Iterator[None]:
    off = {"anon": None, "user": None}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": off}
    ):
        yield


def known_path_parameters(locked_lwn_id: int) -> dict[str, list[dict[str, Any]]]:
    """Ids that exist, so generated queries also reach real detail pages."""
    entity = Entity.objects.order_by("pk").first()
    assert entity is not None
    return {
        f"{API}/editions/{{lwn_id}}/": [{"lwn_id": 822335}],
        f"{API}/articles/{{lwn_id}}/": [{"lwn_id": 821729}, {"lwn_id": locked_lwn_id}],
        f"{API}/articles/{{lwn_id}}/comments/": [{"lwn_id": 821729}, {"lwn_id": locked_lwn_id}],
        f"{API}/comments/{{lwn_id}}/": [{"lwn_id": Comment.objects.order_by("pk")[0].lwn_id}],
        f"{API}/releases/{{version}}/": [{"version": "5.8"}],
        f"{API}/merge-window-items/{{id}}/": [{"id": MergeWindowItem.objects.order_by("pk")[0].pk}],
        f"{API}/hardware/{{id}}/": [{"id": HardwareDevice.objects.order_by("pk")[0].pk}],
        f"{API}/import-runs/{{id}}/": [{"id": ImportRun.objects.order_by("pk")[0].pk}],
        f"{API}/entities/{{kind}}/{{name}}/": [{"kind": entity.kind, "name": entity.name}],
    }


def curation_sandbox(curator: User) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """A curator's token, and an entity and article of their own for curation writes."""
    sandbox = {"kind": "syscall", "name": "fuzz_target"}
    Entity.objects.create(**sandbox, aliases=["fuzz_alias"])
    article = ArticleFactory.create(subscriber_only=True, free_on=FUTURE)
    entity = f"{API}/entities/{{kind}}/{{name}}"
    return Token.objects.create(user=curator).key, {
        f"{entity}/rename/": [sandbox],
        f"{entity}/merge/": [sandbox],
        f"{entity}/aliases/": [sandbox],
        f"{entity}/aliases/{{alias}}/": [{**sandbox, "alias": "fuzz_alias"}],
        f"{API}/articles/{{lwn_id}}/free/": [{"lwn_id": article.lwn_id}],
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_conforms_to_its_schema_under_generated_requests(
    live_server: object, tmp_data_dir: Path, staff: User, curator: User, unthrottled: None
) -> None:
    for name in FIXTURE_URLS:
        import_fixture(name)
    locked = locked_article()  # so paywalled (null) bodies are exercised too
    search.index_rebuild()
    staff_token = Token.objects.create(user=staff).key
    known = known_path_parameters(locked.lwn_id or 0)
    curator_token, sandbox = curation_sandbox(curator)
    known.update(sandbox)
    base_url = str(live_server.url)  # type: ignore[attr-defined]
    schema = schemathesis.openapi.from_url(f"{base_url}{API}/schema/?format=json")
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(operations) > 15
    for operation in operations:
        if operation.path in SKIPPED:
            continue
        # Staff see everything, including import runs; the other personas' views are
        # tested one by one elsewhere. Curation writes go as a curator; the others stay
        # anonymous (401): nothing is queued.
        reads = operation.method.upper() == "GET"
        headers = {"Authorization": f"Token {staff_token}"} if reads else {}
        if not reads and any(part in operation.path for part in CURATION_WRITES):
            headers = {"Authorization": f"Token {curator_token}"}
        checks: list[schemathesis.CheckFunction] = [not_a_server_error]
        if operation.path not in CONFORMANCE_PENDING:
            checks.append(response_schema_conformance)
        fuzz(operation.as_strategy(), base_url=base_url, headers=headers, checks=checks)
        for parameters in known.get(operation.path, []):
            strategy = operation.as_strategy(path_parameters=parameters)
            fuzz(strategy, base_url=base_url, headers=headers, checks=checks)
        if reads and "{" not in operation.path:  # and the lists once more, anonymously
            fuzz(operation.as_strategy(), base_url=base_url, headers={}, checks=checks)
    # The curation writes reached their services as a curator, not just a 401.
    done = set(CurationEvent.objects.values_list("action", flat=True))
    assert {"article_free", "alias_remove"} <= done, done


def fuzz(
    strategy: st.SearchStrategy[schemathesis.Case],
    *,
    base_url: str,
    headers: dict[str, str],
    checks: list[schemathesis.CheckFunction],
) -> None:
    """Up to EXAMPLES_PER_OPERATION generated requests: no 5xx, documented answers conform."""

    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=checks)

    check()

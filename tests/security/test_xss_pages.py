"""Hostile input never comes back as executable markup: pages, API answers, feeds.

``hostile_site.build`` imports LWN-shaped pages full of XSS payloads through
the real import path and adds hostile entities; these tests fetch every page
type, every API endpoint (as JSON and as the browsable HTML API) and every
feed, and parse what comes back. Each test also checks that the payloads did
reach the output as text, so a page that silently dropped them could not pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

import lxml.html
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.security.hostile_site import (
    EDITION_ID,
    RELEASE,
    THREAD_ID,
    WORD,
    HostileSite,
    build,
)
from tests.security.markup import feed_problems, html_problems, json_problems
from tests.security.xss_payloads import PAYLOADS, TEMPLATE_RESULT

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _text(body: str) -> str:
    """What a reader sees: the page's text, whitespace collapsed."""
    document = cast(lxml.html.HtmlElement, lxml.html.document_fromstring(body))
    return _collapse(document.text_content())


@pytest.fixture
def site(db: None) -> HostileSite:
    return build()


@pytest.fixture
def unthrottled() -> Iterator[None]:
    """Hundreds of API requests in one test: throttling is another test's subject."""
    rates = {"anon": None, "user": None}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        yield


def _get(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def test_it_renders_every_page_without_executable_markup(
    client: Client, site: HostileSite, staff: User
) -> None:
    problems: list[str] = []
    texts: dict[str, str] = {}
    for url in site.pages:
        body = _get(client, url)
        problems += html_problems(body, where=url)
        texts[url] = _text(body)
    client.force_login(staff)
    for url in site.staff_pages:
        body = _get(client, url)
        problems += html_problems(body, where=url)
        texts[url] = _text(body)
    assert problems == []
    assert all(TEMPLATE_RESULT not in text for text in texts.values())

    # The payloads are there, as text: titles and bylines on the edition…
    edition = texts[f"/editions/{EDITION_ID}/"]
    missing = [p.name for p in PAYLOADS if _collapse(p.text) not in edition]
    assert missing == []
    # …bodies, comment titles and posters on the article with everything in it…
    thread = texts[f"/articles/{THREAD_ID}/"]
    assert [p.name for p in PAYLOADS if thread.count(_collapse(p.text)) < 3] == []
    # …merge-window headings and hardware categories, entity names and descriptions…
    release = texts[f"/releases/{RELEASE}/"]
    assert [p.name for p in PAYLOADS[:20] if _collapse(p.text) not in release] == []
    for entity in site.entities:
        assert _collapse(entity.description) in texts[entity.get_absolute_url()]
    # …the failed imports' errors, and highlighted snippets in search results.
    assert PAYLOADS[0].text in texts["/imports/?outcome=failed"]
    assert f"<mark>{WORD}</mark>".lower() in _get(client, f"/search/?q={WORD}").lower()


@pytest.mark.usefixtures("unthrottled")
def test_it_answers_every_api_endpoint_without_executable_markup(
    client: Client, site: HostileSite, staff: User
) -> None:
    problems: list[str] = []
    seen: list[str] = []
    for persona, urls in (("anonymous", site.api), ("staff", site.staff_api)):
        if persona == "staff":
            client.force_login(staff)
        for url in urls:
            response = client.get(url, headers={"accept": "application/json"})
            assert response.status_code == 200, f"{url}: {response.status_code}"
            assert response["Content-Type"].startswith("application/json")
            assert response["X-Content-Type-Options"] == "nosniff"
            problems += json_problems(response.json(), where=url)
            seen.append(response.content.decode())
            # The browsable API renders the same data as an HTML page.
            problems += html_problems(_get(client, url, accept="text/html"), where=url + " (html)")
    assert problems == []
    everything = "\n".join(seen)
    for payload in PAYLOADS[:10]:
        assert _collapse(payload.text).replace('"', '\\"') in everything, payload.name


def test_it_serves_feeds_without_executable_markup(client: Client, site: HostileSite) -> None:
    problems: list[str] = []
    titles: list[str] = []
    for url in site.feeds:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        problems += feed_problems(response.content, where=url)
        titles += re.findall(r"<title>(.*?)</title>", response.content.decode())
    assert problems == []
    # Titles are Atom text constructs: the payload is there, escaped once.
    assert any(PAYLOADS[0].escaped.replace("&#x27;", "'") in title for title in titles)

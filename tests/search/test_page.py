"""The ``/search/`` page: state in the URL, facets, chips, escaping, degraded mode."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles import search
from tests.factories import ArticleFactory
from tests.search.conftest import import_all
from tests.search.test_api import SEARCH_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(db: None) -> None:
    import_all(("edition-2020-06-11-bigpage.html", "brief-items-2020-06-11.html"))
    ArticleFactory(
        lwn_id=990200,
        title="A <script> in the title",
        body_text='Beware <script>alert("owned")</script> in kernel mail.',
    )
    search.index_rebuild()


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_it_shows_a_labelled_box_and_the_syntax_without_a_query(client: Client) -> None:
    body = page(client, "/search/")
    assert '<label for="search-q">Search the archive</label>' in body
    assert "Search syntax" in body
    assert "release:5.8  release:&gt;=6.1" in body
    assert "<script" not in body  # works without JavaScript
    assert 'href="/search/"' in body  # the link in the site header


def test_it_lists_hits_with_facets_counts_and_pages(client: Client, indexed: None) -> None:
    body = page(client, "/search/?q=panels+OR+controllers&type=hardware")
    assert "12 results" in body
    assert '<h2 id="facet-section">Section</h2>' in body
    graphics = "/search/?q=panels+OR+controllers&amp;type=hardware&amp;section=Graphics"
    assert f'<a href="{graphics}">Graphics</a> <span class="muted">(4)</span>' in body
    assert "<mark>panels</mark>" in body
    first = page(client, "/search/?type=hardware")
    assert "25 results" in first
    assert '<a rel="next" href="/search/?type=hardware&amp;page=2">' in first
    second = page(client, "/search/?type=hardware&page=2")
    assert '<a rel="prev" href="/search/?type=hardware&amp;page=1">' in second
    assert "Page 2 of 2" in second
    assert 'rel="next"' not in second


def test_it_shows_active_filters_as_removable_chips(client: Client, indexed: None) -> None:
    body = page(client, "/search/?q=panels&type=hardware&section=Graphics")
    assert "3 results" in body
    chips = body[body.index('aria-label="Active filters"') :]
    assert 'href="/search/?q=panels&amp;section=Graphics"' in chips  # removes type
    assert 'href="/search/?q=panels&amp;type=hardware"' in chips  # removes section
    assert "type: Hardware device" in chips
    # A new query from the box keeps the filters.
    assert '<input type="hidden" name="section" value="Graphics">' in body


def test_it_keeps_every_state_in_a_bookmarkable_url(client: Client, indexed: None) -> None:
    url = "/search/?q=kernel&sort=date&type=article&after=2020-06-01&page=2"
    first, again = page(client, url), page(client, url)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", first) == strip.sub("", again)
    state = "q=kernel&amp;sort=date&amp;type=article&amp;after=2020-06-01"
    assert f'rel="prev" href="/search/?{state}&amp;page=1"' in first
    assert '<option value="date" selected>' in first


def test_it_escapes_document_text(client: Client, indexed: None) -> None:
    body = page(client, "/search/?q=alert")
    assert "<script>alert" not in body
    assert "&lt;script&gt;<mark>alert</mark>" in body
    assert "A &lt;script&gt; in the title" in body


def test_it_offers_a_correction(client: Client, indexed: None) -> None:
    body = page(client, "/search/?q=seccmop")
    assert 'Did you mean <a href="/search/?q=seccomp">seccomp</a>?' in body


def test_it_explains_bad_queries_without_failing(client: Client, indexed: None) -> None:
    assert "A quotation mark is not closed" in page(client, '/search/?q="ring+buffer')
    assert "Enter a valid value" in page(client, "/search/?q=x&release=latest")


@pytest.mark.whoosh_only  # the postgres backend has no index to lose
def test_it_degrades_when_the_index_is_unavailable(client: Client, db: None) -> None:
    body = page(client, "/search/?q=kernel", status=503)
    assert "Search is being rebuilt or is unavailable" in body
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(("persona", "queries"), [("anonymous", 0), ("subscriber", 4)])
def test_it_runs_a_fixed_number_of_queries(
    client: Client,
    indexed: None,
    request: pytest.FixtureRequest,
    django_assert_num_queries,
    search_backend: str,
    persona: str,
    queries: int,
) -> None:
    user = request.getfixturevalue(persona)
    if isinstance(user, User):
        client.force_login(user)
    with django_assert_num_queries(queries + SEARCH_QUERIES[search_backend]):
        page(client, "/search/?q=kernel+OR+capab*&type=article")

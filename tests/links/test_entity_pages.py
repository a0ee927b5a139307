"""``/entities/`` and ``/entities/<kind>/<name>/``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Entity, ImportRun, Mention
from tests.factories import ArticleFactory, CommentFactory, MergeWindowItemFactory

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_it_shows_what_an_entity_is_and_where_it_was_introduced(
    client: Client, linked_bigpage: ImportRun
) -> None:
    html = page(client, "/entities/syscall/faccessat2/")
    item = Entity.objects.get(name="faccessat2").introduced_in
    assert item is not None
    assert "<code>faccessat2()</code>" in html
    assert "System call" in html
    assert f'class="introduced" href="/releases/5.8/#item-{item.pk}">Linux 5.8</a>' in html
    assert "(introduced here)" in html
    assert "A new system call, faccessat2(), finally provides the flags argument" in html


def test_it_shows_a_timeline_of_every_kind_of_text_and_related_entities(
    client: Client, archive: dict[str, ImportRun]
) -> None:
    html = page(client, "/entities/capability/CAP_PERFMON/")
    assert "Linux 5.8 merge window, Security-related" in html
    assert "A crop of new capabilities" in html
    assert 'Comment "Counting capabilities" by' in html
    related = html.split('id="related-heading"')[1]
    assert 'href="/entities/capability/CAP_BPF/"' in related


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/entities/syscall/faccessat2()/", "/entities/syscall/faccessat2/"),
        ("/entities/syscall/FACCESSAT2/", "/entities/syscall/faccessat2/"),
        ("/entities/capability/cap_perfmon/", "/entities/capability/CAP_PERFMON/"),
        ("/entities/release/Linux%205.8/", "/entities/release/5.8/"),
        ("/entities/person/jonathan%20corbet/", "/entities/person/Jonathan%20Corbet/"),
    ],
)
def test_it_redirects_other_spellings_to_the_canonical_url(
    client: Client, linked_bigpage: ImportRun, url: str, canonical: str
) -> None:
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == canonical


def test_it_serves_paths_without_their_leading_slash(
    client: Client, linked_bigpage: ImportRun
) -> None:
    html = page(client, "/entities/path/proc/pid/map_files/")
    assert "<code>/proc/pid/map_files</code>" in html


def test_it_answers_404_for_unknown_entities(client: Client, linked_bigpage: ImportRun) -> None:
    assert client.get("/entities/syscall/copy_from_user/").status_code == 404
    assert client.get("/entities/gadget/faccessat2/").status_code == 404


def _lock(lwn_id: int) -> dt.date:
    free_on = timezone.now().date() + dt.timedelta(days=5)
    Article.objects.filter(lwn_id=lwn_id).update(subscriber_only=True, free_on=free_on)
    return free_on


def test_it_hides_subscriber_only_sentences_from_anonymous_users(
    client: Client, archive: dict[str, ImportRun]
) -> None:
    free_on = _lock(821729)  # the capabilities article and its comments
    html = page(client, "/entities/capability/CAP_BPF/")
    assert f"Subscriber-only until {free_on:%B} {free_on.day}, {free_on.year}." in html
    assert "governs much of what can be done" not in html  # the article's sentence
    # The thread of a locked article is subscriber text, its titles too (as on the article page).
    assert "CAP_BPF alone is not much" not in html
    assert "So loading a tracing program takes CAP_BPF" not in html  # its text is not
    assert "now fall under the new CAP_BPF capability" in html  # the merge item is free


def test_it_shows_subscriber_only_sentences_to_subscribers(
    client: Client, archive: dict[str, ImportRun], subscriber: User
) -> None:
    _lock(821729)
    client.force_login(subscriber)
    html = page(client, "/entities/capability/CAP_BPF/")
    assert "Subscriber-only until" not in html
    assert "governs much of what can be done" in html


def _add_mentions(entity: Entity, other: Entity, n: int) -> None:
    """``n`` locked articles, each with an item and a comment naming both entities."""
    for _ in range(n):
        article = ArticleFactory.create(subscriber_only=True, free_on=dt.date(2999, 1, 1))
        item = MergeWindowItemFactory.create(article=article)
        comment = CommentFactory.create(article=article)
        for target in ({"article": article}, {"merge_item": item}, {"comment": comment}):
            Mention.objects.create(entity=entity, sentence="A faccessat2() call.", **target)
            Mention.objects.create(entity=other, sentence="CAP_BPF.", **target)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Entity, timeline count and page, related entities, mentions per year, first and latest
# mention; logged in: session, user, permissions.
# PostgreSQL reads kept tallies: the locked articles and their hidden mentions are two
# queries (none for a subscriber), the first and latest mention share one, and the
# articles of the items and comments on the page are one more (a join of them would
# take longer to plan than to run; none here for anonymous, whose are all locked).
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {"postgresql": 7, "sqlite": 6}),
        ("subscriber", {"postgresql": 10, "sqlite": 10}),
    ],
)
def test_it_renders_an_entity_page_in_a_constant_number_of_queries(
    client: Client, request: pytest.FixtureRequest, persona: str, expected: dict[str, int]
) -> None:
    user = request.getfixturevalue(persona)
    if persona != "anonymous":
        client.force_login(user)
    entity = Entity.objects.create(kind="syscall", name="faccessat2")
    other = Entity.objects.create(kind="capability", name="CAP_BPF")
    _add_mentions(entity, other, 2)
    url = entity.get_absolute_url()
    assert _queries(client, url) == expected[connection.vendor]
    _add_mentions(entity, other, 30)
    assert _queries(client, url) == expected[connection.vendor]


def test_it_lists_entities_filtered_by_kind_release_and_prefix(
    client: Client, linked_bigpage: ImportRun
) -> None:
    html = page(client, "/entities/?kind=capability")
    assert "CAP_PERFMON" in html
    assert "faccessat2" not in html
    html = page(client, "/entities/?introduced=5.8")
    assert all(name in html for name in ("faccessat2", "CAP_BPF", "memory.swap.high"))
    assert "CAP_SYS_ADMIN" not in html
    html = page(client, "/entities/?q=faccess")
    assert "faccessat2()" in html
    assert "setns" not in html


def test_it_lists_entities_in_a_few_queries(client: Client, linked_bigpage: ImportRun) -> None:
    # Count and page; on PostgreSQL also the locked articles, whose texts' mentions would
    # come off the kept totals (none here).
    assert _queries(client, "/entities/") == {"postgresql": 3, "sqlite": 2}[connection.vendor]

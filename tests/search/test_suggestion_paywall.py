"""A "did you mean" offers only words from text the reader may read, on every surface.

One locked article carries a made-up word in each kind of text it owns: its
body, a comment's title and body, a merge-window item and a hardware device.
A free article carries a common word and a made-up word of its own. A query one
letter off each locked word, alone or joined with the common word, must never
turn into that word for anonymous visitors (API, search page, facade), while
subscribers still get it and the free word is still offered to everyone.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from articles import search
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    HardwareDeviceFactory,
    KernelReleaseFactory,
    MergeWindowItemFactory,
)
from tests.search.conftest import ANONYMOUS, SUBSCRIBER

pytestmark = pytest.mark.django_db

COMMON = "linux"  # in the free article and the locked one
# (the word only the locked text has, a query one letter off it), per kind of text.
LOCKED_WORDS = {
    "article body": ("zindelkraut", "zindelkrout"),
    "comment title": ("plumbrixol", "plumbrixal"),
    "comment body": ("feltrovane", "feltrovine"),
    "merge-window item": ("grobnitzak", "grobnitzek"),
    "hardware device": ("wexlomarin", "wexlomaron"),
}
FREE_WORD, FREE_MISS = "quorvantil", "quorventil"


@pytest.fixture
def paywalled(db: None) -> None:
    release = KernelReleaseFactory.create(version="5.8")
    ArticleFactory.create(
        title=f"A free look at {COMMON} scheduling",
        body_text=f"The {COMMON} scheduler and the {FREE_WORD} tool are free to read about.",
        subscriber_only=False,
    )
    words = {kind: word for kind, (word, _miss) in LOCKED_WORDS.items()}
    article = ArticleFactory.create(
        title="Rethinking the page allocator",
        subscriber_only=True,
        free_on=timezone.now().date() + dt.timedelta(days=7),
        body_text=f"The {words['article body']} allocator in {COMMON} hands out pages.",
    )
    CommentFactory.create(
        article=article,
        title=f"A {words['comment title']} question",
        body_text=f"Does {words['comment body']} work with {COMMON} yet?",
    )
    MergeWindowItemFactory.create(
        release=release, article=article, text=f"{COMMON} takes {words['merge-window item']} flags."
    )
    HardwareDeviceFactory.create(
        release=release,
        article=article,
        category="Input",
        name=f"{words['hardware device'].title()} touch panel",
    )
    search.index_rebuild()


def queries(miss: str) -> list[str]:
    """The near miss alone, ORed and ANDed with a word visible text has."""
    return [miss, f"{miss} OR {COMMON}", f"{COMMON} OR {miss}", f"{miss} {COMMON}"]


def suggestion(query: str, reader: object) -> str | None:
    return search.archive_search(query=query, user=reader).suggestion  # type: ignore[arg-type]


def api_suggestion(client: Client, query: str) -> str | None:
    answer = client.get("/api/v1/search/", {"q": query})
    assert answer.status_code == 200
    found: str | None = answer.json()["suggestion"]
    return found


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().lower()


@pytest.mark.slow  # each kind of locked text x four query shapes x four surfaces, both engines
@pytest.mark.parametrize("kind", LOCKED_WORDS)
def test_it_never_suggests_a_word_only_locked_text_has_to_anonymous(
    kind: str, paywalled: None, client: Client
) -> None:
    word, miss = LOCKED_WORDS[kind]
    for query in queries(miss):
        assert word not in (suggestion(query, ANONYMOUS) or ""), query
        assert word not in (api_suggestion(client, query) or ""), query
        assert word not in page_text(client, f"/search/?q={quote(query)}"), query
        assert word not in page_text(client, f"/feeds/search/?q={quote(query)}"), query


@pytest.mark.parametrize("kind", LOCKED_WORDS)
def test_it_still_suggests_a_word_from_locked_text_to_subscribers(
    kind: str, paywalled: None, subscriber: User, search_backend: str
) -> None:
    if kind == "comment title" and search_backend == "whoosh":
        pytest.skip("whoosh's word list for suggestions is made of texts, not titles")
    word, miss = LOCKED_WORDS[kind]
    assert suggestion(miss, SUBSCRIBER) == word
    assert suggestion(f"{miss} OR {COMMON}", SUBSCRIBER) == f"{word} OR {COMMON}"
    client = Client()
    client.force_login(subscriber)
    assert api_suggestion(client, miss) == word
    assert f">{word}</a>" in page_text(client, f"/search/?q={miss}")


def test_it_suggests_a_word_from_free_text_to_anonymous(paywalled: None, client: Client) -> None:
    for query in queries(FREE_MISS):
        assert suggestion(query, ANONYMOUS) == query.replace(FREE_MISS, FREE_WORD)
        assert api_suggestion(client, query) == query.replace(FREE_MISS, FREE_WORD)
    assert f">{FREE_WORD}</a>" in page_text(client, f"/search/?q={FREE_MISS}")


def test_it_answers_anonymous_as_if_locked_text_were_absent(paywalled: None) -> None:
    """A word only locked text has counts as missing, so no answer tells it is there."""
    word, _miss = LOCKED_WORDS["comment body"]
    near = word[:-1] + "o"  # one edit away, in free text
    ArticleFactory.create(title="Another free one", body_text=f"The {near} tool.")
    search.index_rebuild()
    assert suggestion(word, ANONYMOUS) == near
    assert suggestion(f"{word} OR {COMMON}", ANONYMOUS) == f"{near} OR {COMMON}"
    assert suggestion(word, SUBSCRIBER) is None  # they can find it: nothing to correct


def test_it_counts_a_locked_articles_title_as_readable(paywalled: None) -> None:
    """Anyone finds a locked article by its title, so its title words are not "missing"."""
    ArticleFactory.create(title="Yet another free one", body_text="The rethinkinq tool.")
    search.index_rebuild()
    assert search.archive_search(query="rethinking", user=ANONYMOUS).count == 1
    assert suggestion("rethinking", ANONYMOUS) is None
    assert suggestion("rethinking", SUBSCRIBER) is None


@pytest.mark.whoosh_only
def test_it_does_not_count_replaced_locked_documents_as_readable(paywalled: None) -> None:
    """A re-indexed locked article leaves deleted copies in the index; they stay hidden."""
    word, _miss = LOCKED_WORDS["article body"]
    near = word[:-1] + "x"
    ArticleFactory.create(title="Yet another free one", body_text=f"The {near} tool.")
    search.index_rebuild()
    locked = Article.objects.get(subscriber_only=True)
    for _ in range(3):
        search.index_documents_for_articles(article_ids=[locked.pk])
    assert suggestion(word, ANONYMOUS) == near
    assert suggestion(word, SUBSCRIBER) is None

"""Both engines answer every form of the query language with the same texts.

One small set of texts, stored once and searched on whoosh and on PostgreSQL in the
same test: each row of ``QUERIES`` is a query form (a word, a word written only inside
identifiers, negation, OR, a prefix, a word both stemmers reduce alike, a qualifier,
an identifier, a phrase, stop words) and the texts it must find, on both.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings

from articles import search
from articles.search import IndexDocument
from articles.search.analysis import STOP_WORDS, prose_terms
from tests.search.conftest import BACKENDS, SUBSCRIBER, store_documents, stored_ids

pytestmark = [pytest.mark.django_db, pytest.mark.backend_independent]

TEXTS = {
    1: ("Sandboxing rules", "Call landlock_create_ruleset() first; see CONFIG_SECURITY_LANDLOCK."),
    2: ("Syscall filters", "A seccomp() filter needs CAP_BPF here."),
    3: ("Maps", "Programs call bpf() to make maps."),
    4: ("Overcommit", "Setting vm.overcommit_memory to 2."),
    5: ("Attributes", "The sched_setattr() call."),
    6: ("Privileges", "Capabilities are split; each capability is checked."),
    7: ("Plain words", "Memory and security, said plainly; the scheduler."),
    8: ("Tracing", "Build with CONFIG_BPF_SYSCALL enabled."),
    9: ("Classes", "Enable CONFIG_SCHED_CLASS_EXT for them."),
    10: ("Odds", "Some of it may yet ship: x marks the spot."),
}
TOO_COMMON = None  # the query is only stop words: both engines refuse it

# query → the texts both engines must find. A plain word also finds the identifiers it
# is a part of (docs/search.md): "landlock" finds landlock_create_ruleset().
QUERIES = [
    ("landlock", {1}),
    ("memory", {4, 7}),
    ("security", {1, 7}),
    ("bpf", {2, 3, 8}),
    ("bpf -seccomp", {3, 8}),
    ("call -landlock", {3, 5}),
    ("seccomp OR landlock", {1, 2}),
    ("sched*", {5, 7, 9}),
    ("capab*", {6}),
    ("capability", {6}),  # "capabilities" too: both stemmers make "capabl" of either
    ("title:sandboxing landlock", {1}),
    ("title:landlock", set()),
    ("CONFIG_BPF_SYSCALL", {8}),
    ("cap_bpf", {2}),
    ("landlock_create_ruleset", {1}),
    ('"make maps"', {3}),
    # Stop words are PostgreSQL's English list on both (whoosh's own differs).
    ("may", {10}),
    ("yet", {10}),
    ("x", {10}),
    ("some", TOO_COMMON),
    ('"may yet"', {10}),
]


@pytest.fixture
def texts(db: None) -> None:
    store_documents(
        [IndexDocument(type="comment", pk=pk, title=t, body=b) for pk, (t, b) in TEXTS.items()]
    )


def found(query: str, backend: str) -> set[int] | None:
    with override_settings(SEARCH_BACKEND=backend):
        try:
            results = search.archive_search(query=query, user=SUBSCRIBER, page_size=100)
        except search.SearchError as exc:
            if "too common" not in str(exc):
                raise
            return TOO_COMMON
    assert results.count == len(results.hits)
    return stored_ids(results)


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_it_finds_the_same_texts_on_both_backends(
    texts: None, query: str, expected: set[int] | None
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the postgres search backend needs a PostgreSQL test database")
    answers = {backend: found(query, backend) for backend in BACKENDS}
    assert answers == dict.fromkeys(BACKENDS, expected)


def test_it_drops_the_stop_words_postgresql_drops_and_no_other() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("compares with PostgreSQL's lwnkb_english configuration")
    whoosh_only = {"may", "us", "yet", "tbd", "x"}  # whoosh's own list drops these
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w"
            " WHERE (to_tsvector('lwnkb_english', w) = ''::tsvector) <> (w = ANY(%s))",
            (sorted(STOP_WORDS | whoosh_only), sorted(STOP_WORDS)),
        )
        assert cursor.fetchall() == []
    assert [w for w in sorted(STOP_WORDS | whoosh_only) if not prose_terms(w)] == sorted(STOP_WORDS)

"""A relevance set over the seven fixture pages: each query with its expected results.

Hits are named by LWN id (articles, comments), device name (hardware) or
merge-window group (merge items); see ``search_labels``. Two small extra
articles check that identifiers match exactly: one says CONFIG_BPF_SYSCALL and
io_uring_enter(), the other CONFIG_BPF, faccessat() and memory.high.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from articles import search
from tests.factories import ArticleFactory
from tests.search.conftest import ANONYMOUS, import_all, search_labels

MERGE_ARTICLE = "article:821534"
CAPABILITIES = "article:821729"
SECCOMP = "article:822256"
WELCOME = "article:822349"
CORE = "merge:Core kernel"
SECURITY = "merge:Security-related"
WITH_SYSCALL = "article:990001"
WITHOUT_SYSCALL = "article:990002"
# The archive is imported once per module, in a transaction rolled back after the last
# test (each test's own transaction is a savepoint inside it): the postgres backend
# searches those rows, whoosh an index built from them. The mark makes pytest-django
# set up the test database for it.
pytestmark = pytest.mark.django_db

PERFMON_COMMENTS = [f"comment:{n}" for n in (821860, 821870, 821874, 821880, 821977, 821990)]


@pytest.fixture(scope="module")
def archive_index(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """Import everything once and index it; the rows stay until the module is done."""
    root = tmp_path_factory.mktemp("relevance") / "index"
    with override_settings(INDEX_DIR=root), django_db_blocker.unblock(), transaction.atomic():
        import_all()
        ArticleFactory(
            lwn_id=990001,
            # Fixed dates: the factory's date sequence depends on test order.
            edition=None,
            date=dt.date(2021, 3, 4),
            title="Building a BPF kernel",
            body_text="Enable CONFIG_BPF_SYSCALL; io_uring_enter() is unrelated.",
        )
        ArticleFactory(
            lwn_id=990002,
            edition=None,
            date=dt.date(2021, 3, 4),
            title="Older options",
            body_text="CONFIG_BPF alone selects the core; faccessat() lacks flags; "
            "memory.high throttles earlier.",
        )
        with override_settings(SEARCH_BACKEND="whoosh"):
            assert search.index_rebuild() is not None
        yield root
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _private_index(archive_index: Path) -> Iterator[Path]:
    """Overrides the per-test index of conftest: these tests share the module's index."""
    with override_settings(INDEX_DIR=archive_index):
        yield archive_index


def run(query: str) -> search.SearchResults:
    return search.archive_search(query=query, user=ANONYMOUS, page_size=100)


EXACT, TOP, INCLUDES, COUNT, SUGGESTS = "exact", "top", "includes", "count", "suggests"

CASES = [
    # Kernel identifiers: exact, case-insensitive, no false hits.
    ("faccessat2", EXACT, [MERGE_ARTICLE, CORE]),
    ("faccessat2()", EXACT, [MERGE_ARTICLE, CORE]),
    ("FACCESSAT2", EXACT, [MERGE_ARTICLE, CORE]),
    ("faccessat()", EXACT, [WITHOUT_SYSCALL]),
    ("io_uring", EXACT, [SECCOMP, MERGE_ARTICLE, CORE]),
    ("IO_URING", EXACT, [SECCOMP, MERGE_ARTICLE, CORE]),
    ("io_uring_enter", EXACT, [WITH_SYSCALL]),
    ("CAP_PERFMON", EXACT, [MERGE_ARTICLE, CAPABILITIES, SECURITY, SECURITY, *PERFMON_COMMENTS]),
    ("cap_perfmon", EXACT, [MERGE_ARTICLE, CAPABILITIES, SECURITY, SECURITY, *PERFMON_COMMENTS]),
    ("CONFIG_BPF_SYSCALL", EXACT, [WITH_SYSCALL]),
    ("CONFIG_BPF", EXACT, [WITHOUT_SYSCALL]),
    ("memory.swap.high", EXACT, [MERGE_ARTICLE, CORE]),
    ("memory.high", EXACT, [WITHOUT_SYSCALL]),
    ("/proc/pid/maps", EXACT, ["comment:1006214"]),
    ("clone3()", EXACT, [SECCOMP, CAPABILITIES]),
    ("tee()", EXACT, [MERGE_ARTICLE, CORE]),
    # Phrases.
    ('"ring buffer"', EXACT, [MERGE_ARTICLE, CORE]),
    ('"deep argument inspection"', EXACT, [SECCOMP, WELCOME]),
    ('"reproducible builds"', TOP, "article:637712"),
    # Qualifiers.
    ("title:capabilities", EXACT, [CAPABILITIES, "comment:821977", "comment:821990"]),
    (
        'author:"Jake Edge"',
        EXACT,
        [SECCOMP, *(f"article:{n}" for n in (822481, 822500, 637712, 822099, 822121))],
    ),
    ("author:corbet type:comment", EXACT, ["comment:821851", "comment:821950", "comment:1006245"]),
    ("type:hardware", COUNT, 25),
    ("type:hardware graphics", COUNT, 5),
    ("release:5.8 type:merge", COUNT, 32),
    ("release:>=5.8", COUNT, 58),
    ("release:>5.8", COUNT, 0),
    ("release:5.8 capability", EXACT, [MERGE_ARTICLE, SECURITY, SECURITY]),
    ("type:article -release:5.8", COUNT, 20),  # 21 articles, one of them the 5.8 summary
    ("release:5.8 OR after:2025-01-01", COUNT, 58 + 7),
    ("before:2015-12-31", EXACT, ["article:637755", "article:637621", "article:637712"]),
    ("after:2025-01-01", COUNT, 7),
    (
        "after:2020-06-10 before:2020-06-10 type:article",
        EXACT,
        [SECCOMP, *(f"article:{n}" for n in (822350, 822466, 822481, 822500, 822470))],
    ),
    ('section:"Kernel development"', EXACT, ["article:822466", "article:822470"]),
    (
        "section:security type:article",
        EXACT,
        ["article:kernel: information leak via special-register buffers", "article:822099"],
    ),
    ("entity:CAP_PERFMON", COUNT, 0),  # no mentions linked in this set; see test_indexing
    # Prefixes, exclusion, OR.
    ("capab* type:article", TOP, CAPABILITIES),
    ("swapp*", EXACT, [MERGE_ARTICLE, CORE]),
    ("loongson* type:hardware", COUNT, 4),
    (
        "capabilities -CAP_SYS_ADMIN type:comment",
        EXACT,
        ["comment:821893", "comment:821950", "comment:821977", "comment:821990"],
    ),
    ("seccomp -bpf", EXACT, [WELCOME]),
    ("arduino OR debian", EXACT, ["article:637755", "article:637712"]),
    ("landlock OR seccomp type:article", EXACT, [SECCOMP, WELCOME]),
    # Ranking.
    ("seccomp", TOP, SECCOMP),
    ("home assistant", TOP, "article:822350"),
    ("dma-buf", TOP, "article:822052"),
    ("jurgen", INCLUDES, ["article:822470", "article:637712", "article:637621"]),
    # Misspellings.
    ("seccmop", SUGGESTS, "seccomp"),
    ("arduno trademark", SUGGESTS, "arduino trademark"),
    ("title:capabilties", SUGGESTS, "title:capabilities"),
    ("seccomp", SUGGESTS, None),
]


@pytest.mark.parametrize(("query", "kind", "expected"), CASES, ids=[c[0] for c in CASES])
def test_it_finds_the_expected_texts(query: str, kind: str, expected: object) -> None:
    results = run(query)
    labels = search_labels(results)
    if kind == EXACT:
        assert isinstance(expected, list)
        assert Counter(labels) == Counter(expected), labels
        assert results.count == len(expected)
    elif kind == TOP:
        assert labels[:1] == [expected], labels
    elif kind == INCLUDES:
        assert isinstance(expected, list)
        assert set(expected) <= set(labels), labels
    elif kind == COUNT:
        assert results.count == expected, labels
    else:
        assert results.suggestion == expected


def test_it_has_a_relevance_set_of_at_least_thirty_queries() -> None:
    assert len({case[0] for case in CASES}) >= 30

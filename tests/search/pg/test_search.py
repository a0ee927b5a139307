"""The postgres backend's own parts: the generated columns, identifiers, no index upkeep."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import search
from articles.models import Article, Comment
from articles.search.analysis import IDENTIFIER
from articles.search.pg.suggest import one_edit
from tests.factories import ArticleFactory, CommentFactory, MergeWindowItemFactory
from tests.search.conftest import ANONYMOUS, SUBSCRIBER, import_all, search_labels

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

SAMPLES = [
    "io_uring gained tee(); faccessat2() adds flags. CAP_PERFMON, CONFIG_BPF_SYSCALL=y and "
    "memory.swap.high. See /proc/pid/maps. The kernel's capabilities.",
    "Set vm.swappiness, read /sys/kernel/debug/tracing. and call clone3() or _exit().",
    "x86_64 and arm64, not 5.8 or 6.14; __GFP_NOWARN, sched_ext, a.b but not .hidden",
    "(io_uring_enter()), [CONFIG_IO_URING]: /dev/shm/x-1.y, Linux 6.1-rc2; kmalloc()",
]


def rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def test_it_keeps_identifiers_whole_where_the_default_parser_splits_them() -> None:
    # PostgreSQL's own parser cuts io_uring and CONFIG_BPF_SYSCALL at the underscores…
    tokens = rows(
        "SELECT token FROM ts_debug('english', 'io_uring CONFIG_BPF_SYSCALL')"
        " WHERE alias <> 'blank'"
    )
    assert [t for (t,) in tokens] == ["io", "uring", "CONFIG", "BPF", "SYSCALL"]
    # …so the identifier column keeps them whole, lowercased, and searches match exactly.
    article = ArticleFactory.create(
        title="Ring news", body_text="io_uring and CONFIG_BPF_SYSCALL grow."
    )
    ArticleFactory(title="Other", body_text="The io ring; uring; config bpf syscall.")
    ((ident,),) = rows("SELECT search_ident::text FROM articles_article WHERE id = %s", article.pk)
    assert ident == "'config_bpf_syscall':2 'io_uring':1"
    for query in ("io_uring", "IO_URING", "CONFIG_BPF_SYSCALL", "config_bpf_syscall"):
        assert search_labels(search.archive_search(query=query, user=ANONYMOUS)) == [
            f"article:{article.lwn_id}"
        ]


@pytest.mark.parametrize("text", SAMPLES)
def test_it_finds_the_same_identifiers_as_the_whoosh_analyzer(text: str) -> None:
    ((found,),) = rows(
        "SELECT ARRAY(SELECT lexeme FROM unnest(lwnkb_idents(%s)) ORDER BY positions[1])", text
    )
    expected = list(dict.fromkeys(token.text for token in IDENTIFIER(text)))
    assert found == expected


def test_it_updates_the_columns_in_the_writing_transaction() -> None:
    """No index task: a row is searchable as soon as it is written, and as it now reads."""
    article = ArticleFactory.create(title="Guard pages", body_text="A guard page stops overruns.")
    assert search.archive_search(query="overruns", user=ANONYMOUS).count == 1
    Article.objects.filter(pk=article.pk).update(body_text="Now about shadow stacks.")
    assert search.archive_search(query="overruns", user=ANONYMOUS).count == 0
    assert search.archive_search(query="shadow", user=ANONYMOUS).count == 1
    Article.objects.filter(pk=article.pk).delete()
    assert search.archive_search(query="shadow", user=ANONYMOUS).count == 0


def test_it_has_no_index_to_maintain(tmp_data_dir: Path) -> None:
    runs = import_all(("edition-2020-06-11-bigpage.html",))
    total = Article.objects.count() + Comment.objects.count() + 32 + 25
    assert search.index_documents_for_import(run=runs[0]) == 0
    article_ids = list(Article.objects.values_list("pk", flat=True))
    assert search.index_documents_for_articles(article_ids=article_ids) == 0
    assert search.index_rebuild() is None
    status = search.index_status()
    assert (status.state, status.documents, status.path) == ("ok", total, None)
    assert "the tables are the index" in status.message
    out = io.StringIO()
    call_command("lwn_reindex", "--if-needed", stdout=out, stderr=io.StringIO())
    assert f"{total} documents): nothing to do" in out.getvalue()
    call_command("lwn_reindex", stdout=out, stderr=io.StringIO())
    assert "nothing to do" in out.getvalue()
    with pytest.raises(search.SearchUnavailable, match="store rows"):
        search.index_add_documents([{"type": "article", "pk": 1, "title": "t", "body": "b"}])
    assert not Path(django_settings.INDEX_DIR).exists()  # whoosh was never touched


def test_it_expands_prefixes_without_a_bound() -> None:
    article = ArticleFactory.create(title="Words", body_text="")
    CommentFactory.create_batch(3, article=article, body_text="zzword here")
    for n in range(600):
        CommentFactory(article=article, body_text=f"zzword{n:04d} here")
    assert search.archive_search(query="zzw*", user=ANONYMOUS).count == 603
    assert search.archive_search(query="zzword0599", user=ANONYMOUS).count == 1


def test_it_suggests_corrections_one_edit_away() -> None:
    ArticleFactory(title="Scheduler", body_text="The scheduler and the schedulers.")
    assert "scheduler" in one_edit("schedluer")  # two letters swapped
    assert "cheduler" not in one_edit("scheduler")  # the first letter stays
    suggest = search.archive_search(query="schedluer", user=ANONYMOUS).suggestion
    assert suggest == "scheduler"
    # Two edits away: whoosh would offer it, the postgres backend does not.
    assert search.archive_search(query="schdluer", user=ANONYMOUS).suggestion is None


def test_it_asks_two_statements_of_an_identifier_search(
    django_assert_num_queries: Any,
) -> None:
    article = ArticleFactory.create(title="Device nodes", body_text="Needs CAP_MKNOD here.")
    CommentFactory(article=article, body_text="And CAP_MKNOD there.")
    # An identifier needs no analysis and gets no "did you mean": matches, then hits
    # (which analyse its words for the snippets themselves).
    with django_assert_num_queries(2):
        found = search.archive_search(query="CAP_MKNOD", user=SUBSCRIBER)
    assert found.count == 2
    assert all("<mark>CAP_MKNOD</mark>" in hit.snippet for hit in found.hits)
    # A word is analysed first; one that may need a "did you mean" is probed with its
    # planner settings set and put back around that statement (four more).
    with django_assert_num_queries(3 + 4):
        assert search.archive_search(query="nodes", user=SUBSCRIBER).count == 1


def test_it_shows_the_start_of_the_text_for_an_identifier_of_stop_words_only() -> None:
    ArticleFactory.create(title="Flags", body_text="Opening words here. Then to_be is set.")
    (hit,) = search.archive_search(query="to_be", user=SUBSCRIBER).hits
    # Its words mark nothing, so the snippet starts where the text does, as for no query.
    assert hit.snippet.startswith("Opening words here.")
    assert "<mark>" not in hit.snippet


QUERY_CHARS = st.sampled_from([*"ab_.-*:%'\\\"()<>/&|!é ", "OR", "title:", "io_uring"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.lists(QUERY_CHARS, max_size=12).map("".join))
def test_it_turns_any_query_into_sql_that_runs(text: str) -> None:
    """Quotes, backslashes and tsquery operators in a query are data, never SQL or syntax."""
    ArticleFactory.create(title="a b", body_text="a_b io_uring a'b 'b' a\\b é")
    try:
        results = search.archive_search(query=text, user=ANONYMOUS)
    except search.SearchError:
        return  # a message for people; a database error would fail the test
    assert results.count >= 0


def test_it_ranks_and_filters_merge_items_by_their_release() -> None:
    item = MergeWindowItemFactory(text="The new faccessat2() system call adds a flags argument.")
    MergeWindowItemFactory(
        release__version="6.1", text="faccessat2() gained a sibling.", article=item.article
    )
    found = search.archive_search(query="faccessat2 release:>=6.0", user=SUBSCRIBER)
    assert [(h.type, h.release) for h in found.hits] == [("merge", "6.1")]
    found = search.archive_search(query="faccessat2", user=SUBSCRIBER)
    assert {v.value: v.count for v in found.facets.release} == {"5.8": 1, "6.1": 1}
    assert found.hits[0].snippet.count("<mark>faccessat2</mark>") == 1

"""The SQL a PostgreSQL search runs: analysis, matches with facets, and the page's hits.

Three statements per search at most:

1. :func:`analysis_sql`: the tsquery PostgreSQL makes of each prose text of the
   query, and for words that may need a "did you mean", whether a document the
   reader may read has them (not asked when the query has no prose text: an
   identifier matches as one lexeme, and the hits analyse its words for snippets);
2. :func:`matches_sql`: every match (``UNION ALL`` over the four tables) ranked
   once into a materialised CTE, from which come the page's keys, the total and
   the facet counts;
3. :func:`hits_sql`: what the page shows, ``ts_headline`` snippets included, for
   the page's rows only (a headline parses the text it is given, so never for more,
   and of a long text a window around its first match, see ``pg/snippets.py``).
"""

from __future__ import annotations

import datetime as dt

from articles.search.pg.branches import BRANCHES, ENGLISH, SIMPLE, Branch
from articles.search.pg.compile import CompiledQuery, Highlight
from articles.search.pg.predicates import FALSE, Sql, render
from articles.search.pg.suggest import readable_sql
from articles.search.results import Access

# ts_rank weights for D (body), C, B (headings), A (titles): a title match counts 2.5
# times a body one. Readers who may not see a locked article's text rank it by title.
FULL_WEIGHTS = "{0.4, 0.4, 0.6, 1.0}"
TITLE_WEIGHTS = "{0, 0, 0, 1.0}"
# 1: divide by 1 + log(length), so a short text that is about the word beats a long one
# that mentions it as often.
RANK_NORMALISATION = 1

# Snippets: ts_headline marks matches with private-use characters, which the Python side
# turns into <mark> after escaping the text. "<" and "/" are swapped for control
# characters (separators for the parser in every locale) and back: the columns read them
# as separators (lwnkb_prose), and the parser would take "<script>" for markup and drop
# it from the headline, and /sys/kernel/debug for one word.
START, STOP, LESS, SLASH = "\ue000", "\ue001", "\x01", "\x02"
SEPARATORS = {LESS: "<", SLASH: "/"}
# The default (single cover) algorithm: fragment mode drops a text's last tokens.
HEADLINE_OPTIONS = f'StartSel="{START}", StopSel="{STOP}", MaxWords=40, MinWords=20, ShortWord=2'
# A title is short: all of it, every match marked (for hits found by their title alone).
TITLE_OPTIONS = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'
HEAD_CHARS = 1000  # of the text, for snippets without a match and the leading "…"
TAIL_CHARS = 300
# The window a headline is first made from: from this many characters before the first
# place a marked word may be written, this long: a headline is at most 40 words (about
# 300 characters) and starts at its first match, or a little before.
WINDOW_BEFORE, WINDOW_CHARS = 150, 700


def _prose_text(expression: str) -> str:
    """The text as ts_headline should read it (see ``lwnkb_prose`` in migration 0004)."""
    ours = "".join((START, STOP, *SEPARATORS))
    return f"translate(translate({expression}, '{ours}', ''), '</', '{LESS}{SLASH}')"


def analysis_sql(texts: list[tuple[str, str]], check: list[bool], access: Access) -> Sql:
    """Rows (config, text, tsquery text, found): ``found`` only where ``check`` asks.

    ``found``: whether a row ``access`` may read has the word, so a word only locked
    text has counts as missing for a reader who may not read it (no hint it is there).
    """
    # One lexeme (checked words have numnode 1), and the same in titles only.
    exists = readable_sql(access, word="t.q", title="(t.q::text || ':A')::tsquery")
    return Sql(
        "SELECT t.cfg, t.txt, t.q::text,"  # noqa: S608
        f" CASE WHEN t.chk AND numnode(t.q) = 1 THEN ({exists.text}) END"
        " FROM (SELECT u.cfg, u.txt, u.chk,"
        f"  CASE WHEN u.cfg = '{ENGLISH}'"
        f"   THEN phraseto_tsquery('{ENGLISH}', translate(u.txt, '</', '  '))"
        f"   ELSE plainto_tsquery('{SIMPLE}', u.txt) END AS q"
        "  FROM unnest(%s::text[], %s::text[], %s::boolean[]) AS u(cfg, txt, chk)) AS t",
        (*exists.params, [c for c, _ in texts], [t for _, t in texts], check),
    )


def _rank(branch: Branch, plan: CompiledQuery, *, can_read: bool, today: dt.date) -> Sql:
    weights = f"'{FULL_WEIGHTS}'"
    params: tuple[object, ...] = ()
    if not can_read and branch.type == "article":
        weights = f"(CASE WHEN {branch.locked()} THEN '{TITLE_WEIGHTS}' ELSE '{FULL_WEIGHTS}' END)"
        params = (today,)
    parts: list[Sql] = []
    for column, query in ((branch.prose, plan.rank_prose), (branch.ident, plan.rank_ident)):
        if query:
            parts.append(
                Sql(
                    f"ts_rank_cd({weights}::float4[], {column}, %s::tsquery, {RANK_NORMALISATION})",
                    (*params, query),
                )
            )
    if not parts:
        return Sql("0")
    return Sql(" + ".join(p.text for p in parts), tuple(x for p in parts for x in p.params))


def _branch_matches(
    branch: Branch, plan: CompiledQuery, *, ranked: bool, can_read: bool, today: dt.date
) -> Sql | None:
    where = render(plan.where, branch)
    if where is FALSE:
        return None
    rank = _rank(branch, plan, can_read=can_read, today=today) if ranked else Sql("0")
    poster = "d.poster_name" if branch.type == "comment" else "NULL::text"
    release = "''" if branch.release_rows else branch.release  # articles': see _FACETS
    return Sql(
        f"SELECT '{branch.type}'::text AS type, d.id AS pk, ({rank.text})::float8 AS rank,"  # noqa: S608
        f" {branch.date} AS day, {release} AS release, {branch.section} AS section,"
        f" {poster} AS poster FROM {branch.tables} WHERE {where.text}",
        rank.params + where.params,
    )


ORDER = {
    "relevance": "rank DESC, day DESC NULLS LAST, type, pk DESC",
    "date": "day DESC NULLS LAST, type, pk DESC",
}

FACET_LIMIT = 12  # values shown per facet
# Each facet's most frequent values only, in the order search.py picks them by (count, then
# value by code point, which is COLLATE "C" on UTF-8): a common word's matches have
# thousands of posters, and the rows not shown need not travel or be counted again.


_YEAR = "extract(year FROM day)::int::text"


def _top(value: str) -> str:
    return f'ORDER BY count(*) DESC, {value} COLLATE "C" LIMIT {FACET_LIMIT}'


_FACETS = f"""
UNION ALL (SELECT 'type', type, count(*), NULL, NULL FROM m GROUP BY type {_top("type")})
UNION ALL (SELECT 'release', release, count(*), NULL, NULL FROM (
    SELECT release FROM m WHERE release <> ''
    -- Articles: the first release of their items, joined to the matches only.
    UNION ALL (SELECT DISTINCT ON (m.pk) r.version FROM m
        JOIN articles_mergewindowitem i ON i.article_id = m.pk
        JOIN articles_kernelrelease r ON r.id = i.release_id
        WHERE m.type = 'article' ORDER BY m.pk, r.major, r.minor)) AS releases
    GROUP BY release {_top("release")})
UNION ALL (SELECT 'section', section, count(*), NULL, NULL FROM m WHERE section <> ''
    GROUP BY section {_top("section")})
UNION ALL (SELECT 'year', {_YEAR}, count(*), NULL, NULL FROM m
    WHERE day IS NOT NULL GROUP BY 2 {_top(_YEAR)})
UNION ALL (SELECT 'author', name, count(*), NULL, NULL FROM (
    SELECT au.name FROM m
    JOIN articles_articleauthor aa ON aa.article_id = m.pk
    JOIN articles_author au ON au.id = aa.author_id
    WHERE m.type = 'article'
    UNION ALL SELECT poster FROM m WHERE poster <> '') AS names GROUP BY name {_top("name")})
"""  # noqa: S608


def matches_sql(
    plan: CompiledQuery,
    *,
    sort: str,
    offset: int,
    limit: int,
    facets: bool,
    can_read: bool,
    today: dt.date,
) -> Sql | None:
    """Rows (kind, value, n, rank, day): the page's ("hit", type, pk, rank, day) in
    order, ("count", NULL, total) and, with ``facets``, (facet, value, count). None
    when no table can match."""
    selects = [
        s
        for branch in BRANCHES
        if (
            s := _branch_matches(
                branch, plan, ranked=sort == "relevance", can_read=can_read, today=today
            )
        )
        is not None
    ]
    if not selects:
        return None
    union = "\nUNION ALL\n".join(s.text for s in selects)
    text = (
        f"WITH m AS MATERIALIZED ({union})\n"  # noqa: S608
        "SELECT * FROM (SELECT 'hit'::text AS kind, type AS value, pk AS n, rank, day FROM m"
        f" ORDER BY {ORDER[sort]} LIMIT %s OFFSET %s) AS top\n"
        "UNION ALL SELECT 'count', NULL, count(*), NULL, NULL FROM m" + (_FACETS if facets else "")
    )
    return Sql(text, (*(x for s in selects for x in s.params), limit, offset))


def exists_sql(plan: CompiledQuery, *, today: dt.date, can_read: bool) -> Sql | None:
    """One row if anything matches (for checking a "did you mean" before offering it)."""
    selects = [
        Sql(f"SELECT 1 FROM {b.tables} WHERE {w.text}", w.params)  # noqa: S608
        for b in BRANCHES
        if (w := render(plan.where, b)) is not FALSE
    ]
    if not selects:
        return None
    union = " UNION ALL ".join(f"({s.text} LIMIT 1)" for s in selects)
    return Sql(
        f"SELECT 1 FROM ({union}) AS found LIMIT 1",  # noqa: S608
        tuple(x for s in selects for x in s.params),
    )


# Cut a window's partial words: the first unless it starts the text, the last unless
# it ends it.
_CUT_FIRST, _CUT_LAST = r"'^\S*\s'", r"'\s\S*$'"


def _window(body: str) -> str:
    """The text around the first place one of the strings (a parameter) is written,
    whole words only; NULL when none is. Finding it does not parse the text."""
    start = f"greatest(1, p.at - {WINDOW_BEFORE})"
    first = f"CASE WHEN p.at > {WINDOW_BEFORE + 1} THEN {_CUT_FIRST} ELSE '^' END"
    last = f"CASE WHEN length(w.t) = {WINDOW_CHARS} THEN {_CUT_LAST} ELSE '$' END"
    return (
        f"(SELECT regexp_replace(regexp_replace(w.t, {first}, ''), {last}, '')"  # noqa: S608
        f" FROM (SELECT min(nullif(strpos({body}, c), 0)) AS at FROM unnest(%s::text[]) AS c)"
        f" AS p CROSS JOIN LATERAL (SELECT substr({body}, {start}, {WINDOW_CHARS}) AS t) AS w"
        " WHERE p.at IS NOT NULL)"
    )


def _headline(text: str) -> str:
    return f"ts_headline('{ENGLISH}', {_prose_text(text)}, hq.q, '{HEADLINE_OPTIONS}')"


def _branch_hits(
    branch: Branch, ids: list[int], highlight: Highlight, *, can_read: bool, today: dt.date
) -> Sql:
    hidden = Sql("FALSE") if can_read else Sql(branch.locked(), (today,))
    # The text once per row, decompressed (``|| ''``) in a subquery the planner keeps
    # (OFFSET 0): the window, the headline, the head and the tail each read it.
    tables = (
        f"{branch.hit_tables} CROSS JOIN LATERAL (SELECT CASE WHEN {hidden.text} THEN NULL"
        f" ELSE {branch.body} || '' END AS text OFFSET 0) AS b"
    )
    params: list[object] = [*hidden.params]
    headline = title_headline = "NULL::text"
    if highlight:
        # The query is made once (a subquery), and an empty one (an identifier of stop
        # words only) marks nothing: the snippet is the text's start, as without one.
        # The window's headline is kept when it marks something, else the whole text's.
        query = highlight.sql()
        none = "b.text IS NULL OR numnode(hq.q) = 0"
        tables += (
            f" CROSS JOIN (SELECT {query.text} AS q) AS hq CROSS JOIN LATERAL (SELECT CASE"
            f" WHEN {none} THEN NULL ELSE {_headline(_window('b.text'))} END AS h OFFSET 0) AS wh"
        )
        params += [*query.params, highlight.marks()]
        body_headline = (
            f"CASE WHEN {none} THEN NULL WHEN strpos(wh.h, '{START}') > 0 THEN wh.h"
            f" ELSE {_headline('b.text')} END"
        )
        # The title is marked only for a hit whose text marks nothing (found by its
        # title alone), so the usual hit pays for no second headline.
        tables += f" CROSS JOIN LATERAL (SELECT {body_headline} AS h OFFSET 0) AS th"
        headline = "th.h"
        title_headline = (
            f"CASE WHEN {none} OR strpos(th.h, '{START}') > 0 THEN NULL"
            f" ELSE ts_headline('{ENGLISH}', {_prose_text(branch.title)}, hq.q, '{TITLE_OPTIONS}')"
            " END"
        )
    return Sql(
        f"SELECT '{branch.type}'::text, d.id, {branch.title}, {branch.url}, {branch.lwn_id},"  # noqa: S608
        f" {branch.article_lwn_id}, {branch.date}, {branch.release}, {branch.section},"
        f" {branch.authors}, {branch.subscriber_only}, {branch.free_on}, {headline},"
        f" left(b.text, {HEAD_CHARS}), right(b.text, {TAIL_CHARS}), {title_headline}"
        f" FROM {tables}"
        " WHERE d.id = ANY(%s)",
        (*params, ids),
    )


def hits_sql(
    keys: list[tuple[str, int]], highlight: Highlight, *, can_read: bool, today: dt.date
) -> Sql:
    """Rows for the page's (type, pk) keys: type, pk, title, url, lwn_id, article_lwn_id,
    date, release, section, authors, subscriber_only, free_on, headline, head, tail and
    the title's headline (the last four NULL for what this reader may not see)."""
    selects = []
    for branch in BRANCHES:
        ids = [pk for doc_type, pk in keys if doc_type == branch.type]
        if ids:
            selects.append(_branch_hits(branch, ids, highlight, can_read=can_read, today=today))
    return Sql(
        "\nUNION ALL\n".join(s.text for s in selects), tuple(x for s in selects for x in s.params)
    )

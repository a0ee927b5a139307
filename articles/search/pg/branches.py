"""Where each document type lives in the tables: one SQL "branch" per type.

A search runs the same predicate over four tables (articles, merge-window
items, hardware devices, comments), each with its own columns for the same
ideas: title, date, section, release, authors, paywall. A :class:`Branch`
names those expressions, so the compiler renders a query once per table and
the results are joined with ``UNION ALL``. The text itself is in the generated
columns ``search_prose`` and ``search_ident`` (``ddl``).
"""

from __future__ import annotations

from dataclasses import dataclass

# The text search configurations of migration 0004: English words (stemmed, accents
# folded) and names (lowercased, accents folded).
ENGLISH, SIMPLE = "lwnkb_english", "lwnkb_simple"
LWN_URL = "'https://lwn.net/Articles/' || {id} || '/'"
_RELEASE_KEY = "(r.major * 1000000 + r.minor * 1000 + r.patch)"


def _url(own: str, lwn_id: str) -> str:
    return f"coalesce(nullif({own}, ''), {LWN_URL.format(id=lwn_id)}, '')"


# An article's release is the first of its merge-window items' releases (as whoosh
# has it). Only summaries have items, so matching never joins this per article: release
# filters ask which articles it lists, once per search; facets join it to the matches.
FIRST_RELEASES = (
    "SELECT DISTINCT ON (i.article_id) i.article_id, r.version, "  # noqa: S608
    + _RELEASE_KEY
    + " AS key FROM articles_mergewindowitem i"
    " JOIN articles_kernelrelease r ON r.id = i.release_id"
    " ORDER BY i.article_id, r.major, r.minor"
)


@dataclass(frozen=True, slots=True)
class Branch:
    """SQL expressions for one document type; ``d`` is the row, ``a`` its article."""

    type: str
    tables: str  # FROM … JOIN …, for matching
    hit_tables: str  # the same, plus what showing a hit needs (a page of rows at most)
    prose: str
    ident: str
    title: str
    body: str  # the text snippets are cut from
    date: str
    section: str
    release: str  # '' when none (in hit_tables)
    release_key: str  # NULL when none
    subscriber_only: str
    free_on: str
    lwn_id: str
    article_lwn_id: str
    url: str
    # Author names: a text[] for display and facets, and one text for author: words.
    authors: str
    author_text: str | None  # None: this type has no authors
    mention_column: str  # the Mention column that points at this type
    # The rows an exact author filter keeps, with the name as the one parameter.
    author_is: str | None
    has_section: bool = True
    # For articles: the release columns exist only in hit_tables; matching asks
    # "d.id IN (… FIRST_RELEASES … WHERE {condition on fr.version or fr.key})" instead.
    release_rows: str | None = None

    def locked(self) -> str:
        """Still behind the paywall on the day given as the one parameter: the row rule of
        ``articles.models.articles.paywalled_on``, for a row of a hit (not a scan of the
        paywall's index, which ``ArticleQuerySet.paywalled_pks_on`` reads)."""
        return f"({self.subscriber_only} AND ({self.free_on} IS NULL OR {self.free_on} > %s))"


_ARTICLE_TABLES = "articles_article d LEFT JOIN articles_edition e ON e.id = d.edition_id"

ARTICLE = Branch(
    type="article",
    tables=_ARTICLE_TABLES,
    hit_tables=(
        _ARTICLE_TABLES + " LEFT JOIN LATERAL (SELECT r.version FROM articles_mergewindowitem i"  # noqa: S608
        " JOIN articles_kernelrelease r ON r.id = i.release_id WHERE i.article_id = d.id"
        " ORDER BY r.major, r.minor LIMIT 1) rel ON TRUE"
    ),
    prose="d.search_prose",
    ident="d.search_ident",
    title="d.title",
    body="d.body_text",
    # Edition intros carry no date of their own; the edition's is the right one.
    date="coalesce(d.date, e.date)",
    section="d.section",
    release="coalesce(rel.version, '')",
    release_key="NULL::integer",
    subscriber_only="d.subscriber_only",
    free_on="d.free_on",
    lwn_id="d.lwn_id",
    article_lwn_id="d.lwn_id",
    url=_url("d.url", "d.lwn_id"),
    # Each name by its key: joined, the planner hashes the whole author table per hit.
    authors=(
        "ARRAY(SELECT (SELECT au.name FROM articles_author au WHERE au.id = aa.author_id)"
        " FROM articles_articleauthor aa WHERE aa.article_id = d.id ORDER BY aa.position)"
    ),
    author_text=(
        "coalesce((SELECT string_agg(au.name, ', ') FROM articles_articleauthor aa"
        " JOIN articles_author au ON au.id = aa.author_id WHERE aa.article_id = d.id), '')"
    ),
    mention_column="article_id",
    author_is=(
        "d.id IN (SELECT aa.article_id FROM articles_articleauthor aa"
        " JOIN articles_author au ON au.id = aa.author_id WHERE au.name = %s)"
    ),
    release_rows=(
        f"d.id IN (SELECT fr.article_id FROM ({FIRST_RELEASES}) fr"  # noqa: S608
        " WHERE {condition})"
    ),
)

_PARENT = (
    " JOIN articles_article a ON a.id = d.article_id"
    " LEFT JOIN articles_edition e ON e.id = a.edition_id"
)
_NO_AUTHORS = "ARRAY[]::text[]"


def _release_child(
    *, type: str, table: str, title: str, body: str, section: str, mention_column: str
) -> Branch:
    """A row that belongs to an article and a kernel release: merge items and devices.

    Dates, paywall, ids and links are the parent article's; the release gives the facet.
    """
    tables = f"{table} d" + _PARENT + " JOIN articles_kernelrelease r ON r.id = d.release_id"
    return Branch(
        type=type,
        tables=tables,
        hit_tables=tables,
        prose="d.search_prose",
        ident="d.search_ident",
        title=title,
        body=body,
        date="coalesce(a.date, e.date)",
        section=section,
        release="r.version",
        release_key=_RELEASE_KEY,
        subscriber_only="a.subscriber_only",
        free_on="a.free_on",
        lwn_id="a.lwn_id",
        article_lwn_id="a.lwn_id",
        url=_url("a.url", "a.lwn_id"),
        authors=_NO_AUTHORS,
        author_text=None,
        mention_column=mention_column,
        author_is=None,
    )


MERGE = _release_child(
    type="merge",
    table="articles_mergewindowitem",
    title="r.version || ' merge window: ' || d.\"group\"",
    body="d.text",
    section='d."group"',
    mention_column="merge_item_id",
)

HARDWARE = _release_child(
    type="hardware",
    table="articles_hardwaredevice",
    title="d.name",
    body="d.category || ': ' || d.name || ' (supported in ' || r.version || ')'",
    section="d.category",
    mention_column="hardware_id",
)

COMMENT = Branch(
    type="comment",
    # LEFT, though every comment has its article: PostgreSQL then drops the join when
    # nothing reads ``a`` (a subscriber's search, no paywall test), instead of reading
    # every article to join each matching comment to its own.
    tables="articles_comment d LEFT JOIN articles_article a ON a.id = d.article_id",
    hit_tables="articles_comment d JOIN articles_article a ON a.id = d.article_id",
    prose="d.search_prose",
    ident="d.search_ident",
    title="coalesce(nullif(d.title, ''), 'Comment on ' || a.title)",
    body="d.body_text",
    # posted_at is stored in UTC; whoosh indexed posted_at.date() of the UTC value.
    date="(d.posted_at AT TIME ZONE 'UTC')::date",
    section="''",
    release="''",
    release_key="NULL::integer",
    subscriber_only="a.subscriber_only",
    free_on="a.free_on",
    lwn_id="d.lwn_id",
    article_lwn_id="a.lwn_id",
    url=_url("''", "d.lwn_id"),
    authors="CASE WHEN d.poster_name = '' THEN ARRAY[]::text[] ELSE ARRAY[d.poster_name] END",
    author_text="d.poster_name",
    mention_column="comment_id",
    author_is="d.poster_name = %s",
    has_section=False,
)

BRANCHES: tuple[Branch, ...] = (ARTICLE, MERGE, HARDWARE, COMMENT)
# The tables with the generated columns, for questions about all their rows.
TABLES = (
    "articles_article",
    "articles_mergewindowitem",
    "articles_hardwaredevice",
    "articles_comment",
)

"""The index's fields, and the version that says when a rebuild is needed.

Bump ``SCHEMA_VERSION`` whenever a field, an analyzer or the mapping in
``rows.py`` or ``fields.py`` changes what gets indexed: ``lwn_reindex --if-needed``
compares it with the version file of the current index.
"""

from __future__ import annotations

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from articles.search.analysis import IDENTIFIER, NAME, PAIRS, PROSE

SCHEMA_VERSION = 4

FACET_FIELDS = ("type", "release", "section", "author", "year")
# Multi-valued facets are kept joined in one column value.
FACET_SEPARATOR = "\x1f"
TITLE_BOOST = 3.0
# The body's neighbouring words where one is common (analysis.PairsFilter), for phrases.
PAIRS_FIELD = "pairs"


def build_schema() -> Schema:
    return Schema(
        # "article:12", "comment:7"…: the model and primary key, unique in the index.
        key=ID(stored=True, unique=True),
        type=ID(stored=True, sortable=True),
        pk=STORED(),
        lwn_id=STORED(),
        article_lwn_id=STORED(),
        url=STORED(),
        # Delete handles: an import replaces everything under its articles and edition.
        article_id=ID(),
        edition_id=ID(),
        title=TEXT(analyzer=PROSE, stored=True, field_boost=TITLE_BOOST),
        title_ident=TEXT(analyzer=IDENTIFIER, phrase=False, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=PROSE, stored=True),  # stored for snippets
        # Searched only by phrases of the body (internals/phrases.py), never scored.
        pairs=TEXT(analyzer=PAIRS),
        # Unstemmed body words for "did you mean", each written once per writer session
        # (see fields.Vocabulary): whoosh's own spelling=True posts every word of
        # every document again, which makes rebuilds much slower.
        vocab=KEYWORD(lowercase=True),
        ident=TEXT(analyzer=IDENTIFIER, phrase=False),
        authors=TEXT(analyzer=NAME),  # author: qualifier, word by word
        author=KEYWORD(commas=True),  # exact author filter (facet links)
        author_names=STORED(),
        author_facet=COLUMN(VarBytesColumn()),
        section=ID(stored=True, sortable=True),
        section_text=TEXT(analyzer=NAME),
        release=ID(stored=True, sortable=True),
        # major * 1_000_000 + minor * 1_000 + patch: release:>=6.1 compares numerically.
        # 32 bits in steps of 8: four terms per value (the default, 64/4, writes 16).
        # Columns too (default 0 reads back as -2**31, "no value"), for range checks.
        release_key=NUMERIC(int, bits=32, shift_step=8, sortable=True, default=0),
        date=STORED(),  # ISO date, for display
        day=NUMERIC(int, bits=32, shift_step=8, sortable=True, default=0),  # toordinal()
        year=ID(sortable=True),
        entities=KEYWORD(lowercase=True, commas=True),
        # Set only on subscriber-only texts: the day they become free to everyone.
        locked_until=NUMERIC(int, bits=32, shift_step=8),  # date.toordinal()
        subscriber_only=STORED(),
        free_on=STORED(),
    )

"""PostgreSQL full-text search (``LWNKB_SEARCH_BACKEND=postgres``): its functions only.

Creates the text-search configurations and the two functions the full-text columns
are computed with:

- ``lwnkb_prose``: English words, stemmed, accents folded (``lwnkb_english``);
- ``lwnkb_idents``: kernel identifiers kept whole and lowercased (``io_uring``,
  ``cap_perfmon``, ``memory.swap.high``, ``/proc/pid/maps``). PostgreSQL's parser
  splits ``io_uring`` and ``CONFIG_*`` at the underscores, so ``lwnkb_idents`` finds
  them with the same pattern as ``articles.search.analysis``.

The columns themselves are opt-in (``articles.search.pg.ddl``): computing them on
every import costs a whoosh deployment on PostgreSQL for nothing, so ``migrate`` adds
them only when the postgres backend is configured. Only on PostgreSQL: SQLite (the
embedded default) searches with whoosh and migrates without any of this.
"""

from django.db import migrations

# articles.search.analysis.IDENTIFIER_PATTERN, in PostgreSQL's regular-expression syntax
# (the same text: PostgreSQL supports these lookaround constraints). A test compares both.
IDENTIFIER_PATTERN = (
    r"/(?:proc|sys|dev)(?:/[\w.-]+)+"
    r"|(?<![\w.])(?=_|[A-Za-z][A-Za-z0-9_]*(?:[_0-9]|\.[A-Za-z0-9_]|\(\)))"
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?:\(\))?"
)

FUNCTIONS = rf"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION lwnkb_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION lwnkb_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION lwnkb_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION lwnkb_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- The words of one text, split as whoosh's prose analyzer splits them. PostgreSQL's
-- parser takes "<script>" or "<b>" for markup and skips what follows, and keeps
-- /sys/kernel/debug as one token; these texts are plain, so "<" and "/" separate words
-- (the identifier column keeps paths whole).
CREATE FUNCTION lwnkb_prose(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT to_tsvector('lwnkb_english'::regconfig, translate(doc, '</', '  '))
$f$;

-- Identifiers of one text, with positions (so ranking counts repeats).
CREATE FUNCTION lwnkb_idents(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT coalesce(
        string_agg('''' || replace(t.tok, '''', '''''') || ''':' || least(t.n, 16383), ' ')
            ::tsvector,
        ''::tsvector)
    FROM (
        SELECT rtrim(regexp_replace(lower(r.m[1]), '\(\)$', ''), '.') AS tok, r.n
        FROM regexp_matches(doc, '{IDENTIFIER_PATTERN}', 'g') WITH ORDINALITY AS r(m, n)
    ) AS t
    WHERE t.tok <> ''
$f$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS lwnkb_idents(text);
DROP FUNCTION IF EXISTS lwnkb_prose(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS lwnkb_simple;
DROP TEXT SEARCH CONFIGURATION IF EXISTS lwnkb_english;
"""

# Going back past 0004: the columns (if an operator added them) use the functions.
DROP_COLUMNS = "\n".join(
    f"ALTER TABLE IF EXISTS {table} DROP COLUMN IF EXISTS search_prose,"
    " DROP COLUMN IF EXISTS search_ident;"
    for table in (
        "articles_article",
        "articles_comment",
        "articles_mergewindowitem",
        "articles_hardwaredevice",
    )
)


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite keeps whoosh)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_entity_aliases_curation"),
    ]

    operations = [
        PostgresOnlySQL(FUNCTIONS, DROP_COLUMNS + DROP_FUNCTIONS),
    ]

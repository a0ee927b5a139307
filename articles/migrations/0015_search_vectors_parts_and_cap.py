"""PostgreSQL search vectors: the parts of dotted names, and a cap on what one text gives.

- PostgreSQL's parser reads "vm.swappiness" as one host-name token, so a search for
  the word "swappiness" missed the knob's articles. ``lwnkb_prose`` now adds the parts
  of every dotted name that starts with a letter ("vm swappiness", "file c"), as
  whoosh's prose analyzer does (``articles.search.analysis.IdentifierPartsFilter``);
  versions such as "5.8" stay whole in both.
- A tsvector holds at most 1 MB, and a text whose words passed that failed the row's
  INSERT, so the import of the whole page failed. Both functions now read the first
  ``CAP`` characters of a text: the worst case (every word new and three letters long)
  stays under half the limit per vector. Whoosh still indexes the whole text.

The full-text columns are stored generated columns: replacing a function does not
recompute them, so where they exist they are dropped and added again (a rewrite of
each table, minutes on a full archive; a whoosh deployment has none and pays nothing).
"""

from django.db import migrations

# Must match migration 0004's pattern (and articles.search.analysis.IDENTIFIER_PATTERN).
IDENTIFIER_PATTERN = (
    r"/(?:proc|sys|dev)(?:/[\w.-]+)+"
    r"|(?<![\w.])(?=_|[A-Za-z][A-Za-z0-9_]*(?:[_0-9]|\.[A-Za-z0-9_]|\(\)))"
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?:\(\))?"
)
DOTTED_NAME = r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)"
CAP = 150_000

IDENTS = rf"""
CREATE OR REPLACE FUNCTION lwnkb_idents(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT coalesce(
        string_agg('''' || replace(t.tok, '''', '''''') || ''':' || least(t.n, 16383), ' ')
            ::tsvector,
        ''::tsvector)
    FROM (
        SELECT rtrim(regexp_replace(lower(r.m[1]), '\(\)$', ''), '.') AS tok, r.n
        FROM regexp_matches({{doc}}, '{IDENTIFIER_PATTERN}', 'g') WITH ORDINALITY AS r(m, n)
    ) AS t
    WHERE t.tok <> ''
$f$;
"""

FORWARD = (
    rf"""
CREATE OR REPLACE FUNCTION lwnkb_prose(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT to_tsvector('lwnkb_english'::regconfig, translate(left(doc, {CAP}), '</', '  '))
        || to_tsvector('lwnkb_english'::regconfig, coalesce(
            (SELECT string_agg(translate(m[1], '.', ' '), ' ')
             FROM regexp_matches(left(doc, {CAP}), '{DOTTED_NAME}', 'g') AS m),
            ''))
$f$;
"""
    + IDENTS.replace("{doc}", f"left(doc, {CAP})")
)

# Migration 0004's functions.
BACKWARD = (
    """
CREATE OR REPLACE FUNCTION lwnkb_prose(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT to_tsvector('lwnkb_english'::regconfig, translate(doc, '</', '  '))
$f$;
"""
    + IDENTS.replace("{doc}", "doc")
)


def _recompute_search_columns(connection):  # type: ignore[no-untyped-def]
    """Drop and re-add every existing full-text column with its own expression and index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE a.attname IN ('search_prose', 'search_ident') AND NOT a.attisdropped"
            " AND c.relnamespace = current_schema()::regnamespace"
        )
        for table, column, expression in cursor.fetchall():
            cursor.execute(
                f"ALTER TABLE {table} DROP COLUMN {column},"
                f" ADD COLUMN {column} tsvector GENERATED ALWAYS AS ({expression}) STORED"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table} USING gin ({column})"
            )


def _replace(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)
        _recompute_search_columns(schema_editor.connection)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_curation_events"),
    ]

    operations = [
        migrations.RunPython(_replace(FORWARD), _replace(BACKWARD)),
    ]

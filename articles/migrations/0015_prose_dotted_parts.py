"""PostgreSQL prose vectors also hold the parts of dotted names.

PostgreSQL's parser reads "vm.swappiness" as one host-name token, so a search for
the word "swappiness" missed the knob's articles. ``lwnkb_prose`` now adds the parts
of every dotted name that starts with a letter ("vm swappiness", "file c"), as
whoosh's prose analyzer does (``articles.search.analysis.DottedPartsFilter``);
versions such as "5.8" stay whole in both.

The full-text columns are stored generated columns: replacing the function does not
recompute them, so where they exist they are dropped and added again (a rewrite of
each table, minutes on a full archive; a whoosh deployment has none and pays nothing).
"""

from django.db import migrations

DOTTED_NAME = r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+)"

PROSE_WITH_PARTS = rf"""
CREATE OR REPLACE FUNCTION lwnkb_prose(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT to_tsvector('lwnkb_english'::regconfig, translate(doc, '</', '  '))
        || to_tsvector('lwnkb_english'::regconfig, coalesce(
            (SELECT string_agg(translate(m[1], '.', ' '), ' ')
             FROM regexp_matches(doc, '{DOTTED_NAME}', 'g') AS m),
            ''))
$f$;
"""

PROSE_WHOLE = """
CREATE OR REPLACE FUNCTION lwnkb_prose(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
    SELECT to_tsvector('lwnkb_english'::regconfig, translate(doc, '</', '  '))
$f$;
"""


def _recompute_prose_columns(connection):  # type: ignore[no-untyped-def]
    """Drop and re-add every existing ``search_prose`` column with its own expression."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE a.attname = 'search_prose' AND NOT a.attisdropped"
            " AND c.relnamespace = current_schema()::regnamespace"
        )
        for table, expression in cursor.fetchall():
            cursor.execute(
                f"ALTER TABLE {table} DROP COLUMN search_prose,"
                f" ADD COLUMN search_prose tsvector GENERATED ALWAYS AS ({expression}) STORED"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_prose ON {table} USING gin (search_prose)"
            )


def _replace(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)
        _recompute_prose_columns(schema_editor.connection)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_importrun_started_by"),
    ]

    operations = [
        migrations.RunPython(_replace(PROSE_WITH_PARTS), _replace(PROSE_WHOLE)),
    ]

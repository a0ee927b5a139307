"""Pair each changed mention with the other mentions of its text through that text's index.

0018's pair joins (``transition rows JOIN articles_mention ON m.comment_id =
n.comment_id …``) left the plan to PostgreSQL, which has no statistics for a
statement's transition rows; on the full archive it chose a hash join that read
every visible mention (391,596 rows, 150 ms) for each link batch of comments, so
linking slowed as the archive grew. Each changed row now looks up the mentions
of its own text (a ``LATERAL`` subquery behind ``OFFSET 0``, which PostgreSQL
runs per row through the target column's index, whatever it believes about the
rows), and the status test is applied to the few rows found, never through the
status index. Same pairs, same counts: only the function bodies change.
"""

import importlib

from django.db import migrations

tallies = importlib.import_module("articles.migrations.0018_entity_tallies")


def _joined(left: str, extra: str) -> str:
    """The visible mentions sharing a text with each row of ``left``, per target column."""
    return " UNION ALL ".join(
        f"SELECT {left}.entity_id AS a, m.entity_id AS b, m.id AS mid FROM {left}"
        f" CROSS JOIN LATERAL (SELECT x.id, x.entity_id, x.status FROM articles_mention x"
        f" WHERE x.{column} = {left}.{column} OFFSET 0) m"
        f" WHERE {left}.{column} IS NOT NULL AND m.id <> {left}.id"
        f" AND m.status IN {tallies.VISIBLE}{extra}"
        for column in tallies.TARGETS
    )


def tallies_joined(left: str, extra: str) -> str:
    """0018's join of ``left`` to the mention table, as its ``_pairs_sql`` writes it."""
    return " UNION ALL ".join(
        f"SELECT {left}.entity_id AS a, m.entity_id AS b, m.id AS mid FROM {left}"
        f" JOIN articles_mention m ON m.{column} = {left}.{column}"
        f" WHERE m.id <> {left}.id AND m.status IN {tallies.VISIBLE}{extra}"
        for column in tallies.TARGETS
    )


def _pairs_sql(new: str, old: str) -> str:
    """0018's pairs, with the joins to the mention table made per row (``_joined``)."""
    sql = tallies._pairs_sql(new, old)
    before = (
        f"after AS ({tallies_joined('n', '')}),\n"
        f"    kept AS ({tallies_joined('o', ' AND m.id NOT IN (SELECT id FROM changed)')}),"
    )
    after = (
        f"after AS ({_joined('n', '')}),\n"
        f"    kept AS ({_joined('o', ' AND m.id NOT IN (SELECT id FROM changed)')}),"
    )
    if before not in sql:
        raise RuntimeError("0018's pair statement is not the one this migration rewrites")
    return sql.replace(before, after)


def _functions(pairs, tally_sql=tallies._tally_sql) -> str:  # type: ignore[no-untyped-def]
    """The three mention triggers' functions with ``pairs`` (and ``tally_sql``, 0018's
    unless a later migration gives its own, as 0024 does)."""
    counted = f"{tallies._COUNTED}, day"
    return "\n".join(
        [
            tallies._function(
                "articles_mention_tally_insert",
                tally_sql(tallies.NEW_ROWS, tallies.NOTHING)
                + pairs(tallies.NEW_ROWS, tallies.NOTHING),
            ),
            tallies._function(
                "articles_mention_tally_delete",
                tally_sql(tallies.NOTHING, tallies.OLD_ROWS)
                + pairs(tallies.NOTHING, tallies.OLD_ROWS),
            ),
            tallies._function(
                "articles_mention_tally_update",
                tally_sql(
                    tallies._updated("new_rows", "old_rows", counted),
                    tallies._updated("old_rows", "new_rows", counted),
                )
                + pairs(
                    tallies._updated("new_rows", "old_rows", tallies._COUNTED),
                    tallies._updated("old_rows", "new_rows", tallies._COUNTED),
                ),
            ),
        ]
    )


def _run(pairs):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(_functions(pairs))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_entity_trends"),
    ]

    operations = [
        migrations.RunPython(_run(_pairs_sql), _run(tallies._pairs_sql)),
    ]

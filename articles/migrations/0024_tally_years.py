"""Each entity's mentions per year, kept beside its daily tallies (source ``year``).

An entity page's year chart summed every tally row of the entity: a row per day for
articles and merge-window items, so at full size 8,771 rows for the busiest entity,
one heap page each (2,935 pages, 7.6 ms warm, many more read from disk when cold),
a cost that grows with every edition. The tally statement of 0018 now adds a third
grouping set, the entity and the year (a row of source ``year``, dated January 1st;
undated texts under 0001-01-01 as before), so the chart reads one row per year. Every
write path keeps them as it keeps the daily rows and totals: the same statement.
Only ``_tally_sql`` changes; the functions and their pairs are 0021's.
"""

import importlib

from django.db import migrations, models

tallies = importlib.import_module("articles.migrations.0018_entity_tallies")
pairs_by_text = importlib.import_module("articles.migrations.0021_tally_pairs_by_text")

_DAY = tallies.TALLY_DAY.format(r="r")
# What changes in 0018's tally statement, each fragment found exactly once.
REWRITES = (
    (
        "SELECT entity_id, coalesce(source, 'all') AS source,\n"
        "            coalesce(day, DATE '0001-01-01') AS day,",
        "SELECT entity_id,\n"
        "            CASE WHEN GROUPING(year) = 0 THEN 'year' ELSE coalesce(source, 'all') END"
        " AS source,\n"
        "            coalesce(day, year, DATE '0001-01-01') AS day,",
    ),
    (f"{_DAY} AS day, d", f"{_DAY} AS day, date_trunc('year', {_DAY})::date AS year, d"),
    (
        "GROUP BY GROUPING SETS ((entity_id, source, day), (entity_id))",
        "GROUP BY GROUPING SETS ((entity_id, source, day), (entity_id), (entity_id, year))",
    ),
)


def _year_tally_sql(new: str, old: str) -> str:
    """0018's tally statement with the entity's years as a third grouping set."""
    sql = tallies._tally_sql(new, old)
    for before, after in REWRITES:
        if sql.count(before) != 1:
            raise RuntimeError("0018's tally statement is not the one this migration rewrites")
        sql = sql.replace(before, after)
    return sql


# The years of the tallies already there (the lock trigger of 0020 takes the tallies'
# lock first; the trend triggers ignore the rows, which are not daily).
FILL = """
INSERT INTO articles_entitytally (entity_id, source, day, n)
    SELECT entity_id, 'year', date_trunc('year', day)::date, sum(n)
    FROM articles_entitytally WHERE source <> 'all'
    GROUP BY 1, 3 HAVING sum(n) > 0;
"""
EMPTY = "DELETE FROM articles_entitytally WHERE source = 'year';"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_hardware_category_release"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entitytally",
            name="source",
            field=models.CharField(
                help_text=(
                    "article, merge_item, hardware, comment; all: the total; year: all in a year"
                ),
                max_length=10,
            ),
        ),
        migrations.RunPython(
            tallies._run(pairs_by_text._functions(pairs_by_text._pairs_sql, _year_tally_sql), FILL),
            tallies._run(pairs_by_text._functions(pairs_by_text._pairs_sql), EMPTY),
        ),
    ]

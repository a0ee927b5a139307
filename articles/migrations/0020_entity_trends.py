"""The home page's trends summed per entity for one window of two years (``EntityTrend``).

The trends counted two years of daily tallies per request, a number of rows that grows
with the archive. The triggers below keep each entity's sums for the window in
``articles_trendwindow`` in step with every write to ``articles_entitytally`` (which the
mention triggers of 0018 make): the rows of the window that a statement changed, summed
per entity. A new window (a newer edition) is summed again by
``articles.services.trends``; nothing is filled here, as no window is kept yet.

Lock order (0019): every statement that writes the tallies, the sums or the window takes
the tallies' advisory lock before any row, so a writer waits for it holding nothing.
Within the mention triggers the lock is already held and taking it again is free.
"""

import django.db.models.deletion
import django.db.models.expressions
from django.db import migrations, models

LOCK = "PERFORM pg_advisory_xact_lock(hashtext('articles_entitytally'));"
DAILY = "('article', 'merge_item')"
ROWS = "entity_id, source, day, n"
NOTHING = f"(SELECT {ROWS} FROM articles_entitytally WHERE false)"


def _function(name: str, new: str, old: str) -> str:
    """A statement trigger adding the tally rows in ``new`` and taking away those in
    ``old`` that fall in the window: the year before ``until - 365`` (prior), the year
    up to ``until`` (recent). A decrement never inserts, as in 0018: a cascade may have
    removed the entity's sums first."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    w_until date;
BEGIN
    {LOCK}
    SELECT w.until INTO w_until FROM articles_trendwindow w LIMIT 1;
    IF w_until IS NULL THEN
        RETURN NULL;
    END IF;
    WITH changes AS (
        SELECT {ROWS} FROM {new} AS nr
        UNION ALL SELECT entity_id, source, day, -n FROM {old} AS orr
    ),
    delta AS (
        SELECT entity_id,
            coalesce(sum(n) FILTER (WHERE day > w_until - 365), 0)::int AS recent,
            coalesce(sum(n) FILTER (WHERE day <= w_until - 365), 0)::int AS prior
        FROM changes
        WHERE source IN {DAILY} AND day > w_until - 730 AND day <= w_until
        GROUP BY entity_id
    ),
    grown AS (
        INSERT INTO articles_entitytrend (entity_id, recent, prior)
        SELECT entity_id, recent, prior FROM delta WHERE recent > 0 OR prior > 0
        ON CONFLICT (entity_id) DO UPDATE SET
            recent = articles_entitytrend.recent + EXCLUDED.recent,
            prior = articles_entitytrend.prior + EXCLUDED.prior
    )
    UPDATE articles_entitytrend t SET recent = t.recent + x.recent, prior = t.prior + x.prior
    FROM delta x
    WHERE x.recent <= 0 AND x.prior <= 0 AND (x.recent, x.prior) <> (0, 0)
        AND t.entity_id = x.entity_id;
    RETURN NULL;
END $$;"""


INSTALL = "\n".join(
    [
        _function("articles_entitytrend_insert", f"(SELECT {ROWS} FROM new_rows)", NOTHING),
        _function("articles_entitytrend_delete", NOTHING, f"(SELECT {ROWS} FROM old_rows)"),
        _function(
            "articles_entitytrend_update",
            f"(SELECT {ROWS} FROM new_rows)",
            f"(SELECT {ROWS} FROM old_rows)",
        ),
        """
CREATE TRIGGER articles_entitytrend_insert AFTER INSERT ON articles_entitytally
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_entitytrend_insert();
CREATE TRIGGER articles_entitytrend_delete AFTER DELETE ON articles_entitytally
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_entitytrend_delete();
CREATE TRIGGER articles_entitytrend_update AFTER UPDATE ON articles_entitytally
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_entitytrend_update();
""",
    ]
    # The lock first, for the writes that do not come through a mention (a deleted
    # entity's tallies and sums, the summing of a new window).
    + [
        f"""
CREATE TRIGGER {table}_lock BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION articles_mention_tally_lock();"""
        for table in ("articles_entitytally", "articles_entitytrend", "articles_trendwindow")
    ]
)

UNINSTALL = """
DROP TRIGGER IF EXISTS articles_entitytrend_insert ON articles_entitytally;
DROP TRIGGER IF EXISTS articles_entitytrend_delete ON articles_entitytally;
DROP TRIGGER IF EXISTS articles_entitytrend_update ON articles_entitytally;
DROP TRIGGER IF EXISTS articles_entitytally_lock ON articles_entitytally;
DROP TRIGGER IF EXISTS articles_entitytrend_lock ON articles_entitytrend;
DROP TRIGGER IF EXISTS articles_trendwindow_lock ON articles_trendwindow;
DROP FUNCTION IF EXISTS articles_entitytrend_insert();
DROP FUNCTION IF EXISTS articles_entitytrend_delete();
DROP FUNCTION IF EXISTS articles_entitytrend_update();
"""


def _run(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_tally_lock_first"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrendWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("until", models.DateField()),
            ],
        ),
        migrations.CreateModel(
            name="EntityTrend",
            fields=[
                (
                    "entity",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.entity",
                    ),
                ),
                ("recent", models.IntegerField(default=0)),
                ("prior", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(
                        models.OrderBy(
                            django.db.models.expressions.CombinedExpression(
                                models.F("recent"), "-", models.F("prior")
                            ),
                            descending=True,
                        ),
                        models.OrderBy(models.F("recent"), descending=True),
                        condition=models.Q(("recent__gt", models.F("prior"))),
                        name="trend_rise",
                    )
                ],
            },
        ),
        migrations.RunPython(_run(INSTALL), _run(UNINSTALL)),
    ]

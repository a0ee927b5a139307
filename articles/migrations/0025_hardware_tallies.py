"""Devices per article, release and category, kept beside the devices (``HardwareTally``).

The hardware list filtered by a category counted the category's devices per release for
its paginator on every request: at full size 1,650 devices for the commonest category
(a hash aggregate of 1.6 ms, the page's largest query), a cost that grows with every
merge window. It now sums a few rows per release from this table.

On PostgreSQL the statement triggers below keep the table, whatever writes the devices
(an import or re-parse, the admin, the cascade of a deleted article or release); this
migration fills it from the devices already there. A row whose count falls to zero is
deleted, so the table always equals a fresh count of the devices. SQLite gets the
table but no triggers: there the selector counts the devices.

No lock, unlike the entity tallies: a row's key holds its article, and a second writer
of an article's devices waits on the devices themselves (their unique (article,
position) index, their row locks) before its statement ends and its trigger runs.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

# Its ``_run``: statements run on PostgreSQL only.
tallies = importlib.import_module("articles.migrations.0018_entity_tallies")

TABLE = "articles_hardwaretally"
KEY = "article_id, release_id, category"
NOTHING = f"(SELECT {KEY} FROM articles_hardwaredevice WHERE false)"


def _tally_sql(new: str, old: str) -> str:
    """Add the devices of ``new`` to their rows and take those of ``old`` from theirs."""
    return f"""
    WITH delta AS (
        SELECT {KEY}, sum(d)::int AS d FROM (
            SELECT {KEY}, 1 AS d FROM {new} AS nr
            UNION ALL SELECT {KEY}, -1 AS d FROM {old} AS orr
        ) c
        GROUP BY {KEY} HAVING sum(d) <> 0
    ), grown AS (
        INSERT INTO {TABLE} ({KEY}, n) SELECT {KEY}, d FROM delta WHERE d > 0
        ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n
    )
    UPDATE {TABLE} t SET n = t.n + x.d FROM delta x
    WHERE x.d < 0 AND (t.article_id, t.release_id, t.category)
        = (x.article_id, x.release_id, x.category);"""


# After the statement that lowered them (it cannot see its own changes): through the
# unique index, which leads with the article.
EMPTIED = f"""
    DELETE FROM {TABLE} WHERE n <= 0
        AND article_id IN (SELECT DISTINCT article_id FROM old_rows);"""


def _function(name: str, body: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
    RETURN NULL;
END $$;"""


NEW_ROWS = f"(SELECT {KEY} FROM new_rows)"
OLD_ROWS = f"(SELECT {KEY} FROM old_rows)"

INSTALL = "\n".join(
    [
        _function("articles_hardware_tally_insert", _tally_sql(NEW_ROWS, NOTHING)),
        _function("articles_hardware_tally_delete", _tally_sql(NOTHING, OLD_ROWS) + EMPTIED),
        _function("articles_hardware_tally_update", _tally_sql(NEW_ROWS, OLD_ROWS) + EMPTIED),
        """
CREATE TRIGGER articles_hardware_tally_insert AFTER INSERT ON articles_hardwaredevice
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_hardware_tally_insert();
CREATE TRIGGER articles_hardware_tally_delete AFTER DELETE ON articles_hardwaredevice
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_hardware_tally_delete();
CREATE TRIGGER articles_hardware_tally_update AFTER UPDATE ON articles_hardwaredevice
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_hardware_tally_update();
""",
    ]
)

# The devices already there, counted once (the triggers exist only after this).
FILL = f"""
INSERT INTO {TABLE} ({KEY}, n)
    SELECT {KEY}, count(*) FROM articles_hardwaredevice GROUP BY {KEY};
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS articles_hardware_tally_insert ON articles_hardwaredevice;
DROP TRIGGER IF EXISTS articles_hardware_tally_delete ON articles_hardwaredevice;
DROP TRIGGER IF EXISTS articles_hardware_tally_update ON articles_hardwaredevice;
DROP FUNCTION IF EXISTS articles_hardware_tally_insert();
DROP FUNCTION IF EXISTS articles_hardware_tally_delete();
DROP FUNCTION IF EXISTS articles_hardware_tally_update();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_tally_years"),
    ]

    operations = [
        migrations.CreateModel(
            name="HardwareTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("category", models.CharField(max_length=200)),
                ("n", models.IntegerField(default=0)),
                (
                    "article",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
                (
                    "release",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.kernelrelease",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["category", "release"],
                        include=("article", "n"),
                        name="hardware_tally_category",
                    ),
                    models.Index(
                        fields=["release"], include=("article", "n"), name="hardware_tally_release"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "release", "category"), name="hardware_tally_once"
                    )
                ],
            },
        ),
        migrations.RunPython(tallies._run(FILL, INSTALL), tallies._run(UNINSTALL)),
    ]

"""Tallies of mentions per entity, kind of text and day, co-occurrence pairs, ``Mention.day``.

The entity pages, the entity lists and the home page's trends read these instead of
counting every mention per request (issue 18: their cost grew with the archive). On
PostgreSQL the triggers below keep them, whatever writes the mentions (linking,
curation, cascades) or the dates of their texts; this migration fills them from the
rows already there. SQLite gets the tables and the column but no triggers: there the
selectors count live.

Only pending and accepted mentions are counted. Each entity has one tally of source
``all`` (day 0001-01-01): its total, for the lists. A tally's day is ``Mention.day`` for
articles and merge-window items, January 1st of its year for devices and comments, and
0001-01-01 for an undated text. Rows that fall to zero stay (readers skip them): a
decrement never inserts, so a cascade that has already removed an entity's rows is safe.
"""

import django.db.models.deletion
from django.db import migrations, models

VISIBLE = "('pending', 'accepted')"
TARGETS = ("article_id", "merge_item_id", "hardware_id", "comment_id")
SOURCE = (
    "CASE WHEN {r}.article_id IS NOT NULL THEN 'article'"
    " WHEN {r}.merge_item_id IS NOT NULL THEN 'merge_item'"
    " WHEN {r}.hardware_id IS NOT NULL THEN 'hardware' ELSE 'comment' END"
)
TALLY_DAY = (
    "CASE WHEN {r}.day IS NULL THEN DATE '0001-01-01'"
    " WHEN {r}.article_id IS NOT NULL OR {r}.merge_item_id IS NOT NULL THEN {r}.day"
    " ELSE date_trunc('year', {r}.day)::date END"
)
COLUMNS = "id, entity_id, status, article_id, merge_item_id, hardware_id, comment_id, day"
NOTHING = f"(SELECT {COLUMNS} FROM articles_mention WHERE false)"

MENTION_DAY = """
CREATE OR REPLACE FUNCTION articles_mention_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.day := CASE
        WHEN NEW.article_id IS NOT NULL THEN
            (SELECT a.date FROM articles_article a WHERE a.id = NEW.article_id)
        WHEN NEW.merge_item_id IS NOT NULL THEN
            (SELECT a.date FROM articles_mergewindowitem i
             JOIN articles_article a ON a.id = i.article_id WHERE i.id = NEW.merge_item_id)
        WHEN NEW.hardware_id IS NOT NULL THEN
            (SELECT a.date FROM articles_hardwaredevice h
             JOIN articles_article a ON a.id = h.article_id WHERE h.id = NEW.hardware_id)
        WHEN NEW.comment_id IS NOT NULL THEN
            (SELECT (c.posted_at AT TIME ZONE 'UTC')::date FROM articles_comment c
             WHERE c.id = NEW.comment_id)
    END;
    RETURN NEW;
END $$;
CREATE TRIGGER articles_mention_day BEFORE INSERT OR UPDATE ON articles_mention
    FOR EACH ROW EXECUTE FUNCTION articles_mention_day();

-- A text's date changes (a re-import): its mentions take it again (the trigger above).
CREATE OR REPLACE FUNCTION articles_article_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_mention SET day = NULL WHERE article_id = NEW.id;
    UPDATE articles_mention SET day = NULL WHERE merge_item_id IN
        (SELECT id FROM articles_mergewindowitem WHERE article_id = NEW.id);
    UPDATE articles_mention SET day = NULL WHERE hardware_id IN
        (SELECT id FROM articles_hardwaredevice WHERE article_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER articles_article_day AFTER UPDATE OF date ON articles_article
    FOR EACH ROW WHEN (OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION articles_article_day();

CREATE OR REPLACE FUNCTION articles_part_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('UPDATE articles_mention SET day = NULL WHERE %I = $1', TG_ARGV[0])
        USING NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER articles_comment_day AFTER UPDATE OF posted_at ON articles_comment
    FOR EACH ROW WHEN (OLD.posted_at IS DISTINCT FROM NEW.posted_at)
    EXECUTE FUNCTION articles_part_day('comment_id');
CREATE TRIGGER articles_mergewindowitem_day AFTER UPDATE OF article_id ON articles_mergewindowitem
    FOR EACH ROW WHEN (OLD.article_id IS DISTINCT FROM NEW.article_id)
    EXECUTE FUNCTION articles_part_day('merge_item_id');
CREATE TRIGGER articles_hardwaredevice_day AFTER UPDATE OF article_id ON articles_hardwaredevice
    FOR EACH ROW WHEN (OLD.article_id IS DISTINCT FROM NEW.article_id)
    EXECUTE FUNCTION articles_part_day('hardware_id');
"""


def _apply(table: str, key: str, value: str, delta: str) -> str:
    """Add ``delta``'s rows (key columns, ``d``) to ``table``: upsert gains, update losses."""
    return f"""
    , grown AS (
        INSERT INTO {table} ({key}, {value})
        SELECT {key}, d FROM {delta} WHERE d > 0
        ON CONFLICT ({key}) DO UPDATE SET {value} = {table}.{value} + EXCLUDED.{value}
    )
    UPDATE {table} t SET {value} = t.{value} + x.d FROM {delta} x
    WHERE x.d < 0 AND ({", ".join(f"t.{c}" for c in key.split(", "))})
        = ({", ".join(f"x.{c}" for c in key.split(", "))});"""


def _tally_sql(new: str, old: str) -> str:
    changes = f"SELECT *, 1 AS d FROM {new} AS nr UNION ALL SELECT *, -1 AS d FROM {old} AS orr"
    return f"""
    WITH delta AS (
        SELECT entity_id, coalesce(source, 'all') AS source,
            coalesce(day, DATE '0001-01-01') AS day, sum(d)::int AS d
        FROM (
            SELECT entity_id, {SOURCE.format(r="r")} AS source,
                {TALLY_DAY.format(r="r")} AS day, d
            FROM ({changes}) r WHERE r.status IN {VISIBLE}
        ) c
        GROUP BY GROUPING SETS ((entity_id, source, day), (entity_id))
        HAVING sum(d) <> 0
    )""" + _apply("articles_entitytally", "entity_id, source, day", "n", "delta")


def _pairs_sql(new: str, old: str) -> str:
    """Pairs that the changed rows make (+1) and made (-1), each ordered pair once.

    After the statement the table holds the new versions; before it, the old versions
    and every row the statement did not change. One join per target column, so each
    uses that column's index.
    """

    def joined(left: str, right: str, extra: str) -> str:
        return " UNION ALL ".join(
            f"SELECT {left}.entity_id AS a, m.entity_id AS b, m.id AS mid FROM {left}"
            f" JOIN {right} m ON m.{column} = {left}.{column}"
            f" WHERE m.id <> {left}.id AND m.status IN {VISIBLE}{extra}"
            for column in TARGETS
        )

    return f"""
    WITH n AS (SELECT * FROM {new} AS nr WHERE status IN {VISIBLE}),
    o AS (SELECT * FROM {old} AS orr WHERE status IN {VISIBLE}),
    changed AS (SELECT id FROM {new} AS nr UNION SELECT id FROM {old} AS orr),
    after AS ({joined("n", "articles_mention", "")}),
    kept AS ({joined("o", "articles_mention", " AND m.id NOT IN (SELECT id FROM changed)")}),
    gone AS ({joined("o", "o", "")}),
    pairs AS (
        SELECT a, b, 1 AS d FROM after
        UNION ALL SELECT b, a, 1 FROM after WHERE mid NOT IN (SELECT id FROM n)
        UNION ALL SELECT a, b, -1 FROM kept
        UNION ALL SELECT b, a, -1 FROM kept
        UNION ALL SELECT a, b, -1 FROM gone
    ),
    delta AS (
        SELECT a AS entity_id, b AS other_id, sum(d)::int AS d FROM pairs
        GROUP BY 1, 2 HAVING sum(d) <> 0
    )""" + _apply("articles_entitypair", "entity_id, other_id", "shared", "delta")


# An update counts only the rows whose entity, status, target or day changed (linking
# rewrites sentences, which move no count); pairs ignore the day.


def _function(name: str, body: str) -> str:
    # One writer of tallies at a time, until it commits: concurrent link batches touch
    # the same hot rows (a frequent author's total) over several statements each, in
    # orders no sorting can align, and would deadlock; a batch is short, so the others
    # wait rather than fail.
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('articles_entitytally'));
{body}
    RETURN NULL;
END $$;"""


def _updated(which: str, other: str, fields: str) -> str:
    """Rows of transition table ``which`` whose ``fields`` differ in ``other``."""
    return (
        f"(SELECT {', '.join(f'w.{c}' for c in COLUMNS.split(', '))} FROM {which} w"
        f" JOIN {other} x ON x.id = w.id WHERE ({', '.join(f'w.{f}' for f in fields.split(', '))})"
        f" IS DISTINCT FROM ({', '.join(f'x.{f}' for f in fields.split(', '))}))"
    )


_COUNTED = "entity_id, status, article_id, merge_item_id, hardware_id, comment_id"
NEW_ROWS = f"(SELECT {COLUMNS} FROM new_rows)"
OLD_ROWS = f"(SELECT {COLUMNS} FROM old_rows)"

TALLIES = "\n".join(
    [
        _function(
            "articles_mention_tally_insert",
            _tally_sql(NEW_ROWS, NOTHING) + _pairs_sql(NEW_ROWS, NOTHING),
        ),
        _function(
            "articles_mention_tally_delete",
            _tally_sql(NOTHING, OLD_ROWS) + _pairs_sql(NOTHING, OLD_ROWS),
        ),
        _function(
            "articles_mention_tally_update",
            _tally_sql(
                _updated("new_rows", "old_rows", f"{_COUNTED}, day"),
                _updated("old_rows", "new_rows", f"{_COUNTED}, day"),
            )
            + _pairs_sql(
                _updated("new_rows", "old_rows", _COUNTED),
                _updated("old_rows", "new_rows", _COUNTED),
            ),
        ),
        """
CREATE TRIGGER articles_mention_tally_insert AFTER INSERT ON articles_mention
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_mention_tally_insert();
CREATE TRIGGER articles_mention_tally_delete AFTER DELETE ON articles_mention
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_mention_tally_delete();
CREATE TRIGGER articles_mention_tally_update AFTER UPDATE ON articles_mention
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_mention_tally_update();
""",
    ]
)

# The rows already there, counted once (before the triggers exist).
BACKFILL = f"""
UPDATE articles_mention m SET day = a.date FROM articles_article a
    WHERE m.article_id = a.id;
UPDATE articles_mention m SET day = a.date FROM articles_mergewindowitem i, articles_article a
    WHERE m.merge_item_id = i.id AND a.id = i.article_id;
UPDATE articles_mention m SET day = a.date FROM articles_hardwaredevice h, articles_article a
    WHERE m.hardware_id = h.id AND a.id = h.article_id;
UPDATE articles_mention m SET day = (c.posted_at AT TIME ZONE 'UTC')::date
    FROM articles_comment c WHERE m.comment_id = c.id;
INSERT INTO articles_entitytally (entity_id, source, day, n)
    SELECT entity_id, coalesce(source, 'all'), coalesce(day, DATE '0001-01-01'), count(*)
    FROM (
        SELECT entity_id, {SOURCE.format(r="m")} AS source, {TALLY_DAY.format(r="m")} AS day
        FROM articles_mention m WHERE m.status IN {VISIBLE}
    ) c GROUP BY GROUPING SETS ((entity_id, source, day), (entity_id));
INSERT INTO articles_entitypair (entity_id, other_id, shared)
    SELECT entity_id, other_id, count(*) FROM ({
    " UNION ALL ".join(
        f"SELECT x.entity_id, y.entity_id AS other_id FROM articles_mention x"
        f" JOIN articles_mention y ON y.{column} = x.{column} AND y.id <> x.id"
        f" WHERE x.status IN {VISIBLE} AND y.status IN {VISIBLE}"
        for column in TARGETS
    )
}) p GROUP BY 1, 2;
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS articles_mention_tally_insert ON articles_mention;
DROP TRIGGER IF EXISTS articles_mention_tally_delete ON articles_mention;
DROP TRIGGER IF EXISTS articles_mention_tally_update ON articles_mention;
DROP TRIGGER IF EXISTS articles_mention_day ON articles_mention;
DROP TRIGGER IF EXISTS articles_article_day ON articles_article;
DROP TRIGGER IF EXISTS articles_comment_day ON articles_comment;
DROP TRIGGER IF EXISTS articles_mergewindowitem_day ON articles_mergewindowitem;
DROP TRIGGER IF EXISTS articles_hardwaredevice_day ON articles_hardwaredevice;
DROP FUNCTION IF EXISTS articles_mention_tally_insert();
DROP FUNCTION IF EXISTS articles_mention_tally_delete();
DROP FUNCTION IF EXISTS articles_mention_tally_update();
DROP FUNCTION IF EXISTS articles_mention_day();
DROP FUNCTION IF EXISTS articles_article_day();
DROP FUNCTION IF EXISTS articles_part_day();
"""


def _run(*sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_article_sort_date_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntityPair",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("shared", models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="EntityTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        help_text="article, merge_item, hardware, comment; all: the total",
                        max_length=10,
                    ),
                ),
                (
                    "day",
                    models.DateField(
                        help_text="The texts' date; January 1st for devices and comments"
                    ),
                ),
                ("n", models.IntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="mention",
            name="day",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The date of the text (kept by trigger)",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(fields=["entity", "day", "id"], name="mention_entity_day"),
        ),
        migrations.AddField(
            model_name="entitypair",
            name="entity",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="articles.entity",
            ),
        ),
        migrations.AddField(
            model_name="entitypair",
            name="other",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.entity"
            ),
        ),
        migrations.AddField(
            model_name="entitytally",
            name="entity",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tallies",
                to="articles.entity",
            ),
        ),
        migrations.AddConstraint(
            model_name="entitypair",
            constraint=models.UniqueConstraint(fields=("entity", "other"), name="pair_once"),
        ),
        migrations.AddIndex(
            model_name="entitytally",
            index=models.Index(
                condition=models.Q(("source__in", ("article", "merge_item"))),
                fields=["day"],
                name="tally_daily_day",
            ),
        ),
        migrations.AddConstraint(
            model_name="entitytally",
            constraint=models.UniqueConstraint(
                fields=("entity", "source", "day"), name="tally_once"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("subscriber_only", True)),
                fields=["free_on"],
                name="article_paywalled",
            ),
        ),
        migrations.RunPython(_run(BACKFILL, MENTION_DAY, TALLIES), _run(UNINSTALL)),
    ]

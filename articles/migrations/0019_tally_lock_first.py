"""Take the tallies' lock before a statement locks any mention row.

The tally triggers of 0018 serialise writers of mentions with an advisory lock, but
they run after their statement, which by then holds its rows. Two transactions could
each hold what the other waits for: an import whose new date for an article updates
that article's mentions (rows locked, tally lock awaited) and a link batch that holds
the tally lock and deletes one of those mentions. PostgreSQL then aborts one of them
("deadlock detected"). Taken before the statement, the lock is always first: a
transaction waits for it holding no mention row.
"""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION articles_mention_tally_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('articles_entitytally'));
    RETURN NULL;
END $$;
CREATE TRIGGER articles_mention_tally_lock BEFORE INSERT OR UPDATE OR DELETE ON articles_mention
    FOR EACH STATEMENT EXECUTE FUNCTION articles_mention_tally_lock();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS articles_mention_tally_lock ON articles_mention;
DROP FUNCTION IF EXISTS articles_mention_tally_lock();
"""


def _run(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_entity_tallies"),
    ]

    operations = [
        migrations.RunPython(_run(INSTALL), _run(UNINSTALL)),
    ]

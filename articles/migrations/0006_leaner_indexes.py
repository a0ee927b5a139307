"""Cheaper imports: fewer indexes, faster compression of large texts (bench/bench_ingest.py).

- Indexes no query needs are dropped: the LIKE-prefix twins that ``db_index=True``
  and ``unique=True`` add to text columns on PostgreSQL, and the single-column
  indexes on foreign keys that lead a unique constraint's index anyway. Every
  imported row paid for each of them.
- PostgreSQL only: article and comment bodies are compressed with lz4 instead of
  pglz when the server supports it (several times faster to write, a little larger),
  and the gzip-compressed raw page is stored out of line without a second
  compression attempt that cannot succeed.
"""

import django.db.models.deletion
from django.db import migrations, models

LZ4_COLUMNS = {
    "articles_article": ("body_html", "body_text"),
    "articles_comment": ("body_html", "body_text"),
}


def _storage(apps, schema_editor, *, compression: str, storage: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'",
            [compression],
        )
        row = cursor.fetchone()
        if row and row[0]:  # a server built without lz4 keeps pglz
            for table, columns in LZ4_COLUMNS.items():
                alters = ", ".join(
                    f"ALTER COLUMN {c} SET COMPRESSION {compression}" for c in columns
                )
                cursor.execute(f"ALTER TABLE {table} {alters}")
        cursor.execute(
            f"ALTER TABLE articles_rawpage ALTER COLUMN content_gz SET STORAGE {storage}"
        )


def forwards(apps, schema_editor):
    _storage(apps, schema_editor, compression="lz4", storage="EXTERNAL")


def backwards(apps, schema_editor):
    _storage(apps, schema_editor, compression="pglz", storage="EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_importrun_followups"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="article",
            name="edition",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="articles",
                to="articles.edition",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="kind",
            field=models.CharField(
                choices=[
                    ("feature", "Feature"),
                    ("guest", "Guest article"),
                    ("brief", "Brief item"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="section",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="articleauthor",
            name="article",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, to="articles.article"
            ),
        ),
        migrations.AlterField(
            model_name="hardwaredevice",
            name="article",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="hardware",
                to="articles.article",
            ),
        ),
        migrations.AlterField(
            model_name="hardwaredevice",
            name="category",
            field=models.CharField(help_text='e.g. "Graphics"', max_length=200),
        ),
        migrations.AlterField(
            model_name="mergewindowitem",
            name="article",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="merge_items",
                to="articles.article",
            ),
        ),
        migrations.AlterField(
            model_name="mergewindowitem",
            name="group",
            field=models.CharField(help_text='e.g. "Core kernel"', max_length=200),
        ),
        migrations.AlterField(
            model_name="rawpage",
            name="content_hash",
            field=models.CharField(help_text="SHA-256 of the page", max_length=64),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["section"], name="article_section"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["kind"], name="article_kind"),
        ),
        migrations.AddIndex(
            model_name="hardwaredevice",
            index=models.Index(fields=["category"], name="hardware_category"),
        ),
        migrations.AddIndex(
            model_name="mergewindowitem",
            index=models.Index(fields=["group"], name="merge_item_group"),
        ),
        migrations.AddConstraint(
            model_name="rawpage",
            constraint=models.UniqueConstraint(
                fields=("content_hash",), name="rawpage_content_hash"
            ),
        ),
    ]

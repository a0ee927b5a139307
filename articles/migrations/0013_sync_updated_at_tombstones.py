"""API sync: ``updated_at`` (indexed with the id) on every row an API list serves, and tombstones.

Fast on a large archive (900,000 comments): each new column is added with the
database default ``STATEMENT_TIMESTAMP()`` in one ``ALTER TABLE``, which
PostgreSQL 11+ records in the catalogue without rewriting the table, so rows
that existed before carry the migration's time. The (updated_at, id) indexes
are one pass over each table.
"""

import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_importrun_started_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Tombstone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("editions", "Edition"),
                            ("articles", "Article"),
                            ("comments", "Comment"),
                            ("releases", "Kernel release"),
                            ("merge-window-items", "Merge-window item"),
                            ("hardware", "Hardware device"),
                            ("import-runs", "Import run"),
                            ("entities", "Entity"),
                            ("mentions", "Mention"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        help_text='The id the list gave it: an LWN id, a version, "kind:name" for an entity',
                        max_length=250,
                    ),
                ),
                ("deleted_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["deleted_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="comment",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="entity",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="hardwaredevice",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="kernelrelease",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="mention",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddField(
            model_name="mergewindowitem",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AlterField(
            model_name="edition",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_default=django.db.models.functions.datetime.Now()
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["updated_at", "id"], name="article_updated"),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["updated_at", "id"], name="comment_updated"),
        ),
        migrations.AddIndex(
            model_name="edition",
            index=models.Index(fields=["updated_at", "id"], name="edition_updated"),
        ),
        migrations.AddIndex(
            model_name="entity",
            index=models.Index(fields=["updated_at", "id"], name="entity_updated"),
        ),
        migrations.AddIndex(
            model_name="hardwaredevice",
            index=models.Index(fields=["updated_at", "id"], name="hardware_updated"),
        ),
        migrations.AddIndex(
            model_name="importrun",
            index=models.Index(fields=["updated_at", "id"], name="importrun_updated"),
        ),
        migrations.AddIndex(
            model_name="kernelrelease",
            index=models.Index(fields=["updated_at", "id"], name="release_updated"),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(fields=["updated_at", "id"], name="mention_updated"),
        ),
        migrations.AddIndex(
            model_name="mergewindowitem",
            index=models.Index(fields=["updated_at", "id"], name="merge_item_updated"),
        ),
        migrations.AddIndex(
            model_name="tombstone",
            index=models.Index(fields=["deleted_at", "id"], name="tombstone_deleted"),
        ),
    ]

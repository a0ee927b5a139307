"""Follow-up bookkeeping on ImportRun (the broker-outage outbox).

Runs that finished before this migration are taken as followed up, so the
first sweep does not queue the whole history again.
"""

from typing import Any

from django.db import migrations, models
from django.db.models import F


def mark_existing_done(apps: Any, schema_editor: Any) -> None:
    ImportRun = apps.get_model("articles", "ImportRun")
    ImportRun.objects.filter(outcome="ok").update(
        followups_queued_at=F("finished_at"), followups_done_at=F("finished_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_postgres_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="followups_queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importrun",
            name="followups_done_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_existing_done, migrations.RunPython.noop, elidable=True),
    ]

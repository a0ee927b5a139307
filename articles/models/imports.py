from __future__ import annotations

from django.db import models


class ImportOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "Imported"
    SKIPPED = "skipped", "Skipped (unchanged)"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """The audit record every import leaves, whatever its outcome."""

    source = models.CharField(max_length=1000, help_text="File path, URL or LWN id")
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=8, choices=ImportOutcome.choices, default=ImportOutcome.RUNNING, db_index=True
    )
    counts = models.JSONField(default=dict, blank=True, help_text="What changed, by kind")
    error = models.TextField(blank=True)
    raw_page = models.ForeignKey(
        "articles.RawPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    edition = models.ForeignKey(
        "articles.Edition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    parser_version = models.CharField(max_length=20, blank=True)
    # The follow-ups of an "ok" run (linking, indexing) as an outbox kept in the database,
    # not only in the broker: ``sweep_imports`` queues again what was never queued (the
    # broker was down at commit) or never finished (the broker lost the message).
    followups_queued_at = models.DateTimeField(null=True, blank=True)
    followups_done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} [{self.outcome}]"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

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
    # The parser's warnings: [{"code", "where", "message"}] (articles/lwn/warnings.py).
    warnings = models.JSONField(default=list, blank=True, help_text="Parse warnings")
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
    # Follow-ups that keep failing are queued again a few times, not every six hours
    # for ever (``followup.MAX_REQUEUES``); admin's "Queue follow-ups again" resets it.
    followups_requeued = models.PositiveSmallIntegerField(
        default=0, help_text="Times the sweep queued the follow-ups again after they got lost"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} [{self.outcome}]"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class RequestClock(models.Model):
    """When the next request to lwn.net may start: one row, shared by every process.

    Each fetcher reserves the next slot in one statement on the database's clock
    and sleeps until it, so all workers on all hosts together keep to one
    request per ``LWNKB_FETCH_INTERVAL`` (``articles.services.fetch.limits``).
    """

    next_at = models.DateTimeField()

    class Meta:
        verbose_name = "lwn.net request clock"

    def __str__(self) -> str:
        return f"next request to lwn.net at {self.next_at:%Y-%m-%d %H:%M:%S.%f}"

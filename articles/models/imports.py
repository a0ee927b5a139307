from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

WHERE_MAX_LENGTH = 200  # ImportWarning.where; longer places are cut by the import


class ImportOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    OK = "ok", "Imported"
    SKIPPED = "skipped", "Skipped (unchanged)"
    FAILED = "failed", "Failed"


def warned_with(code: str) -> models.Q:
    """The condition "the run's page gave at least one parse warning ``code``".

    A semi-join on the (code, run) index, not a join: a run warned twice is
    listed once, and the database can start from whichever side is smaller.
    """
    return models.Q(pk__in=ImportWarning.objects.filter(code=code).values("run_id"))


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def with_warning(self, code: str) -> ImportRunQuerySet:
        """Runs whose page gave at least one parse warning ``code``."""
        return self.filter(warned_with(code))


class ImportRun(models.Model):
    """The audit record every import leaves, whatever its outcome."""

    source = models.CharField(max_length=1000, help_text="File path, URL or LWN id")
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    outcome = models.CharField(
        max_length=8, choices=ImportOutcome.choices, default=ImportOutcome.RUNNING, db_index=True
    )
    counts = models.JSONField(default=dict, blank=True, help_text="What changed, by kind")
    error = models.TextField(blank=True)
    # The parser's warnings are rows of ImportWarning (below); counts["warnings"] is their number.
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
    # Who asked for the import through the API (None for commands, tasks and admin):
    # the API shows a curator the runs they started.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
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
    # Part of a bulk import (``lwn_import`` of a large folder, ``lwn_reparse --all``):
    # linked on its own, then indexed by one rebuild once the whole bulk is linked,
    # because whoosh indexes a page a commit several times slower than a rebuild does.
    index_deferred = models.BooleanField(
        default=False,
        help_text="Indexed by one rebuild at the end of a bulk import, not on its own",
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["updated_at", "id"], name="importrun_updated")]

    def __str__(self) -> str:
        return f"{self.source} [{self.outcome}]"

    @property
    def warning_count(self) -> int:
        """How many parse warnings the page gave (all of them, even past those kept)."""
        return int(self.counts.get("warnings", 0))

    @property
    def changes_text(self) -> str:
        """What the import changed, as "articles: 3, comments: 12"; warnings are apart."""
        changes = sorted((k, v) for k, v in self.counts.items() if v and k != "warnings")
        return ", ".join(f"{key}: {value}" for key, value in changes)

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class ImportWarning(models.Model):
    """One parse warning of an import run: something the parser saw but could not place.

    A table rather than a JSON list on the run, because staff filter runs by code
    (``/imports/?warning=…``, admin): a JSON containment lookup does not exist on
    SQLite (the embedded default) and would scan every run on PostgreSQL without a
    GIN index, while the (code, run) index answers "runs with this code" on both,
    at any number of runs. Runs without warnings, nearly all of them, cost nothing.
    """

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="parse_warnings")
    # No ``choices``: the parser's catalogue (articles.lwn.WARNING_CODES) grows with the
    # parser, and choices here would make each new code a migration.
    code = models.CharField(max_length=50)
    where = models.CharField(
        max_length=WHERE_MAX_LENGTH, help_text='"page", "item 3", "comment 254969"'
    )
    message = models.TextField()

    class Meta:
        ordering = ["run", "pk"]  # within a run, the order the parser found them
        indexes = [models.Index(fields=["code", "run"], name="importwarning_code_run")]

    def __str__(self) -> str:
        return f"{self.code} at {self.where}"


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

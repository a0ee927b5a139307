"""``manage.py lwn_reparse``: re-parse stored raw pages with the current parser."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from articles.management.progress import Progress
from articles.models import Edition, ImportOutcome, RawPage
from articles.services.followup import bulk_index_queue, index_once
from articles.services.ingest import UNCHANGED, raw_page_reparse


class Command(BaseCommand):
    help = "Re-parse stored pages with the current parser, without touching the network."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every stored raw page.")
        which.add_argument(
            "--edition", type=int, metavar="LWN_ID", help="One edition, by its LWN id."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pages: QuerySet[RawPage]
        if options["all"]:
            pages = RawPage.objects.order_by("pk")
        else:
            edition = Edition.objects.filter(lwn_id=options["edition"]).first()
            if edition is None or edition.raw_page_id is None:
                raise CommandError(f"no stored page for edition {options['edition']}")
            pages = RawPage.objects.filter(pk=edition.raw_page_id)
        total = pages.count()
        # Any page may change, so the index is left to one task at the end: it rebuilds
        # when many pages changed and updates the changed ones' documents otherwise.
        once = index_once(pages=total, stored=total)
        deferred: list[int] = []
        progress = Progress(self.stderr, total or None, label="reparse ")
        outcomes: Counter[str] = Counter()
        # iterator(): raw pages are large; never hold them all in memory.
        for raw in pages.iterator(chunk_size=20):
            run = raw_page_reparse(raw=raw, index_deferred=once)
            outcome = UNCHANGED if UNCHANGED in run.counts else run.outcome
            outcomes[outcome] += 1
            if once and outcome == ImportOutcome.OK:
                deferred.append(run.pk)
            progress.step(f"raw page {raw.pk}: {outcome} {run.error}".rstrip())
        if deferred:
            self.stderr.write(f"search index: one task indexes the {len(deferred)} changed pages")
            bulk_index_queue(first_run_id=min(deferred), last_run_id=max(deferred))
        self.stdout.write(
            f"reparsed {total} page(s): {outcomes[ImportOutcome.OK]} ok, "
            f"{outcomes[UNCHANGED]} unchanged, {outcomes[ImportOutcome.FAILED]} failed"
        )
        if outcomes[ImportOutcome.FAILED]:
            raise CommandError(f"{outcomes[ImportOutcome.FAILED]} page(s) failed", returncode=1)

"""``manage.py lwn_reparse``: re-parse stored raw pages with the current parser."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from articles.management.progress import Progress
from articles.models import Edition, ImportOutcome, RawPage
from articles.services.followup import bulk_index_queue, index_once
from articles.services.ingest import UNCHANGED
from articles.services.reparse import raw_pages_reparse

# Parsing is pure CPU: one process per core parses while this one stores.
PARSERS = min(os.cpu_count() or 1, 2)


class Command(BaseCommand):
    help = "Re-parse stored pages with the current parser, without touching the network."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every stored raw page.")
        which.add_argument(
            "--edition", type=int, metavar="LWN_ID", help="One edition, by its LWN id."
        )
        parser.add_argument(
            "--parsers",
            type=int,
            default=PARSERS,
            metavar="N",
            help="Processes that parse while this one stores (default: the machine's "
            f"cores, at most {PARSERS}); 1 parses here.",
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
        # The runs the bulk index task covers: the changed pages' (runs are numbered in order).
        first = last = 0
        changed = 0
        progress = Progress(self.stderr, total or None, label="reparse ")
        outcomes: Counter[str] = Counter()
        if options["parsers"] < 1:
            raise CommandError("--parsers must be at least 1")
        parsers = min(options["parsers"], total)
        for raw, run in raw_pages_reparse(pages=pages, index_deferred=once, parsers=parsers):
            outcome = UNCHANGED if UNCHANGED in run.counts else run.outcome
            outcomes[outcome] += 1
            if once and outcome == ImportOutcome.OK:
                first, last, changed = first or run.pk, run.pk, changed + 1
            progress.step(f"raw page {raw.pk}: {outcome} {run.error}".rstrip())
        if changed:
            self.stderr.write(f"search index: one task indexes the {changed} changed pages")
            bulk_index_queue(first_run_id=first, last_run_id=last, update_if_few=True)
        self.stdout.write(
            f"reparsed {total} page(s): {outcomes[ImportOutcome.OK]} ok, "
            f"{outcomes[UNCHANGED]} unchanged, {outcomes[ImportOutcome.FAILED]} failed"
        )
        if outcomes[ImportOutcome.FAILED]:
            raise CommandError(f"{outcomes[ImportOutcome.FAILED]} page(s) failed", returncode=1)

"""``manage.py lwn_relink``: re-apply entity extraction to everything stored."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles.management.progress import Progress
from articles.models import Article
from articles.services.linking import BATCH, entities_relink_all


class Command(BaseCommand):
    help = (
        "Link entities (syscalls, capabilities, releases…) in every stored article, "
        "merge-window item, hardware list and comment. Safe to repeat; curated and "
        "rejected mentions are kept as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        articles = Article.objects.count()
        batches = -(-articles // BATCH)
        progress = Progress(self.stderr, batches or None, label="relink ")
        done = 0

        def step(size: int) -> None:
            nonlocal done
            done += size
            progress.step(f"{done}/{articles} articles")

        counts = entities_relink_all(dry_run=options["dry_run"], on_batch=step)
        summary = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()) if value)
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}relinked {articles} article(s): {summary or 'no changes'}")

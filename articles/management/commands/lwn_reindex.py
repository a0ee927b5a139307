"""``manage.py lwn_reindex``: rebuild the search index from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles import search
from articles.management.progress import Progress


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database into a new folder and swap it in; "
        "searches keep using the old index until the new one is complete. With "
        "LWNKB_SEARCH_BACKEND=postgres: add the full-text columns if they are missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Only rebuild when the index is missing, damaged or of an older schema version.",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=500, help="Rows read per query (default 500)."
        )
        parser.add_argument(
            "--lock-timeout",
            type=float,
            default=300.0,
            help="Seconds to wait for another index writer to finish (default 300).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; write nothing."
        )
        parser.add_argument(
            "--drop-postgres-columns",
            action="store_true",
            help="Drop the PostgreSQL full-text columns (after switching back to whoosh), "
            "so imports stop computing them; nothing else is done.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        if options["drop_postgres_columns"]:
            self._drop_columns(dry_run=options["dry_run"])
            return
        if (setup := search.index_setup_pending()) is not None:
            self._set_up(setup, dry_run=options["dry_run"])
        status = search.index_status()
        if options["if_needed"] and not status.needs_rebuild:
            self.stdout.write(
                f"search index is current (schema {status.schema_version}, "
                f"{status.documents} documents): nothing to do"
            )
            return
        counts = search.index_document_counts()
        total = sum(counts.values())
        if options["dry_run"]:
            state = "ok" if status.state == "ok" else f"{status.state}: {status.message}"
            self.stdout.write(f"would index {total} documents (index {state})")
            return
        chunk_size = options["chunk_size"]
        # Each type is read in its own chunks.
        steps = sum(-(-n // chunk_size) for n in counts.values()) or None
        progress = Progress(self.stderr, steps, label="reindex ")
        done = 0

        def on_chunk(size: int) -> None:
            nonlocal done
            done += size
            progress.step(f"{done}/{total} documents")

        try:
            report = search.index_rebuild(
                if_needed=options["if_needed"],
                chunk_size=chunk_size,
                on_chunk=on_chunk,
                timeout=options["lock_timeout"],
            )
        except search.IndexBusy as exc:
            raise CommandError(f"{exc}; another index writer is busy, try again later") from exc
        if report is None:
            self.stdout.write("search index is current: nothing to do")
            return
        self.stdout.write(
            f"rebuilt the search index: {report.documents} documents in "
            f"{report.seconds:.1f} s ({report.path})"
        )

    def _set_up(self, setup: search.IndexSetup, *, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write(f"would add {setup.what}")
            return
        self.stderr.write(f"adding {setup.what} ({setup.cost})…")
        search.index_setup()
        self.stdout.write(f"added {setup.what}")

    def _drop_columns(self, *, dry_run: bool) -> None:
        try:
            found = search.postgres_columns_drop(dry_run=dry_run)
        except search.SearchError as exc:
            raise CommandError(exc.message) from exc
        if found and dry_run:
            self.stdout.write("would drop the PostgreSQL full-text search columns")
        elif found:
            self.stdout.write("dropped the PostgreSQL full-text search columns")
        else:
            self.stdout.write("no PostgreSQL full-text search columns: nothing to drop")

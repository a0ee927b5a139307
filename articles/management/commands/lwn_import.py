"""``manage.py lwn_import SOURCE…``: import saved pages or pages from lwn.net.

``--follow`` then imports the own page of each home-page headline stored as a teaser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.lwn import LWNParseError
from articles.management.progress import Progress
from articles.models import ImportOutcome, ImportRun, RawPage
from articles.services.enqueue import tasks_run_inline
from articles.services.fetch import LWNFetcher
from articles.services.fetch.remote import (
    article_import_remote,
    current_edition_id,
    edition_import_remote,
    editions_since,
    pages_queue,
    source_import_remote,
    teaser_ids,
)
from articles.services.fetch.types import FetchError, FetchRefused
from articles.services.followup import bulk_index_queue, index_once
from articles.services.ingest import REFUSED, page_import
from articles.services.sources import SourceError, local_pages, page_read
from articles.services.sql.statistics import statistics_due, statistics_refresh

_REMOTE = re.compile(r"^(https?://|\d+$)")


class Command(BaseCommand):
    help = (
        "Import LWN pages. A SOURCE is an HTML file, a folder (searched recursively for "
        ".html, .htm and .html.gz), an lwn.net URL (https://lwn.net/ is the home page) or "
        "an LWN article id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="*", metavar="SOURCE")
        parser.add_argument("--current", action="store_true", help="Import the newest edition.")
        parser.add_argument(
            "--since",
            type=dt.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Import every edition dated on or after this day, from LWN's archive.",
        )
        parser.add_argument(
            "--follow",
            action="store_true",
            help="After a home page, import the own page of each headline whose text is not "
            "stored yet: queued as tasks with a broker, imported here without one.",
        )
        parser.add_argument(
            "--index",
            choices=["auto", "each", "once"],
            default="auto",
            help="How local pages reach the search index: each page after its linking, or "
            "once, with one rebuild after the last page is linked. auto (the default): once "
            "for 200 pages or more that are at least half as many as the archive holds.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Parse and store inside a transaction that is rolled back; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sources: list[str] = options["sources"]
        if not sources and not options["current"] and not options["since"]:
            raise CommandError("nothing to import: give a SOURCE, --current or --since DATE")
        self.dry_run: bool = options["dry_run"]
        self.follow: bool = options["follow"]
        self.fetcher: LWNFetcher | None = None
        if self.dry_run and self.follow:
            raise CommandError("--follow cannot be combined with --dry-run")
        self.outcomes: Counter[str] = Counter()
        self.refused: list[str] = []  # "source: reason" of pages the parser refused

        local = [s for s in sources if not _REMOTE.match(s)]
        remote = [s for s in sources if _REMOTE.match(s)]
        files: list[Path] = []
        for source in local:
            try:
                files.extend(local_pages(Path(source)))
            except SourceError as exc:
                raise CommandError(str(exc)) from exc
        self.index_once = not self.dry_run and (
            options["index"] == "once"
            or (
                options["index"] == "auto"
                and index_once(pages=len(files), stored=RawPage.objects.count())
            )
        )
        self.deferred: list[int] = []  # ids of the runs left for the one rebuild
        progress = Progress(self.stderr, len(files) or None, label="import ")
        for done, path in enumerate(files, start=1):
            self._import_file(path, progress)
            if not self.dry_run and statistics_due(done):
                statistics_refresh()  # the tables grow: see ``sql.statistics``
        if self.deferred:
            self._index_once()

        if remote or options["current"] or options["since"]:
            if self.dry_run:
                raise CommandError("--dry-run works with local files only")
            self._import_remote(remote, options["current"], options["since"])
        self._summary()

    def _record(self, run: ImportRun, progress: Progress | None = None) -> None:
        self.outcomes[run.outcome] += 1
        line = f"{run.source}: {run.outcome}"
        if run.error:
            line += f" ({run.error})"
        if progress is not None:
            progress.step(line)
        if run.outcome == ImportOutcome.FAILED:
            self.stderr.write(line)
            if run.error.startswith(REFUSED):
                self.refused.append(f"{run.source}: {run.error.removeprefix(REFUSED).strip()}")

    def _import_file(self, path: Path, progress: Progress) -> None:
        try:
            data = page_read(path)
        except SourceError as exc:
            self.outcomes[ImportOutcome.FAILED] += 1
            progress.step(f"{exc}")
            self.stderr.write(str(exc))
            return
        run = page_import(
            data=data, source=str(path), dry_run=self.dry_run, index_deferred=self.index_once
        )
        if run.outcome == ImportOutcome.OK and self.index_once:
            self.deferred.append(run.pk)
        self._record(run, progress)
        if self.follow:
            try:
                self._follow(run)
            except (FetchError, LWNParseError) as exc:  # inline imports, without a broker
                self.outcomes[ImportOutcome.FAILED] += 1
                self.stderr.write(f"fetching failed: {exc}")

    def _follow(self, run: ImportRun) -> None:
        """Import each teaser's own page: queued with a broker, here and now without one."""
        ids = teaser_ids(run)
        if not ids:
            return
        progress = Progress(self.stderr, len(ids), label="follow ")
        if tasks_run_inline():
            # What the queued tasks would do, done here so the summary counts each page.
            for lwn_id in ids:
                self._record(
                    article_import_remote(fetcher=self._fetcher(), lwn_id=lwn_id), progress
                )
            return
        queued = pages_queue(
            lwn_ids=ids, progress=lambda lwn_id: progress.step(f"article {lwn_id}: queued")
        )
        if queued < len(ids):
            self.stderr.write(
                f"{len(ids) - queued} article page(s) not queued: the broker is unavailable"
            )

    def _index_once(self) -> None:
        first, last = min(self.deferred), max(self.deferred)
        inline = tasks_run_inline()
        self.stderr.write(
            f"search index: rebuilding it once for {len(self.deferred)} imports"
            + ("" if inline else ", queued to start when the worker has linked them all")
        )
        bulk_index_queue(first_run_id=first, last_run_id=last)

    def _fetcher(self) -> LWNFetcher:
        if self.fetcher is None:
            self.fetcher = LWNFetcher.from_settings()
        return self.fetcher

    def _import_remote(self, sources: list[str], current: bool, since: dt.date | None) -> None:
        fetcher = self._fetcher()
        for source in sources:
            try:  # a wrong address is a usage error: say so before fetching anything
                fetcher.check_url(fetcher.resolve_source(source))
            except FetchRefused as exc:
                raise CommandError(str(exc), returncode=2) from exc
        try:
            for source in sources:
                for run in source_import_remote(fetcher=fetcher, source=source):
                    self._record(run)
                    if self.follow:
                        self._follow(run)
            ids: list[int] = []
            if since is not None:
                ids.extend(editions_since(fetcher=fetcher, since=since))
            if current:
                ids.append(current_edition_id(fetcher=fetcher))
            progress = Progress(self.stderr, len(ids) or None, label="editions ")
            for lwn_id in dict.fromkeys(ids):
                runs = edition_import_remote(fetcher=fetcher, lwn_id=lwn_id)
                for run in runs:
                    self._record(run)
                progress.step(f"edition {lwn_id}: {runs[0].outcome}")
        except (FetchError, LWNParseError) as exc:
            self.outcomes[ImportOutcome.FAILED] += 1
            self.stderr.write(f"fetching failed: {exc}")

    def _summary(self) -> None:
        ok, skipped = self.outcomes[ImportOutcome.OK], self.outcomes[ImportOutcome.SKIPPED]
        failed = self.outcomes[ImportOutcome.FAILED]
        verb = "would import" if self.dry_run else "imported"
        self.stdout.write(f"{verb} {ok}, skipped {skipped} unchanged, failed {failed}")
        if failed and len(self.refused) == failed:
            # Only the input was wrong (a page that is not an article, edition or home
            # page): a bad source, like a missing file, and said in one line.
            reason = self.refused[0] if failed == 1 else f"{failed} pages refused"
            raise CommandError(reason, returncode=2)
        if failed:
            raise CommandError(f"{failed} import(s) failed", returncode=1)

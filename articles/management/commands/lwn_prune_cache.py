"""``manage.py lwn_prune_cache [--older-than DAYS]``: empty the fetch cache of old pages.

Fetchers do this on their own once a day with ``LWNKB_FETCH_CACHE_DAYS``; the
command is for an operator who wants the space back now, or a shorter horizon.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.services.fetch.cache import FetchCache


class Command(BaseCommand):
    help = (
        "Remove cached lwn.net pages not fetched or revalidated for DAYS days "
        "(default LWNKB_FETCH_CACHE_DAYS), and leftovers of interrupted writes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            default=None,
            help="Age in days (default: LWNKB_FETCH_CACHE_DAYS); 0 empties the cache.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = (
            settings.FETCH_CACHE_DAYS if options["older_than"] is None else options["older_than"]
        )
        if days < 0:
            raise CommandError("--older-than takes a number of days, 0 or more", returncode=2)
        cache = FetchCache(settings.FETCH_CACHE_DIR)
        report = cache.prune(timedelta(days=days))
        self.stdout.write(
            f"removed {report.entries} cached page(s), {report.bytes_freed / 1e6:.1f} MB, "
            f"older than {days} day(s) from {cache.root}"
        )

"""``manage.py lwn_load_samples``: the bundled sample pages, so a new site is not empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from articles.models import Edition
from articles.services.ingest import page_import
from articles.services.sources import local_pages, page_read


class Command(BaseCommand):
    help = "Import the bundled sample LWN pages (only on an empty archive unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Import even if not empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        if Edition.objects.exists() and not options["force"]:
            self.stdout.write("archive already has editions; samples not loaded")
            return
        folder = Path(settings.SAMPLES_DIR)
        for path in local_pages(folder):
            run = page_import(data=page_read(path), source=f"sample {path.name}")
            self.stdout.write(f"{path.name}: {run.outcome} {run.error}".rstrip())

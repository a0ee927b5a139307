"""``manage.py lwn_load_samples``: the bundled sample pages, so a new site is not empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Edition
from articles.services.ingest import page_import
from articles.services.sources import local_pages, page_read

MANIFEST = "samples.txt"


class Command(BaseCommand):
    help = "Import the bundled sample LWN pages (only on an empty archive unless --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Import even if not empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        if Edition.objects.exists() and not options["force"]:
            self.stdout.write("archive already has editions; samples not loaded")
            return
        folder = Path(settings.SAMPLES_DIR)
        for path in sample_pages(folder):
            run = page_import(data=page_read(path), source=f"sample {path.name}")
            self.stdout.write(f"{path.name}: {run.outcome} {run.error}".rstrip())


def sample_pages(folder: Path) -> list[Path]:
    """The pages listed in the folder's ``samples.txt``, in its order, else every page.

    The bundled folder is also the parser's era corpus, which holds pages no archive
    should contain (LWN's search page, a section index: the parser refuses them), so
    it names the pages that make a good first archive. A folder of one's own
    (``LWNKB_SAMPLES_DIR``) needs no list.
    """
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return local_pages(folder)
    names = [
        line.strip()
        for line in manifest.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise CommandError(f"{manifest} names pages that are not there: {', '.join(missing)}")
    return [folder / name for name in names]

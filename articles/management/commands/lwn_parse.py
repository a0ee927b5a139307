"""``manage.py lwn_parse PATH [--url URL]``: print one saved LWN page as JSON.

A debugging aid for the parser: no database, no network. Exit status 2 with
a one-line reason when the file is missing, unreadable, not an LWN page, or
past the limits imports keep (``LWNKB_MAX_PAGE_BYTES``, ``LWNKB_PARSE_TIME_LIMIT``),
so a hostile page cannot hang it or fill memory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.lwn import LWNParseError, to_json_dict
from articles.services.parse_limits import page_parse_limited
from articles.services.sources import SourceError, page_read

# The usage-error status, so scripts can tell "bad input" from a crash.
EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Parse a saved LWN page (.html or .html.gz) and print the result as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A saved page; a .gz file is decompressed.")
        parser.add_argument(
            "--url", default=None, help="Where the page came from; its /Articles/N/ id wins."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            page = page_parse_limited(page_read(path), url=options["url"])
        except SourceError as exc:  # its message names the file
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc
        except LWNParseError as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise CommandError(f"{path}: {reason}", returncode=EXIT_BAD_INPUT) from exc
        self.stdout.write(json.dumps(to_json_dict(page), ensure_ascii=False, indent=2))

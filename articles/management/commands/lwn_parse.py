"""``manage.py lwn_parse PATH [--url URL]``: print one saved LWN page as JSON.

A debugging aid for the parser: no database, no network. Exit status 2 with
a one-line reason when the file is missing, unreadable or not an LWN page.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.lwn import LWNParseError, parse_page, to_json_dict

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
            data = _read(path)
            page = parse_page(data, url=options["url"])
        except (OSError, EOFError, zlib.error, LWNParseError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise CommandError(f"{path}: {reason}", returncode=EXIT_BAD_INPUT) from exc
        self.stdout.write(json.dumps(to_json_dict(page), ensure_ascii=False, indent=2))


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    # Trust the magic bytes rather than the suffix: saved pages get renamed.
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    return data

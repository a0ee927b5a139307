"""``manage.py lwn_stats [--json]``: what the archive holds."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles.selectors.imports import archive_stats


class Command(BaseCommand):
    help = "Print counts of editions, articles, comments, releases, entities and import runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = archive_stats()
        if options["json"]:
            self.stdout.write(json.dumps(stats, sort_keys=True))
            return
        rows: list[tuple[str, int]] = []
        for key, value in stats.items():
            label = key.replace("_", " ")
            if isinstance(value, dict):
                rows.append((label, sum(value.values())))
                rows.extend((f"  {sub}", n) for sub, n in value.items())
            else:
                rows.append((label, value))
        width = max(len(label) for label, _ in rows)
        for label, number in rows:
            self.stdout.write(f"{label:<{width}}  {number:>8}")

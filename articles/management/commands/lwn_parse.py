"""``manage.py lwn_parse PATH [--url URL]``: print one saved LWN page as JSON;
``manage.py lwn_parse --check FOLDER [--json]``: parse every saved page below a folder
and report pages by kind and layout, warnings by code, and the pages refused.

A debugging aid for the parser: no database, no network. One page: exit status 2
with a one-line reason when the file is missing, unreadable, not an LWN page, or
past the limits imports keep (``LWNKB_MAX_PAGE_BYTES``, ``LWNKB_PARSE_TIME_LIMIT``),
so a hostile page cannot hang it or fill memory. ``--check``: exit status 0 when
every page parsed (warnings or not), 1 when some were refused, 2 when the folder
does not exist.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.lwn import WARNING_CODES, LWNParseError, ParseWarning, to_json_dict
from articles.management.progress import Progress
from articles.services.parse_limits import page_parse_limited
from articles.services.sources import SourceError, local_pages, page_read

# The usage-error status, so scripts can tell "bad input" from a crash.
EXIT_BAD_INPUT = 2
# --check: some pages were refused (the report says which and why).
EXIT_REFUSED = 1


@dataclass
class CheckReport:
    """What ``--check`` found in a folder."""

    folder: str
    pages: int = 0
    by_kind_layout: Counter[tuple[str, str]] = field(default_factory=Counter)
    warnings: dict[str, list[tuple[str, ParseWarning]]] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def page_parsed(self, path: str, kind: str, layout: str, found: list[ParseWarning]) -> None:
        self.by_kind_layout[(kind, layout)] += 1
        for warning in found:
            self.warnings.setdefault(warning.code, []).append((path, warning))

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "pages": self.pages,
            "parsed": self.pages - len(self.refused),
            "by_kind_layout": [
                {"page_kind": kind, "layout": layout, "pages": n}
                for (kind, layout), n in sorted(self.by_kind_layout.items())
            ],
            "warnings": [
                {
                    "code": code,
                    "description": WARNING_CODES.get(code, ""),
                    "count": len(found),
                    "pages": len({path for path, _ in found}),
                    "found": [
                        {"path": path, "where": w.where, "message": w.message} for path, w in found
                    ],
                }
                for code, found in sorted(self.warnings.items())
            ],
            "refused": [{"path": path, "reason": reason} for path, reason in self.refused],
        }


class Command(BaseCommand):
    help = (
        "Parse a saved LWN page (.html or .html.gz) and print the result as JSON; with "
        "--check FOLDER, parse every page below FOLDER and report kinds, warnings and refusals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="A saved page (a .gz file is decompressed); with --check, a folder."
        )
        parser.add_argument(
            "--url", default=None, help="Where the page came from; its /Articles/N/ id wins."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Parse every page below PATH and print a report instead of the JSON of one.",
        )
        parser.add_argument(
            "--json", action="store_true", help="With --check: the report as JSON on stdout."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if options["check"]:
            if options["url"]:
                raise CommandError(
                    "--url names one page; --check reads many", returncode=EXIT_BAD_INPUT
                )
            self._check(path, as_json=options["json"])
            return
        if options["json"]:
            raise CommandError(
                "--json goes with --check (one page is always JSON)", returncode=EXIT_BAD_INPUT
            )
        try:
            page = page_parse_limited(page_read(path), url=options["url"])
        except SourceError as exc:  # its message names the file
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc
        except LWNParseError as exc:
            raise CommandError(f"{path}: {_reason(exc)}", returncode=EXIT_BAD_INPUT) from exc
        self.stdout.write(json.dumps(to_json_dict(page), ensure_ascii=False, indent=2))

    def _check(self, folder: Path, *, as_json: bool) -> None:
        try:
            files = local_pages(folder)
        except SourceError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc
        report = CheckReport(folder=str(folder), pages=len(files))
        progress = Progress(self.stderr, len(files) or None, label="check ")
        for file in files:
            name = str(file)
            try:
                page = page_parse_limited(page_read(file))
            except SourceError as exc:  # its message names the file already
                report.refused.append((name, str(exc).removeprefix(f"{file}: ")))
                progress.step(f"{name}: refused")
                continue
            except LWNParseError as exc:
                report.refused.append((name, _reason(exc)))
                progress.step(f"{name}: refused")
                continue
            report.page_parsed(name, page.page_kind, page.layout, list(page.warnings))
            progress.step(f"{name}: {len(page.warnings)} warning(s)")
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self._print_report(report)
        if report.refused:
            raise CommandError(
                f"{len(report.refused)} of {report.pages} page(s) refused", returncode=EXIT_REFUSED
            )

    def _print_report(self, report: CheckReport) -> None:
        out = self.stdout.write
        parsed = report.pages - len(report.refused)
        out(
            f"{report.pages} page(s) under {report.folder}: {parsed} parsed, "
            f"{len(report.refused)} refused"
        )
        out("")
        out("Pages by kind and layout")
        _table(
            out,
            ["kind", "layout", "pages"],
            [[kind, layout, str(n)] for (kind, layout), n in sorted(report.by_kind_layout.items())],
        )
        out("")
        total = sum(len(found) for found in report.warnings.values())
        out(f"Warnings by code ({total})")
        _table(
            out,
            ["code", "count", "pages", "description", "first at"],
            [
                [
                    code,
                    str(len(found)),
                    str(len({path for path, _ in found})),
                    WARNING_CODES.get(code, ""),
                    f"{found[0][0]} ({found[0][1].where})",
                ]
                for code, found in sorted(report.warnings.items())
            ],
        )
        if report.refused:
            out("")
            out(f"Refused pages ({len(report.refused)})")
            _table(out, ["path", "reason"], [[path, reason] for path, reason in report.refused])


def _reason(exc: LWNParseError) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _table(out: Callable[[str], object], header: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell (the last one is not), or "(none)"."""
    if not rows:
        out("  (none)")
        return
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out("  " + "  ".join([*cells, row[-1]]).rstrip())

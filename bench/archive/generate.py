"""The walk: build one edition's model at a time, write its pages, count them.

Memory stays flat: an edition (about 40 items and 600 comments) is the most ever
held, and the manifest is counters only.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import IO

from . import pages, shape
from .model import Article, Edition, Ids, People, build_edition

DEFAULT_SEED = 18
GENERATOR_VERSION = 2  # 2: whole merge windows below scale 1.0
HOME_ITEMS = 20

# Called with (path relative to the output folder, page kind, the model it renders).
Observer = Callable[[str, str, "Edition | Article | list[Article]"], None]


def generate(
    out: Path,
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    progress: IO[str] | None = None,
    observer: Observer | None = None,
) -> dict[str, object]:
    """Write the archive under *out* and return its manifest (also written as
    ``manifest.json``)."""
    plan = shape.Shape.at(scale)
    people = People(seed, plan.commenters)
    ids = Ids(plan.id_stride)
    weeks = plan.edition_weeks()
    # Each merge-window article goes in the first edition written on or after its week.
    pending = list(plan.merge_window_parts())
    counts: Counter[str] = Counter()
    releases: set[str] = set()
    started = time.monotonic()
    last_edition: Edition | None = None
    out.mkdir(parents=True, exist_ok=True)

    def write(relative: str, kind: str, layout: str, data: bytes, model: object) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        counts[f"pages.{kind}"] += 1
        counts[f"layouts.{layout}"] += 1
        counts["bytes"] += len(data)
        if observer is not None:
            observer(relative, kind, model)  # type: ignore[arg-type]

    for number, week in enumerate(weeks, 1):
        date = shape.edition_date(week)
        due = [(v, p) for v, p, d in pending if d <= date]
        pending = [(v, p, d) for v, p, d in pending if d > date]
        edition = build_edition(seed=seed, week=week, ids=ids, people=people, merge_windows=due)
        layout = shape.layout_for(date.year)
        folder = f"{date.year}"
        write(
            f"{folder}/edition-{date.isoformat()}.html",
            "edition",
            layout,
            pages.edition_page(edition),
            edition,
        )
        counts["editions"] += 1
        for article in edition.articles:
            counts[f"articles.{article.kind}"] += 1
            relative = f"{folder}/articles/{article.lwn_id}.html"
            if article.subscriber_only:
                write(
                    relative,
                    "subscription_required",
                    shape.layout_for(article.year),
                    pages.subscription_page(article),
                    article,
                )
            else:
                write(
                    relative,
                    "article",
                    shape.layout_for(article.year),
                    pages.article_page(article),
                    article,
                )
                counts["comments"] += len(article.comments)
                counts["max_thread"] = max(counts["max_thread"], len(article.comments))
                depth = max((c.depth for c in article.comments), default=0)
                counts["max_depth"] = max(counts["max_depth"], depth)
            window = article.merge_window
            if window is not None:
                counts["merge_windows"] += 1
                releases.add(window.version)
                counts["merge_items"] += sum(len(items) for _, items in window.groups)
                counts["devices"] += sum(len(devices) for _, devices in window.hardware)
        last_edition = edition
        if progress is not None:
            elapsed = time.monotonic() - started
            progress.write(
                f"\r{number}/{len(weeks)} editions, {counts['comments']} comments, "
                f"{counts['bytes'] / 1e6:.0f} MB, {elapsed:.0f} s"
            )
            progress.flush()
    assert last_edition is not None
    newest = sorted(last_edition.articles, key=lambda a: (a.date, a.lwn_id), reverse=True)
    home = newest[:HOME_ITEMS]
    write(
        "index.html",
        "frontpage",
        shape.layout_for(shape.LAST_EDITION.year),
        pages.home_page(home),
        home,
    )
    if progress is not None:
        progress.write("\n")
    manifest = _manifest(plan, seed, counts, releases)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _manifest(
    plan: shape.Shape, seed: int, counts: Counter[str], releases: set[str]
) -> dict[str, object]:
    def group(prefix: str) -> dict[str, int]:
        return {
            k.removeprefix(prefix): v for k, v in sorted(counts.items()) if k.startswith(prefix)
        }

    articles = group("articles.")
    return {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "scale": plan.scale,
        "editions": counts["editions"],
        "articles": sum(articles.values()),
        "articles_by_kind": articles,
        "comments": counts["comments"],
        "largest_thread": counts["max_thread"],
        "deepest_comment": counts["max_depth"],
        "releases": len(releases),
        "merge_window_articles": counts["merge_windows"],
        "merge_items": counts["merge_items"],
        "devices": counts["devices"],
        "pages": sum(group("pages.").values()),
        "pages_by_kind": group("pages."),
        "pages_by_layout": group("layouts."),
        "bytes": counts["bytes"],
    }


def main_progress() -> IO[str]:
    return sys.stderr

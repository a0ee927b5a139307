"""How fast the server-rendered pages are, against the same data as JSON.

In a scratch PostgreSQL database: an article with 500 comments (threaded up
to six deep), the 5.8 release page from the fixture edition, and the pages
with pictures (home, an entity, an author) over the fixture edition plus a
spread of editions across the years. Each page is rendered through the Django
test client repeatedly; the baseline is the same data as JSON through the API
(the article detail plus its comment tree, the release detail, the editions
list and the release list, the entity detail, the author's articles). Reports
median render times and their ratios.
Writes ``var/bench/pages.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scratch import fresh_database  # noqa: E402

BENCH_DB = "lwnkb_bench_pages"
RESULT = ROOT / "var" / "bench" / "pages.json"
ROUNDS = 15
COMMENTS = 500
YEARS = 12  # editions with a feature each, one a month back from the fixture's


def median_ms(client: object, path: str) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return statistics.median(times) * 1000


def main() -> int:
    os.environ["LWNKB_DATABASE_URL"] = fresh_database(BENCH_DB)
    os.environ.setdefault("LWNKB_DEBUG", "false")
    os.environ.setdefault("LWNKB_SECRET_KEY", "bench-" + "k" * 50)
    os.environ.setdefault("LWNKB_ALLOWED_HOSTS", "testserver")
    os.environ["LWNKB_SSL_REDIRECT"] = "false"
    os.environ["LWNKB_LOG_LEVEL"] = "warning"
    # Measure rendering, not the API's short response cache.
    os.environ["LWNKB_API_CACHE_SECONDS"] = "0"
    # Hundreds of requests a minute from one address: measure pages, not the throttle.
    os.environ["LWNKB_API_RATE_ANON"] = ""
    os.environ["LWNKB_DATA_DIR"] = str(ROOT / "var" / "bench" / "pages-data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lwnkb.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article, ArticleAuthor, Author, Comment, Edition, Entity, Mention
    from articles.services.ingest import page_import
    from articles.services.linking import entities_link_for_import

    call_command("migrate", verbosity=0)
    fixture = ROOT / "tests" / "fixtures" / "lwn" / "edition-2020-06-11-bigpage.html"
    run = page_import(
        data=fixture.read_bytes(), source="bench", url="https://lwn.net/Articles/822335/bigpage"
    )
    entities_link_for_import(run=run)
    Article.objects.update(subscriber_only=False)
    # A spread of editions over the years, for the pictures of the home, entity and
    # author pages: a feature each by one author, naming faccessat2() and CAP_BPF.
    corbet = Author.objects.get(name="Jonathan Corbet")
    named = list(Entity.objects.filter(name__in=("faccessat2", "CAP_BPF")))
    for n in range(YEARS * 12):
        edition = Edition.objects.create(
            lwn_id=7_000_000 + n,
            date=dt.date(2020, 6, 4) - dt.timedelta(days=30 * (n + 1)),
            title=f"Bench edition {n}",
        )
        feature = Article.objects.create(
            edition=edition,
            lwn_id=7_100_000 + n,
            kind="feature",
            title=f"Bench feature {n}",
            date=edition.date,
            body_text="faccessat2() and CAP_BPF once more. " * 40,
        )
        ArticleAuthor.objects.create(article=feature, author=corbet)
        for entity in named:
            Mention.objects.create(entity=entity, article=feature, sentence="faccessat2()")
    article = Article.objects.get(lwn_id=821729)
    posted = dt.datetime(2020, 6, 8, 12, tzinfo=dt.UTC)
    parents: list[Comment | None] = [None]
    for n in range(COMMENTS):
        parent = parents[-1] if n % 4 else None  # threads of four, up to six deep
        comment = Comment.objects.create(
            lwn_id=9_000_000 + n,
            article=article,
            parent=parent,
            thread_position=n,
            depth=(parent.depth + 1) if parent else 0,
            title=f"Comment {n}",
            poster_name=f"reader{n % 37}",
            poster_role="subscriber",
            posted_at=posted + dt.timedelta(minutes=n),
            body_html=f"<p>CAP_PERFMON and faccessat2() again, comment {n}.</p>",
            body_text=f"CAP_PERFMON and faccessat2() again, comment {n}.",
        )
        parents = [comment] if parent is None else [*parents, comment][-6:]

    client = Client()
    cases = {
        "article page, 500 comments": (
            "/articles/821729/",
            ["/api/v1/articles/821729/", "/api/v1/articles/821729/comments/"],
        ),
        "release page 5.8": ("/releases/5.8/", ["/api/v1/releases/5.8/"]),
        "home page": ("/", ["/api/v1/editions/", "/api/v1/releases/"]),
        "entity page faccessat2": (
            "/entities/syscall/faccessat2/",
            ["/api/v1/entities/syscall/faccessat2/"],
        ),
        "author page": (
            "/authors/Jonathan%20Corbet/",
            ["/api/v1/articles/?author=Jonathan%20Corbet"],
        ),
    }
    results = {}
    for name, (html_path, json_paths) in cases.items():
        html = median_ms(client, html_path)
        as_json = sum(median_ms(client, path) for path in json_paths)
        results[name] = {
            "html_median_ms": round(html, 2),
            "json_median_ms": round(as_json, 2),
            "ratio_html_to_json": round(html / as_json, 2),
        }
        print(f"{name}: HTML {html:.1f} ms, JSON {as_json:.1f} ms, ratio {html / as_json:.2f}")
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

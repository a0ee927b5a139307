"""Import from lwn.net: an edition with its features' comment pages, one article, or the
home page with the own pages of its headlines.

Everything goes through the polite fetcher (rate limit, cache, conditional
GET) and then through ``page_import`` like a local file.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator

from articles.lwn import LWNParseError
from articles.lwn.archive import parse_archive
from articles.models import Article, ArticleKind, ImportOutcome, ImportRun
from articles.services.enqueue import BROKER_ERRORS, task_enqueue
from articles.services.fetch.client import LWNFetcher
from articles.services.fetch.types import FetchNotFound, FetchRefused, FetchResult, FetchTooLarge
from articles.services.ingest import fetch_failure_record, page_import
from articles.services.parse_limits import page_parse_limited

logger = logging.getLogger("lwnkb.ingest")

_ID_IN_URL = re.compile(r"/Articles/(\d+)")
Progress = Callable[[ImportRun], None]
# Failures that asking again will not cure: each leaves a failed ImportRun with the
# reason, where transient ones (FetchUnavailable) propagate so a task can retry.
PERMANENT_FETCH_ERRORS = (FetchNotFound, FetchRefused, FetchTooLarge)


def _id_from(url: str) -> int | None:
    match = _ID_IN_URL.search(url)
    return int(match.group(1)) if match else None


def _import_result(result: FetchResult, *, source: str) -> ImportRun:
    return page_import(data=result.content, source=source, url=result.url)


def edition_import_remote(
    *,
    fetcher: LWNFetcher,
    lwn_id: int,
    with_comments: bool = True,
    progress: Progress | None = None,
) -> list[ImportRun]:
    """Import edition ``lwn_id`` from its one-big-page form, then each feature's page."""
    url = fetcher.bigpage_url(lwn_id)
    try:
        runs = [_import_result(fetcher.fetch(url), source=url)]
    except PERMANENT_FETCH_ERRORS as exc:
        runs = [fetch_failure_record(source=url, error=str(exc))]
    if progress:
        progress(runs[0])
    if with_comments and runs[0].outcome != "failed":
        for article_id in feature_ids(runs[0]):
            runs.append(article_import_remote(fetcher=fetcher, lwn_id=article_id))
            if progress:
                progress(runs[-1])
    return runs


def feature_ids(run: ImportRun) -> list[int]:
    """LWN ids of the features and guest articles of the edition ``run`` imported."""
    if run.edition is None:
        return []
    ids = run.edition.articles.filter(
        kind__in=[ArticleKind.FEATURE, ArticleKind.GUEST], lwn_id__isnull=False
    ).values_list("lwn_id", flat=True)
    return [i for i in ids if i is not None]


def article_import_remote(*, fetcher: LWNFetcher, lwn_id: int) -> ImportRun:
    """Import one article page (with its comments); a paywalled one is recorded as such.

    A page that does not exist, may not be fetched or is too large leaves a failed
    ImportRun; transient failures (``FetchUnavailable``) propagate so a task can retry.
    """
    url = fetcher.article_url(lwn_id)
    try:
        result = fetcher.fetch(url)
    except PERMANENT_FETCH_ERRORS as exc:
        return fetch_failure_record(source=url, error=str(exc))
    return _import_result(result, source=url)


def source_import_remote(
    *, fetcher: LWNFetcher, source: str, progress: Progress | None = None
) -> list[ImportRun]:
    """Import an lwn.net URL or an LWN id, whether it names an edition or an article."""
    url = fetcher.resolve_source(source)
    if url.rstrip("/").endswith("/bigpage"):
        lwn_id = _id_from(url)
        if lwn_id is not None:
            return edition_import_remote(fetcher=fetcher, lwn_id=lwn_id, progress=progress)
    result = fetcher.fetch(url)
    lwn_id = _id_from(result.url)
    if lwn_id is not None and not result.subscriber_only:
        try:
            kind = page_parse_limited(result.content, url=result.url).page_kind
        except LWNParseError:
            kind = "article"  # let page_import record the failure with its reason
        if kind == "edition":
            return edition_import_remote(fetcher=fetcher, lwn_id=lwn_id, progress=progress)
    run = _import_result(result, source=source)
    if progress:
        progress(run)
    return [run]


def current_edition_id(*, fetcher: LWNFetcher) -> int:
    """``/current/`` redirects to the newest edition's ``/Articles/<id>/``."""
    result = fetcher.fetch(fetcher.current_url(), max_age=0)
    lwn_id = _id_from(result.url)
    if lwn_id is None:
        raise LWNParseError(f"/current/ did not lead to an edition (ended at {result.url})")
    return lwn_id


def editions_since(*, fetcher: LWNFetcher, since: dt.date) -> Iterator[int]:
    """LWN ids of editions dated ``since`` or later, oldest first, from ``/Archives/``."""
    result = fetcher.fetch(fetcher.archive_url(), max_age=3600)
    entries = [e for e in parse_archive(result.content) if e.date >= since]
    for entry in sorted(entries, key=lambda e: e.date):
        yield entry.lwn_id


def frontpage_import_remote(*, fetcher: LWNFetcher) -> ImportRun:
    """Import the lwn.net home page; it is revalidated on every call (conditional GET)."""
    url = fetcher.home_url()
    try:
        result = fetcher.fetch(url, max_age=0)
    except PERMANENT_FETCH_ERRORS as exc:
        return fetch_failure_record(source=url, error=str(exc))
    return _import_result(result, source=url)


def teaser_ids(run: ImportRun) -> list[int]:
    """LWN ids of the headlines that home-page import ``run`` left as teasers, newest first.

    Their own text is not stored yet. Headlines already stored from their own page
    or an edition are not among them: the daily comment refresh keeps those current.
    Empty for any other page (editions and article pages store no teasers).
    """
    if run.outcome == ImportOutcome.FAILED:
        return []
    ids = (
        Article.objects.written_by(run)
        .filter(teaser=True, lwn_id__isnull=False)
        .order_by("-lwn_id")
        .values_list("lwn_id", flat=True)
    )
    return [i for i in ids if i is not None]


def pages_queue(*, lwn_ids: list[int], progress: Callable[[int], None] | None = None) -> int:
    """Queue an import of each article's own page (``refresh_comments``); return how many.

    One task per page, as an edition queues its features' pages: the fetcher's rate
    limit spaces them, and a slow or missing page fails alone. Without a broker the
    tasks run inline, one after another. Call it after the import that found the ids
    has committed. A broker outage stops the queueing with a warning; the next
    home-page import queues the pages still missing.
    """
    queued = 0
    for lwn_id in lwn_ids:
        try:
            task_enqueue("articles.tasks.refresh_comments", lwn_id)
        except BROKER_ERRORS as exc:
            logger.warning(
                "%d article pages not queued (broker unavailable: %s); the next home-page "
                "import queues them",
                len(lwn_ids) - queued,
                exc,
            )
            break
        queued += 1
        if progress:
            progress(lwn_id)
    return queued


def frontpage_refresh(*, fetcher: LWNFetcher) -> tuple[ImportRun, int]:
    """Import the home page, then queue the own page of each headline left as a teaser.

    Returns the home page's import run and how many pages were queued.
    """
    run = frontpage_import_remote(fetcher=fetcher)
    return run, pages_queue(lwn_ids=teaser_ids(run))

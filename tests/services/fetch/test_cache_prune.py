"""The fetch cache forgets pages nobody fetched for a long time, once a day at most."""

from __future__ import annotations

import io
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from articles.services.fetch import LWNFetcher
from articles.services.fetch.cache import PRUNE_MARKER, FetchCache

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
OLD, RECENT = "https://lwn.net/Articles/1/", "https://lwn.net/Articles/2/"


def _cache_with_two_pages(root: Path) -> FetchCache:
    cache = FetchCache(root)
    for url, age in ((OLD, timedelta(days=100)), (RECENT, timedelta(days=10))):
        cache.store(
            url,
            final_url=url,
            status=200,
            content=b"<html>" + url.encode() + b"</html>",
            etag='"v1"',
            last_modified=None,
            now=NOW - age,
        )
    return cache


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != PRUNE_MARKER)


def test_it_removes_entries_older_than_the_horizon_and_keeps_the_rest(tmp_path: Path) -> None:
    cache = _cache_with_two_pages(tmp_path)
    before = sum(p.stat().st_size for p in _files(tmp_path))

    report = cache.prune(timedelta(days=90), now=NOW)

    assert report.entries == 1
    assert cache.load(OLD) is None
    assert cache.load(RECENT) is not None
    assert report.bytes_freed == before - sum(p.stat().st_size for p in _files(tmp_path))
    assert len(_files(tmp_path)) == 2  # the recent page's meta and body


def test_it_removes_damaged_entries_and_old_leftovers_of_interrupted_writes(
    tmp_path: Path,
) -> None:
    cache = _cache_with_two_pages(tmp_path)
    folder = next(p.parent for p in _files(tmp_path))
    (folder / ("0" * 64 + ".json")).write_text("{not json")
    orphan = folder / ("1" * 64 + ".body.gz")
    leftover = folder / ".tmp-abc.json"
    fresh_leftover = folder / ".tmp-def.json"  # a writer may still be busy with it
    for path in (orphan, leftover, fresh_leftover):
        path.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    for path in (orphan, leftover):
        os.utime(path, (two_days_ago, two_days_ago))

    report = cache.prune(timedelta(days=365))

    assert report.entries == 1  # the damaged one; both pages are younger than a year
    assert not orphan.exists()
    assert not leftover.exists()
    assert fresh_leftover.exists()
    assert cache.load(OLD) is not None


def test_it_prunes_at_most_once_a_day_whoever_asks(tmp_path: Path) -> None:
    cache = _cache_with_two_pages(tmp_path)

    cache.prune_if_due(timedelta(days=0))  # due: no marker yet
    assert cache.load(OLD) is None
    assert cache.load(RECENT) is None

    _cache_with_two_pages(tmp_path)
    FetchCache(tmp_path).prune_if_due(timedelta(days=0))  # another process, same folder
    assert cache.load(OLD) is not None  # not due again within the day

    marker = tmp_path / PRUNE_MARKER
    a_day_ago = time.time() - 86401
    os.utime(marker, (a_day_ago, a_day_ago))
    cache.prune_if_due(timedelta(days=0))
    assert cache.load(OLD) is None


def test_fetchers_built_from_settings_prune_their_cache(tmp_path: Path) -> None:
    cache = _cache_with_two_pages(tmp_path)

    with (
        override_settings(FETCH_CACHE_DIR=tmp_path, FETCH_CACHE_DAYS=30),
        LWNFetcher.from_settings(),
    ):
        pass

    assert cache.load(OLD) is None
    assert cache.load(RECENT) is not None


def test_the_command_prunes_now_and_says_what_it_freed(tmp_path: Path) -> None:
    _cache_with_two_pages(tmp_path)
    out = io.StringIO()

    with override_settings(FETCH_CACHE_DIR=tmp_path):
        call_command("lwn_prune_cache", "--older-than", "0", stdout=out)

    assert out.getvalue().startswith("removed 2 cached page(s), 0.0 MB, older than 0 day(s)")
    assert not _files(tmp_path)


def test_the_command_refuses_a_negative_age(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("lwn_prune_cache", "--older-than", "-1")
    assert caught.value.returncode == 2

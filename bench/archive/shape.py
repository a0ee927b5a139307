"""The archive's shape: how many of everything at a scale, and which era a year is in.

At ``scale`` 1.0 the archive has one edition per week from the first Thursday of
1998 to ``LAST_EDITION``; a smaller scale keeps every edition full-size but spreads
fewer of them evenly over the same 29 years, so per-edition and per-thread figures
(items per edition, comments per thread, devices per merge window) are the same at
every scale and the totals shrink in proportion.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Literal

Layout = Literal["table", "grid", "modern"]
CommentMarkup = Literal["bare", "formatted", "details"]

FIRST_EDITION = dt.date(1998, 1, 1)  # a Thursday, like every edition day
# "Today" of the generated archive: fixed, so the output never depends on the clock.
LAST_EDITION = dt.date(2026, 11, 26)
WEEKS = (LAST_EDITION - FIRST_EDITION).days // 7 + 1  # 1,509 editions at scale 1.0
MIN_EDITIONS = 6  # enough, spread over 29 years, to reach every layout and markup

# Per edition at every scale: ~40 items (60,000 over 1,509 editions).
FEATURES_PER_EDITION = (7, 11)
GUESTS_PER_EDITION = (0, 3)
BRIEFS_PER_EDITION = (24, 32)
# Thread sizes: log-normal, capped. Features: median 22, mean ~49, ~0.6% over 500;
# briefs: median 2. Together ~590 comments per edition, ~900,000 at scale 1.0.
FEATURE_THREAD = (math.log(22), 1.27)
BRIEF_THREAD = (math.log(2.0), 1.0)
MAX_THREAD = 1_500
MAX_DEPTH = 40
# A reply starts a back-and-forth 4% of the time, which goes on 88% of the time: most
# threads stay shallow, threads of a few hundred reach depth 20-35, the longest 40.
ARGUMENT_STARTS = 0.04
ARGUMENT_GOES_ON = 0.88
# Merge windows: parts 1 and 2 of every release from 2.6.13; ~50 items each (~100
# per release), of which ~9 hardware categories holding ~90 devices per part.
MERGE_ITEMS = (40, 60)
HARDWARE_CATEGORIES = (7, 11)
DEVICES_PER_CATEGORY = (6, 14)
# People: staff write features and briefs; guest authors ~300; commenters tens of
# thousands at scale 1.0 (never fewer than 200, so small archives still have variety).
GUEST_AUTHORS = 300
COMMENTERS = 40_000
MIN_COMMENTERS = 200
# IDs: the gap between two consecutive LWN ids grows as the scale shrinks, so ids
# cover LWN's real range (6 digits, 7 from about 2024) at every scale.
FIRST_ID = 10_000


@dataclass(frozen=True, slots=True)
class Shape:
    scale: float
    editions: int
    commenters: int
    releases: int  # each with both parts of its merge window
    id_stride: int

    @classmethod
    def at(cls, scale: float) -> Shape:
        if not 0 < scale <= 1:
            raise ValueError("scale must be in (0, 1]")
        return cls(
            scale=scale,
            editions=max(MIN_EDITIONS, round(WEEKS * scale)),
            commenters=max(MIN_COMMENTERS, round(COMMENTERS * scale)),
            releases=max(2, round(len(RELEASES) * scale)),
            id_stride=max(1, round(1 / scale)),
        )

    def edition_weeks(self) -> list[int]:
        """The week numbers (0 = the first Thursday of 1998) that get an edition."""
        if self.editions >= WEEKS:
            return list(range(WEEKS))
        last = WEEKS - 1
        return sorted({round(i * last / (self.editions - 1)) for i in range(self.editions)})

    def merge_window_parts(self) -> list[tuple[str, int, dt.date]]:
        """(version, part, week's edition date) of the merge-window articles written:
        all of them at scale 1.0; below, both parts of an even spread of releases, so a
        release page shows a whole merge window (~100 items) at every scale."""
        step = (len(RELEASES) - 1) / max(1, self.releases - 1)
        picked = sorted({round(i * step) for i in range(min(self.releases, len(RELEASES)))})
        return [
            (version, part, date)
            for version, first_week in (RELEASES[i] for i in picked)
            for part, date in ((1, first_week), (2, first_week + dt.timedelta(7)))
        ]


def edition_date(week: int) -> dt.date:
    return FIRST_EDITION + dt.timedelta(weeks=week)


def layout_for(year: int) -> Layout:
    if year <= 2016:
        return "table"
    if year <= 2023:
        return "grid"
    return "modern"


def comment_markup_for(year: int) -> CommentMarkup:
    if year < 2010:
        return "bare"
    if year <= 2023:
        return "formatted"
    return "details"


def charset_for(year: int) -> str:
    return "iso-8859-1" if year < 2010 else "utf-8"


def _releases() -> list[tuple[str, dt.date]]:
    """Every release from 2.6.13 (110), with the Thursday of its merge window's
    first week: spread evenly from August 2005 to the archive's last weeks."""
    versions = [f"2.6.{n}" for n in range(13, 40)]
    versions += [f"3.{n}" for n in range(20)] + [f"4.{n}" for n in range(21)]
    versions += [f"5.{n}" for n in range(20)] + [f"6.{n}" for n in range(19)]
    versions += [f"7.{n}" for n in range(3)]
    first = dt.date(2005, 6, 30)  # the Thursday of 2.6.13's merge window, near enough
    span = (LAST_EDITION - dt.timedelta(weeks=2) - first).days // 7
    return [
        (v, first + dt.timedelta(weeks=round(i * span / (len(versions) - 1))))
        for i, v in enumerate(versions)
    ]


RELEASES = _releases()


def thread_size(rng: random.Random, kind: str) -> int:
    mu, sigma = FEATURE_THREAD if kind != "brief" else BRIEF_THREAD
    return min(MAX_THREAD, int(rng.lognormvariate(mu, sigma)))

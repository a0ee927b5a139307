"""The pictures of each page: selector numbers in, :class:`articles.charts.Chart` out.

Views call one function here per page and render each chart with
``templates/articles/_chart.html`` (the SVG and its table of numbers).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.http import urlencode

from articles.charts import Bar, Chart, bar_list, columns, fill_years
from articles.models import Author, Entity, KernelRelease, Mention
from articles.models.kernel import parse_version
from articles.selectors import stats
from articles.selectors.entity_mentions import EntityCounts, entity_related
from articles.selectors.trends import entities_trending

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from articles.selectors.releases import ReleasePage

RELATED = 10


def _year_columns(
    counts: dict[int, int], *, marker_year: int | None = None, **kwargs: Any
) -> Chart:
    if marker_year is not None and counts:
        counts = {**counts, marker_year: counts.get(marker_year, 0)}
    years = fill_years(counts)
    marker = next((i for i, (year, _) in enumerate(years) if year == marker_year), None)
    return columns([Bar(str(year), n) for year, n in years], marker=marker, **kwargs)


def release_charts(page: ReleasePage, *, user: User | AnonymousUser) -> dict[str, Any]:
    """Items per group and devices per category (from the page's rows, no query) and the
    release among its neighbours (one query)."""
    release = page.release
    version = release.version
    hardware_list = reverse("articles:hardware-list")
    window = stats.release_window(release=release, user=user, releases=page.releases)
    current = next((point for point in window if point.current), None)
    return {
        "groups": bar_list(
            [Bar(group, len(items)) for group, items in page.groups],
            id="release-groups",
            title=f"Linux {version}: merge-window items per group",
            desc="One bar per group heading of the merge-window summaries, in their order.",
            unit="items",
            label_heading="Group",
        ),
        "hardware": bar_list(
            [
                Bar(
                    category,
                    len(devices),
                    href=f"{hardware_list}?{urlencode({'category': category, 'release': version})}",
                )
                for category, devices in page.hardware
            ],
            id="release-hardware",
            title=f"Linux {version}: hardware devices per category",
            desc="One bar per category; each links to the devices of that category.",
            unit="devices",
            label_heading="Category",
        ),
        "timeline": columns(
            [
                Bar(
                    point.version,
                    point.items,
                    href=reverse("articles:release-detail", args=[point.version]),
                    current=point.current,
                )
                for point in window
            ],
            id="release-timeline",
            title=f"Merge-window items per release, around Linux {version}",
            desc=f"Up to {stats.RELEASE_WINDOW} releases in order; Linux {version} is highlighted.",
            unit="items",
            label_heading="Release",
        ),
        "merge_window": current,
    }


def entity_charts(
    entity: Entity, *, user: User | AnonymousUser, counts: EntityCounts | None = None
) -> dict[str, Any]:
    """Mentions per year with the introduction marked (one query, none given ``counts``)
    and the entities named with it most (one query)."""
    introduced = entity.introduced_in
    marker_year = introduced.article.date.year if introduced and introduced.article.date else None
    release = entity.introduced_release
    related = entity_related(entity=entity, user=user, limit=RELATED, counts=counts)
    years = (
        counts.years
        if counts is not None
        else stats.mention_years(mentions=Mention.objects.filter(entity=entity).visible_to(user))
    )
    return {
        "years": _year_columns(
            years,
            marker_year=marker_year,
            marker_label=f"Linux {release.version}" if release else "",
            id="entity-years",
            title=f"Mentions of {entity.display_name} per year",
            desc="Texts naming it each year"
            + (
                f"; the dashed line marks {marker_year}, when Linux {release.version} "
                "introduced it."
                if marker_year and release
                else "."
            ),
            unit="mentions",
        ),
        "related": bar_list(
            [
                Bar(
                    f"{other.display_name} ({other.get_kind_display().lower()})",
                    other.shared,  # type: ignore[attr-defined]
                    href=other.get_absolute_url(),
                )
                for other in related
            ],
            id="entity-related",
            title=f"Entities named most often alongside {entity.display_name}",
            desc="Texts naming both; each bar links to the other entity's page.",
            unit="shared texts",
            label_heading="Entity",
        ),
    }


def _facet_bars(links: list[dict[str, Any]], *, key: Any) -> list[Bar]:
    ordered = sorted(links, key=key)
    return [Bar(link["label"], link["count"], link["url"], link["active"]) for link in ordered]


def _version_key(link: dict[str, Any]) -> tuple[int, int, int]:
    try:
        return parse_version(link["label"])
    except ValueError:
        return (0, 0, 0)


def _year_bars(links: list[dict[str, Any]]) -> list[Bar]:
    """The year facet's links in order, with the years between them as empty, unlinked bars."""
    by_year = {int(link["label"]): link for link in links}
    bars = []
    for year, _ in fill_years(dict.fromkeys(by_year, 0)):
        link = by_year.get(year)
        bars.append(
            Bar(str(year), link["count"], link["url"], link["active"])
            if link
            else Bar(str(year), 0)
        )
    return bars


def search_charts(facet_groups: list[dict[str, Any]]) -> dict[str, Chart]:
    """The year and release facets as columns whose bars are the facets' own links."""
    by_name = {group["name"]: group["links"] for group in facet_groups}
    charts: dict[str, Chart] = {}
    if by_name.get("year"):
        charts["year"] = columns(
            _year_bars(by_name["year"]),
            id="search-years",
            title="Results per year",
            desc="One column per year with results; each links to this search within that year.",
            unit="results",
        )
    if by_name.get("release"):
        charts["release"] = columns(
            _facet_bars(by_name["release"], key=_version_key),
            id="search-releases",
            title="Results per release",
            desc="One column per release with results; each links to this search in that release.",
            unit="results",
            label_heading="Release",
        )
    return charts


def home_charts(
    *, user: User | AnonymousUser, newest: dt.date | None, release: KernelRelease | None
) -> dict[str, Any]:
    """Editions per year (one query), the latest merge window's groups (one query) and the
    entities trending in the year up to the newest edition (two queries, more on the
    first request after a new edition)."""
    archive = reverse("articles:edition-archive")
    per_year = stats.editions_per_year()
    charts: dict[str, Any] = {
        "editions": columns(
            [Bar(str(year), n, href=f"{archive}?year={year}") for year, n in fill_years(per_year)],
            id="home-editions",
            title="Weekly editions per year",
            desc="One column per year; each links to that year's editions.",
            unit="editions",
        )
    }
    if release is not None:
        charts["merge_window"] = bar_list(
            [Bar(group, n) for group, n in stats.merge_window_groups(release=release, user=user)],
            id="home-merge-window",
            title=f"Linux {release.version}: merge-window items per group",
            desc="The latest merge window, one bar per group heading, largest first.",
            unit="items",
            label_heading="Group",
        )
    if newest is not None:
        trends = entities_trending(user=user, until=newest)
        charts["trending"] = bar_list(
            [Bar(f"{t.display_name} ({t.before} → {t.count})", t.rise, href=t.url) for t in trends],
            id="home-trending",
            title="Entities trending in the archive's last year",
            desc=f"Named in more articles in the year up to {newest:%B %-d, %Y} than in the "
            "year before; each bar is the increase and links to the entity.",
            unit="more articles",
            label_heading="Entity (year before → last year)",
        )
    return charts


def author_charts(author: Author, *, user: User | AnonymousUser) -> dict[str, Chart]:
    """Articles per year and the entities the author writes about most (a query each)."""
    return {
        "years": _year_columns(
            stats.author_years(author=author),
            id="author-years",
            title=f"Articles by {author.name} per year",
            desc="One column per year.",
            unit="articles",
        ),
        "entities": bar_list(
            [
                Bar(f"{e.display_name}", e.count, href=e.url)
                for e in stats.author_entities(author=author, user=user)
            ],
            id="author-entities",
            title=f"What {author.name} writes about most",
            desc="Entities named in the most of their articles; each links to the entity.",
            unit="articles",
            label_heading="Entity",
        ),
    }

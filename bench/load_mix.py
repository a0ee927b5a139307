"""The request mix of the load test, built from what the database holds.

Article pages, searches (the page and the API) and API lists in fixed shares,
over many distinct URLs (every loaded article and edition, each release, filters
by author and entity), so caches see a realistic spread rather than one hot URL.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

# Share of requests per kind of URL; the rest of the site gets the remainder.
SHARES = {"article page": 0.30, "search": 0.30, "api list": 0.30, "other page": 0.10}

# Ordinary words, phrases, kernel identifiers, prefixes and qualifiers, as people search.
SEARCHES = [
    "scheduler",
    "memory",
    "kernel",
    "filesystem",
    "security",
    "driver",
    '"merge window"',
    '"system call"',
    "io_uring",
    "CAP_PERFMON",
    "faccessat2()",
    "CONFIG_BPF_SYSCALL",
    "memory.swap.high",
    "capab*",
    "sched*",
    "type:article kernel",
    "type:comment patch",
    "type:merge driver",
    "type:hardware",
    "release:5.8",
    "release:>=5.10 memory",
    "title:kernel",
    "bpf -seccomp",
    "seccomp OR landlock",
    "after:2020-07-01 release",
]


def _q(path: str, **params: str | int) -> str:
    return f"{path}?{urlencode(params)}"


def build_mix(
    *,
    articles: list[int],
    editions: list[int],
    releases: list[str],
    authors: list[str],
    entities: list[tuple[str, str]],
    size: int = 4000,
    seed: int = 20200611,
) -> tuple[list[str], dict[str, int]]:
    """``size`` request paths in a shuffled order, and how many of each kind."""
    if not (articles and editions and releases):
        raise ValueError("the database holds no articles, editions or releases to request")
    rng = random.Random(seed)
    searches = SEARCHES + [name for _kind, name in entities[:40]]
    pools: dict[str, list[str]] = {
        "article page": [f"/articles/{n}/" for n in articles],
        "search": (
            [_q("/search/", q=s) for s in searches]
            + [_q("/api/v1/search/", q=s) for s in searches]
            + [_q("/search/", q=s, sort="date", page=2) for s in searches[:8]]
        ),
        "api list": [
            "/api/v1/articles/",
            "/api/v1/articles/?kind=feature",
            "/api/v1/articles/?ordering=title&page_size=100",
            "/api/v1/editions/",
            "/api/v1/editions/?year=2020",
            "/api/v1/releases/",
            "/api/v1/comments/",
            "/api/v1/entities/",
            "/api/v1/hardware/",
            "/api/v1/merge-window-items/",
            *(_q("/api/v1/articles/", edition=n) for n in editions),
            *(_q("/api/v1/comments/", article=n) for n in articles[:100]),
            *(_q("/api/v1/articles/", author=a) for a in authors),
            *(_q("/api/v1/hardware/", release=r) for r in releases),
            *(_q("/api/v1/merge-window-items/", release=r) for r in releases),
            *(_q("/api/v1/articles/", release_min=r) for r in releases),
            *(_q("/api/v1/entities/", kind=k) for k in sorted({k for k, _ in entities})),
            *(_q("/api/v1/articles/", entity=f"{k}:{n}") for k, n in entities[:40]),
        ],
        "other page": [
            "/",
            "/editions/?year=2020",
            "/releases/",
            "/entities/",
            "/hardware/",
            *(f"/editions/{n}/" for n in editions),
            *(f"/releases/{r}/" for r in releases),
            *(_q("/hardware/", release=r) for r in releases),
        ],
    }
    paths: list[str] = []
    counts: dict[str, int] = {}
    for kind, share in SHARES.items():
        count = round(size * share)
        counts[kind] = count
        pool = rng.sample(pools[kind], len(pools[kind]))
        # Every URL of a pool at least once when the pool is small enough, then at random.
        paths.extend(pool[i] if i < len(pool) else rng.choice(pool) for i in range(count))
    rng.shuffle(paths)
    return paths, counts

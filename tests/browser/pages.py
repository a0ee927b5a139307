"""Every page kind the browser checks visit, in one table, and the sample data they show.

The accessibility check, the screenshots and the phone-width check all read ``PAGES``:
add a row here when a page kind is added (the coordinator adds pages merged from other
branches, such as author pages, the same way).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_VERSION = "4.14.1"
AXE_SCRIPT = VENDOR / f"axe-core-{AXE_VERSION}.min.js"

# The fixture pages the browser tests import: the June 11, 2020 edition (big page),
# its brief items, two articles with comment threads (2020 and 2024 markup).
SAMPLE_PAGES = (
    "edition-2020-06-11-bigpage.html",
    "article-2020-capabilities-comments.html",
    "article-2024-details-comments.html",
    "brief-items-2020-06-11.html",
    "edition-2015-03-26-front.html",
)


@dataclass(frozen=True)
class PageKind:
    name: str  # also the screenshot's file name
    path: str
    staff: bool = False  # shown to staff only: the check logs in first
    long: bool = False  # screenshots keep to the first screens of a very long page


PAGES: tuple[PageKind, ...] = (
    PageKind("home", "/"),
    PageKind("edition-archive", "/editions/?year=2020"),
    PageKind("edition", "/editions/822335/", long=True),
    PageKind("article-comments", "/articles/821729/", long=True),
    PageKind("article-merge-window", "/articles/821534/", long=True),
    PageKind("article-2024-thread", "/articles/1006127/", long=True),
    PageKind("release-list", "/releases/"),
    PageKind("release", "/releases/5.8/", long=True),
    PageKind("hardware-list", "/hardware/"),
    PageKind("entity-list", "/entities/", long=True),
    PageKind("entity", "/entities/syscall/faccessat2/"),
    PageKind("search-results", "/search/?q=CAP_PERFMON", long=True),
    PageKind("search-empty", "/search/?q=zzyzxnothinghere"),
    PageKind("search-form", "/search/"),
    PageKind("import-status", "/imports/", staff=True),
    PageKind("author-list", "/authors/"),
    PageKind("author", "/authors/Jonathan%20Corbet/"),
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
SCHEMES = ("light", "dark")


def load_samples() -> None:
    """Import the sample pages into the (test) database and build the search index."""
    from articles import search
    from articles.models import Article
    from tests.services.conftest import import_fixture

    for name in SAMPLE_PAGES:
        run = import_fixture(name)
        assert run.outcome == "ok", (name, run.error)
    Article.objects.update(subscriber_only=False)  # all free since 2020
    assert search.index_rebuild() is not None


def staff_cookie(live_url: str) -> dict[str, Any]:
    """A session cookie of a staff user, for pages only staff may see."""
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(
        username="browser_staff", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return {"name": "sessionid", "value": session, "url": live_url}


def open_context(browser: Any, live_url: str, *, width: str, scheme: str, staff: bool) -> Any:
    """A browser context at one width and colour scheme, logged in as staff if asked.

    ``bypass_csp``: the site's CSP (rightly) refuses the inline script that injecting
    axe-core adds; the page's own scripts run as they would anyway.
    """
    context = browser.new_context(viewport=WIDTHS[width], color_scheme=scheme, bypass_csp=True)
    if staff:
        context.add_cookies([staff_cookie(live_url)])
    return context

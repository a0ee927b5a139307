"""An archive full of XSS payloads, built the way real data arrives.

LWN-shaped pages carry the payloads through the real import path
(``page_import``: parse, sanitise, store), in titles, bylines, section
headings, bodies, merge-window items, hardware lists and comments; a page
that fails to parse puts one into an import run's error. Entities, their
descriptions, aliases and mention sentences come from factories, since the
extractor never makes such names itself. Then linking runs and the search
index is built, so search pages show payloads in highlighted snippets.

The pages are our own words around the payloads (see tests/fixtures/lwn/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import factory

from articles import search
from articles.links import url_name
from articles.models import (
    Article,
    Author,
    Entity,
    EntityKind,
    ImportOutcome,
    ImportRun,
    KernelRelease,
    Mention,
    MentionStatus,
)
from articles.services.ingest import page_import
from articles.services.linking import entities_relink_all
from tests.lwn.pagebuilder import edition_bytes, feature, page_bytes
from tests.security.xss_payloads import BY_NAME, PAYLOADS, SET, Payload

EDITION_ID = 990001
FIRST_FEATURE = 990100
MERGE_ID = 990090
THREAD_ID = 990300
FIRST_COMMENT = 990400
RELEASE = "5.99"
# A word every hostile text carries, so one search finds them all.
WORD = "xsscanary"
SEARCH_PAGE = "/search/"
# Ends whatever a raw payload left open (a <style> or <textarea> would swallow the rest
# of the page as text, and the parser would never see the items after it).
CLOSE = "<!-- --></style></script></textarea></title></noscript></details></math></svg>"


class EntityFactory(factory.django.DjangoModelFactory[Entity]):
    class Meta:
        model = Entity
        django_get_or_create = ("kind", "name")

    kind = EntityKind.PROJECT
    name = factory.Sequence(lambda n: f"project{n}")


class MentionFactory(factory.django.DjangoModelFactory[Mention]):
    class Meta:
        model = Mention

    entity = factory.SubFactory(EntityFactory)
    status = MentionStatus.ACCEPTED


def _body(payload: Payload) -> str:
    """A feature body: the payload as markup, then as text, near a linkable identifier."""
    return (
        f"<p>The {WORD} feature calls <tt>faccessat2()</tt> here.</p>\n"
        f"{payload.text}{CLOSE}\n"
        f"<p>{WORD} quoted: {payload.escaped}</p>\n"
    )


def _merge_body() -> str:
    groups = "".join(
        f"<h4>{p.escaped}</h4>\n<ul><li>{WORD} {p.text}{CLOSE} and <tt>CAP_PERFMON</tt>.</li>"
        f"<li>{WORD} as text: {p.escaped}</li></ul>\n"
        for p in PAYLOADS[:12]
    )
    hardware = "".join(
        f"<li><b>{p.escaped}</b>: {WORD} {p.escaped} panels, and Foo {WORD} bridges.</li>"
        for p in PAYLOADS[12:20]
    )
    return (
        f"<p>The {RELEASE} merge window opened with {WORD} changes.</p>\n"
        f"{groups}<h4>Hardware support</h4>\n<ul>{hardware}</ul>\n"
    )


def edition_page() -> bytes:
    """A big-page edition: one feature per payload, its title and author the payload."""
    features = "".join(
        feature(
            FIRST_FEATURE + n,
            f"{p.escaped} {WORD}",
            author=p.escaped,
            body=_body(p),
        )
        for n, p in enumerate(PAYLOADS)
    )
    hostile_section = PAYLOADS[0]
    return edition_bytes(
        '<p class="Cat1HL">Front page</p>\n'
        + feature(MERGE_ID, f"{RELEASE} Merge window, part 1", body=_merge_body())
        + features
        + f'<p class="Cat1HL">{hostile_section.escaped}</p>\n'
        # No LWN id in its link: the link itself becomes the item's URL.
        + f'<h2 class="SummaryHL"><a href="javascript:{SET}">A hostile link {WORD}</a></h2>\n'
        + f"<p>{WORD} brief.</p>\n"
        + feature(FIRST_FEATURE + len(PAYLOADS), f"Under a hostile heading {WORD}"),
        date="July 2, 2020",
    )


_OLD_COMMENT = (
    '<a name="CommAnchor{id}"></a>\n<div class="CommentBox">\n'
    '<p class="CommentTitle">{title}</p>\n<div class="CommentBody">\n'
    '<p class="CommentPoster">Posted Jul 3, 2020 15:12 UTC (Fri) by <b>{poster}</b> '
    "(subscriber, #1)</p>\n"
    '<div class="FormattedComment">{body}</div>\n</div>\n</div>\n'
)


def thread_page() -> bytes:
    """One article whose body holds every payload, and a comment per payload."""
    comments = "".join(
        _OLD_COMMENT.format(
            id=FIRST_COMMENT + n,
            title=p.escaped,
            poster=p.escaped,
            body=f"<p>{p.escaped}</p> {WORD} {p.text}{CLOSE}",
        )
        for n, p in enumerate(PAYLOADS)
    )
    body = (
        '<div class="FeatureByline">\nBy <b>Kitchen Sink</b><br>July 3, 2020\n</div>\n'
        + "".join(f"<p>{WORD} {p.text}{CLOSE}</p>\n<p>{p.escaped}</p>\n" for p in PAYLOADS)
        + f'<p><a href="/Articles/{THREAD_ID}/#Comments">Comments ({len(PAYLOADS)} posted)</a></p>'
        + '\n<a name="Comments"></a>\n'
        + comments
    )
    return page_bytes(body, title=f"Every payload at once {WORD}")


def broken_page(payload: Payload) -> bytes:
    """Not an LWN page: its title ends up in the failed import's error message."""
    return f"<html><head><title>{payload.escaped}</title></head><body>x</body></html>".encode()


@dataclass
class HostileSite:
    """What was built, and every URL worth fetching."""

    articles: list[Article]
    entities: list[Entity]
    failed_runs: list[ImportRun]
    pages: list[str] = field(default_factory=list)
    staff_pages: list[str] = field(default_factory=list)
    api: list[str] = field(default_factory=list)
    staff_api: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


def _entities(article: Article) -> list[Entity]:
    release = KernelRelease.objects.get(version=RELEASE)
    made = []
    kinds = [EntityKind.SYSCALL, EntityKind.PERSON, EntityKind.PROJECT, EntityKind.KNOB]
    for n, payload in enumerate(PAYLOADS[:16]):
        entity = EntityFactory.create(
            kind=kinds[n % len(kinds)],
            name=payload.text.strip(),
            description=f"{WORD} {payload.text}",
            aliases=[payload.text],
            introduced_release=release,
        )
        MentionFactory(entity=entity, article=article, sentence=f"{WORD} said {payload.text}")
        made.append(entity)
    return made


def build() -> HostileSite:
    """Import the hostile pages, add hostile entities, link, and index everything."""
    edition_url = f"https://lwn.net/Articles/{EDITION_ID}/bigpage"
    for data, url in (
        (edition_page(), edition_url),
        (thread_page(), f"https://lwn.net/Articles/{THREAD_ID}/"),
    ):
        run = page_import(data=data, source=f"hostile {url}", url=url)
        assert run.outcome == ImportOutcome.OK, run.error
    failed = [
        page_import(data=broken_page(p), source=f"upload {p.text}")
        for p in (PAYLOADS[0], PAYLOADS[5])
    ]
    assert all(run.outcome == ImportOutcome.FAILED for run in failed)
    # Free to read: the paywall is not what these tests are about.
    Article.objects.update(subscriber_only=False)
    entities_relink_all()
    thread = Article.objects.get(lwn_id=THREAD_ID)
    entities = _entities(thread)
    search.index_rebuild()

    site = HostileSite(
        articles=list(Article.objects.order_by("pk")), entities=entities, failed_runs=failed
    )
    _add_urls(site)
    return site


def _name(entity: Entity) -> str:
    return quote(url_name(entity.kind, entity.name), safe="")


def _query(**params: str) -> str:
    return "?" + urlencode(params)


def _add_urls(site: HostileSite) -> None:
    hostile = PAYLOADS[0].text
    queries = [
        hostile,
        WORD,
        f"{WORD} {BY_NAME['img-onerror'].text}",
        f'"{BY_NAME["textarea-breakout"].text}"',
    ]
    site.pages += ["/", "/editions/", "/editions/?year=2020", f"/editions/{EDITION_ID}/"]
    site.pages += [f"/articles/{a.lwn_id}/" for a in site.articles if a.lwn_id]
    site.pages += ["/releases/", f"/releases/{RELEASE}/", "/hardware/"]
    site.pages += [
        "/hardware/" + _query(q=hostile),
        "/hardware/" + _query(category=hostile, release=hostile, sort=hostile),
        "/entities/",
        "/entities/" + _query(q=hostile, kind=hostile, introduced=hostile),
    ]
    site.pages += [entity.get_absolute_url() for entity in site.entities]
    # Author pages: hostile names in headings, chart titles and labels.
    site.pages += ["/authors/"] + [
        "/authors/" + quote(name, safe="") + "/"
        for name in Author.objects.values_list("name", flat=True)
    ]
    site.pages += [SEARCH_PAGE + _query(q=q) for q in queries]
    site.pages += [
        SEARCH_PAGE + _query(q=WORD, type="comment"),
        SEARCH_PAGE + _query(q=WORD, section=hostile, author=hostile, sort=hostile),
        SEARCH_PAGE + _query(q=WORD, page="2"),
    ]
    site.staff_pages += ["/imports/", "/imports/?outcome=failed"]

    api = "/api/v1"
    site.api += [f"{api}/{name}/" for name in ("editions", "articles", "comments", "releases")]
    site.api += [f"{api}/merge-window-items/", f"{api}/hardware/", f"{api}/entities/"]
    site.api += [f"{api}/editions/{EDITION_ID}/", f"{api}/releases/{RELEASE}/"]
    for article in site.articles:
        if article.lwn_id:
            site.api += [f"{api}/articles/{article.lwn_id}/"]
    site.api += [f"{api}/articles/{THREAD_ID}/comments/"]
    site.api += [f"{api}/comments/{FIRST_COMMENT + n}/" for n in range(len(PAYLOADS))]
    site.api += [f"{api}/articles/" + _query(author=hostile, section=hostile)]
    for entity in site.entities:
        site.api.append(f"{api}/entities/{entity.kind}/{_name(entity)}/")
    site.api += [f"{api}/search/" + _query(q=q, page_size="100") for q in queries]
    site.staff_api += [f"{api}/import-runs/"]
    site.staff_api += [f"{api}/import-runs/{run.pk}/" for run in site.failed_runs]

    site.feeds += ["/feeds/articles/", "/feeds/articles/" + _query(author=hostile)]
    site.feeds += ["/feeds/search/" + _query(q=q) for q in queries]
    site.feeds += [
        f"/feeds/entities/{entity.kind}/{_name(entity)}/" for entity in site.entities[:6]
    ]

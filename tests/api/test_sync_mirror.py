"""A tool mirrors the archive through the API: a full walk, then only what changed or went.

The mirror below is what the README's script does: per list, ask for the rows
changed after the last ``updated_at`` it saw, following ``next``; then drop
what the deletions list names. Real imports (fixture pages), curation and
linking make the changes, so the test also proves that their bulk writes
stamp what they change and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Q
from rest_framework.test import APIClient

from articles.models import (
    Article,
    Comment,
    Edition,
    Entity,
    HardwareDevice,
    ImportRun,
    Mention,
    MentionStatus,
    MergeWindowItem,
)
from articles.services.curation import entities_merge, mention_curate
from articles.services.linking import articles_link
from tests.api.conftest import API
from tests.services.conftest import fixture_bytes, import_fixture

pytestmark = pytest.mark.django_db

BIG = "edition-2020-06-11-bigpage.html"
THREAD = "article-2020-capabilities-comments.html"
RESOURCES = ["editions", "articles", "comments", "releases", "merge-window-items", "hardware"]
RESOURCES += ["entities", "mentions", "import-runs"]
KEYS = {"editions": "lwn_id", "articles": "lwn_id", "comments": "lwn_id", "releases": "version"}
EPOCH = "1970-01-01T00:00:00Z"


def _key(resource: str, row: dict[str, Any]) -> str:
    if resource == "entities":
        return f"{row['kind']}:{row['name']}"
    value = row[KEYS.get(resource, "id")]
    # Items without an LWN id have no key; the title stands in for the test's bookkeeping.
    return str(value) if value is not None else f"untitled:{row['title']}"


class Mirror:
    """A local copy kept by ``updated_after`` and the deletions list."""

    def __init__(self, client: APIClient) -> None:
        self.client = client
        self.rows: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self.since: dict[str, str] = defaultdict(lambda: EPOCH)

    def _walk(self, resource: str) -> list[dict[str, Any]]:
        url: str | None = f"{API}/{resource}/?updated_after={self.since[resource]}&page_size=100"
        rows: list[dict[str, Any]] = []
        while url:
            response = self.client.get(url)
            assert response.status_code == 200, response.content
            rows += response.json()["results"]
            url = response.json()["next"]
        return rows

    def sync(self) -> dict[str, set[str]]:
        """Changes since the last sync, by list (deletions under "deleted")."""
        changed: dict[str, set[str]] = {}
        for resource in [*RESOURCES, "deletions"]:
            rows = self._walk(resource)
            if rows:
                stamp = "deleted_at" if resource == "deletions" else "updated_at"
                self.since[resource] = rows[-1][stamp]  # the list is oldest change first
            if resource == "deletions":
                for row in rows:
                    self.rows[row["kind"]].pop(row["key"], None)
                changed["deleted"] = {f"{row['kind']}/{row['key']}" for row in rows}
                continue
            keys = {_key(resource, row) for row in rows}
            assert len(keys) == len(rows), f"{resource} repeated a row"
            self.rows[resource].update((_key(resource, row), row) for row in rows)
            changed[resource] = keys
        return {name: keys for name, keys in changed.items() if keys}


@pytest.fixture
def mirror(staff: User) -> Mirror:
    client = APIClient()
    client.force_login(staff)
    return Mirror(client)


def _link_all() -> None:
    articles_link(article_ids=list(Article.objects.values_list("pk", flat=True)))


def test_it_mirrors_the_archive_then_only_what_changed_and_what_went(mirror: Mirror) -> None:
    first = import_fixture(BIG)
    thread = import_fixture(THREAD)
    assert first.outcome == thread.outcome == "ok"
    _link_all()

    # A full walk sees every row of every list.
    mirror.sync()
    counts = {name: len(rows) for name, rows in mirror.rows.items()}
    assert counts["articles"] == Article.objects.count()
    assert counts["comments"] == Comment.objects.count() > 0
    assert counts["merge-window-items"] == MergeWindowItem.objects.count() > 0
    assert counts["hardware"] == HardwareDevice.objects.count() > 0
    assert counts["mentions"] == Mention.objects.count() > 0
    assert counts["entities"] == Entity.objects.count()
    assert counts["import-runs"] == ImportRun.objects.count() == 2
    assert mirror.sync() == {}

    # Re-parsing and re-linking unchanged pages changes nothing a reader sees (a page that
    # parses to the stored rows writes none, not even the edition's parse time): only
    # the new run.
    again = import_fixture(BIG, force=True)
    _link_all()
    assert mirror.sync() == {"import-runs": {str(again.pk)}}
    edition = str(Edition.objects.get().lwn_id)

    # One retitled article: exactly that article.
    heading = b'<h2 class="SummaryHL"><a href="/Articles/822350/">'
    data = fixture_bytes(BIG).replace(heading, heading + b"Retitled: ", 1)
    retitled = import_fixture(BIG, data=data)
    assert mirror.sync() == {
        "editions": {edition},
        "articles": {"822350"},
        "import-runs": {str(retitled.pk)},
    }
    assert mirror.rows["articles"]["822350"]["title"].startswith("Retitled: ")

    # A curator's decision: that mention…
    mention = Mention.objects.filter(article__isnull=False).order_by("pk").first()
    assert mention is not None
    mention_curate(mentions=[mention], status=MentionStatus.REJECTED, user=mirror_user(mirror))
    # …and its entity, whose mention count drops.
    entity = f"{mention.entity.kind}:{mention.entity.name}"
    assert mirror.sync() == {"mentions": {str(mention.pk)}, "entities": {entity}}
    mention_curate(mentions=[mention], status=MentionStatus.ACCEPTED, user=mirror_user(mirror))
    assert mirror.sync() == {"mentions": {str(mention.pk)}, "entities": {entity}}
    mention_curate(mentions=[mention], status=MentionStatus.PENDING, user=mirror_user(mirror))
    assert mirror.sync() == {"mentions": {str(mention.pk)}}  # counted either way


def test_it_mirrors_an_entity_merge_and_an_article_that_vanished(mirror: Mirror) -> None:
    import_fixture(BIG)
    _link_all()
    article = Article.objects.get(lwn_id=822350)
    source = Entity.objects.create(kind="syscall", name="mirror_old")
    target = Entity.objects.create(kind="syscall", name="mirror_new")
    moved = Mention.objects.create(entity=source, article=article)
    mirror.sync()

    entities_merge(source=source, target=target, user=mirror_user(mirror))
    assert mirror.sync() == {
        "entities": {"syscall:mirror_new"},
        "mentions": {str(moved.pk)},
        "deleted": {"entities/syscall:mirror_old"},
    }
    assert "syscall:mirror_old" not in mirror.rows["entities"]

    # The article leaves the page: it goes, and the rows that were its text with it.
    data = fixture_bytes(BIG)
    start = data.index(b'<h2 class="SummaryHL"><a href="/Articles/822350/">')
    trimmed = data[:start] + data[data.index(b'<p class="Cat1HL"', start) :]
    items = {str(pk) for pk in article.merge_items.values_list("pk", flat=True)}
    texts = list(
        Mention.objects.filter(
            Q(article=article) | Q(merge_item__article=article) | Q(hardware__article=article)
        ).select_related("entity")
    )
    mentions = {str(m.pk) for m in texts}
    assert mentions
    run = import_fixture(BIG, data=trimmed)
    changes = mirror.sync()
    assert changes["import-runs"] == {str(run.pk)}
    assert {"articles/822350", *(f"mentions/{pk}" for pk in mentions)} <= changes["deleted"]
    assert {f"merge-window-items/{pk}" for pk in items} <= changes["deleted"]
    assert "822350" not in mirror.rows["articles"]
    # The entities it mentioned are mentioned once less.
    named = {f"{m.entity.kind}:{m.entity.name}" for m in texts}
    assert changes["entities"] == named
    assert set(changes) <= {"editions", "import-runs", "entities", "deleted"}


def mirror_user(mirror: Mirror) -> User:
    """The staff user the mirror logs in as (curation records who did it)."""
    return User.objects.get(is_staff=True)


def test_it_stamps_only_the_comment_and_item_a_reimport_changes(db: None) -> None:
    import_fixture(THREAD)
    import_fixture(BIG)
    comments = dict(Comment.objects.values_list("pk", "updated_at"))
    items = dict(MergeWindowItem.objects.values_list("pk", "updated_at"))
    thread = fixture_bytes(THREAD).replace(b"At what point does somebody", b"When will somebody", 1)
    assert import_fixture(THREAD, data=thread).outcome == "ok"
    page = fixture_bytes(BIG).replace(
        b"The Arm64 architecture has gained", b"The Arm64 architecture now has", 1
    )
    assert import_fixture(BIG, data=page).outcome == "ok"

    changed = {
        pk for pk, stamp in Comment.objects.values_list("pk", "updated_at") if stamp != comments[pk]
    }
    assert [c.body_text[:20] for c in Comment.objects.filter(pk__in=changed)] == [
        "Every new capability"
    ]
    moved = {
        pk
        for pk, stamp in MergeWindowItem.objects.values_list("pk", "updated_at")
        if stamp != items[pk]
    }
    assert len(moved) == 1
    assert "Arm64 architecture now has" in MergeWindowItem.objects.get(pk__in=moved).text

"""The linking service on the fixture pages: mentions, introductions, idempotence."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import TestCase

from articles.models import (
    Article,
    Entity,
    ImportRun,
    Mention,
    MentionSource,
    MentionStatus,
    MergeWindowItem,
)
from articles.services.followup import import_followups
from articles.services.linking import (
    entities_link_for_import,
    entities_relink_all,
    mention_add_manual,
    mention_curate,
)
from tests.links.conftest import entity, import_and_link, mentions_of
from tests.services.conftest import fixture_bytes, import_fixture

BIGPAGE = "edition-2020-06-11-bigpage.html"
CAPABILITIES = "article-2020-capabilities-comments.html"


def targets(kind: str, name: str) -> set[str]:
    """Where an entity is mentioned: article LWN ids and merge-window groups."""
    found: set[str] = set()
    for mention in mentions_of(kind, name):
        if mention.article is not None:
            found.add(f"article {mention.article.lwn_id}")
        elif mention.merge_item is not None:
            found.add(f"item {mention.merge_item.group}")
        elif mention.comment is not None:
            found.add("comment")
    return found


def test_it_marks_faccessat2_as_introduced_in_5_8_by_the_core_kernel_item(
    linked_bigpage: ImportRun,
) -> None:
    faccessat2 = entity("syscall", "faccessat2")
    assert faccessat2.introduced_release is not None
    assert faccessat2.introduced_release.version == "5.8"
    assert faccessat2.introduced_in is not None
    assert faccessat2.introduced_in.group == "Core kernel"
    assert faccessat2.introduced_in.text.startswith("A new system call, faccessat2()")
    assert targets("syscall", "faccessat2") == {"article 821534", "item Core kernel"}


def test_it_links_the_new_capabilities_to_their_article_and_the_security_item(
    linked_bigpage: ImportRun,
) -> None:
    for name in ("CAP_PERFMON", "CAP_BPF"):
        assert {"article 821729", "item Security-related"} <= targets("capability", name)
        introduced = entity("capability", name).introduced_in
        assert introduced is not None
        assert introduced.group == "Security-related"
    assert entity("capability", "CAP_SYS_ADMIN").introduced_in is None


def test_it_links_clone3_and_openat2_to_the_articles_that_name_them(
    linked_bigpage: ImportRun,
) -> None:
    assert targets("syscall", "clone3") == {"article 822256", "article 821729"}
    assert targets("syscall", "openat2") == {"article 822256"}


def test_it_links_tee_and_io_uring_to_the_io_uring_item(linked_bigpage: ImportRun) -> None:
    item = MergeWindowItem.objects.get(text__startswith="io_uring has gained")
    linked = set(item.mentions.values_list("entity__kind", "entity__name"))
    assert linked == {("syscall", "tee"), ("project", "io_uring")}
    assert entity("syscall", "tee").introduced_in is None


def test_it_finds_the_new_memory_swap_high_knob(linked_bigpage: ImportRun) -> None:
    knob = entity("knob", "memory.swap.high")
    assert knob.introduced_release is not None
    assert knob.introduced_release.version == "5.8"
    mention = Mention.objects.get(entity=knob, merge_item__isnull=False)
    assert mention.sentence.startswith("The memory controller has a new knob, memory.swap.high")


def test_it_links_people_named_in_bylines(linked_bigpage: ImportRun) -> None:
    mention = Mention.objects.get(entity__kind="person", article__lwn_id=821534)
    assert mention.entity.name == "Jonathan Corbet"
    assert mention.sentence == "By Jonathan Corbet"


def test_it_keeps_the_sentence_and_marks_mentions_automatic_and_pending(
    linked_bigpage: ImportRun,
) -> None:
    mention = Mention.objects.get(
        entity__name="CAP_PERFMON", merge_item__text__startswith="A new capability"
    )
    assert mention.sentence.startswith("A new capability, CAP_PERFMON, has been added")
    assert mention.source == MentionSource.AUTOMATIC
    assert mention.status == MentionStatus.PENDING


def test_it_is_idempotent(linked_bigpage: ImportRun) -> None:
    before = sorted(Mention.objects.values_list("pk", "entity_id", "sentence"))
    counts = entities_link_for_import(run=linked_bigpage)
    assert counts["mentions_created"] == counts["mentions_removed"] == 0
    assert counts["mentions_updated"] == 0
    assert sorted(Mention.objects.values_list("pk", "entity_id", "sentence")) == before


def test_it_links_after_each_import_through_the_follow_ups(db: None) -> None:
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        run = import_fixture(BIGPAGE)
    assert len(callbacks) == 1  # the follow-ups are queued once the import commits
    assert not Mention.objects.exists()
    import_followups(run_id=run.pk)
    assert entity("syscall", "faccessat2").introduced_in is not None


def test_it_keeps_a_rejection_through_relink_and_reimport(
    linked_bigpage: ImportRun, curator: User
) -> None:
    rejected = Mention.objects.get(entity__name="tee", merge_item__isnull=False)
    mention_curate(mentions=[rejected], status=MentionStatus.REJECTED, user=curator)
    call_command("lwn_relink", stdout=StringIO(), stderr=StringIO())
    import_and_link(BIGPAGE, force=True)
    entities_relink_all()
    mention = Mention.objects.get(pk=rejected.pk)
    assert mention.status == MentionStatus.REJECTED
    assert mention.curated_by == curator
    assert Mention.objects.filter(entity__name="tee", merge_item__isnull=False).count() == 1


def test_it_clears_an_introduction_the_curator_rejects_and_never_restores_it(
    linked_bigpage: ImportRun, curator: User
) -> None:
    mention = Mention.objects.get(entity__name="faccessat2", merge_item__isnull=False)
    mention_curate(mentions=[mention], status=MentionStatus.REJECTED, user=curator)
    assert entity("syscall", "faccessat2").introduced_in is None
    import_and_link(BIGPAGE, force=True)
    assert entity("syscall", "faccessat2").introduced_in is None


def test_it_removes_stale_automatic_mentions_but_keeps_curated_ones(
    linked_bigpage: ImportRun, curator: User
) -> None:
    setns_item = Mention.objects.get(entity__name="setns", merge_item__isnull=False)
    statx_item = Mention.objects.get(entity__name="statx", merge_item__isnull=False)
    mention_curate(mentions=[statx_item], status=MentionStatus.ACCEPTED, user=curator)
    core = MergeWindowItem.objects.get(text__startswith="A new system call")
    manual = mention_add_manual(
        entity=entity("syscall", "setns"), target=core, sentence="By hand.", user=curator
    )
    edited = fixture_bytes(BIGPAGE).replace(b"<tt>setns()</tt> will", b"The call will")
    edited = edited.replace(b"<tt>statx()</tt>", b"stat-like")
    run = import_fixture(BIGPAGE, data=edited, force=True)
    entities_link_for_import(run=run)
    assert not Mention.objects.filter(pk=setns_item.pk).exists()
    assert Mention.objects.filter(pk=statx_item.pk).exists()  # accepted by a curator
    assert Mention.objects.get(pk=manual.pk).source == MentionSource.CURATED


@pytest.mark.parametrize("dry_run", [True, False])
def test_it_relinks_everything_stored(archive: dict[str, ImportRun], dry_run: bool) -> None:
    Mention.objects.all().delete()
    Entity.objects.all().delete()
    counts = entities_relink_all(dry_run=dry_run)
    assert counts["mentions_created"] > 100
    assert counts["articles"] == Article.objects.count()
    assert Mention.objects.exists() is not dry_run

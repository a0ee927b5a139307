"""Curation services: accept, reject, merge, rename, manual links; who and when."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from articles.models import Article, Entity, ImportRun, Mention, MentionSource, MentionStatus
from articles.services.linking import (
    CurationError,
    articles_link,
    entities_link_for_import,
    entities_merge,
    entity_rename,
    mention_add_manual,
    mention_curate,
)
from tests.factories import ArticleFactory
from tests.links.conftest import entity


def test_it_records_who_accepted_and_when(linked_bigpage: ImportRun, curator: User) -> None:
    mentions = Mention.objects.filter(entity__name="CAP_BPF")
    changed = mention_curate(mentions=mentions, status=MentionStatus.ACCEPTED, user=curator)
    assert changed == mentions.count() > 1
    for mention in mentions:
        assert mention.status == MentionStatus.ACCEPTED
        assert mention.curated_by == curator
        assert mention.curated_at is not None


def test_it_refuses_an_unknown_status(linked_bigpage: ImportRun, curator: User) -> None:
    with pytest.raises(CurationError):
        mention_curate(mentions=Mention.objects.all(), status="maybe", user=curator)


def test_it_merges_entities_and_maps_the_old_name_on_relink(
    linked_bigpage: ImportRun, curator: User
) -> None:
    swappiness = entity("knob", "vm.swappiness")
    high = entity("knob", "memory.swap.high")
    total = swappiness.mentions.count() + high.mentions.count()
    merged = entities_merge(source=high, target=swappiness, user=curator)
    assert not Entity.objects.filter(pk=high.pk).exists()
    assert merged.aliases == ["memory.swap.high"]
    assert merged.curated_by == curator
    assert merged.introduced_release is not None  # taken over from the merged entity
    assert merged.mentions.count() <= total
    entities_link_for_import(run=linked_bigpage)
    assert not Entity.objects.filter(kind="knob", name="memory.swap.high").exists()
    assert Mention.objects.filter(entity=merged, sentence__contains="memory.swap.high").exists()


def test_it_keeps_the_curated_one_of_two_mentions_of_a_text_when_merging(
    linked_bigpage: ImportRun, curator: User
) -> None:
    perfmon = entity("capability", "CAP_PERFMON")
    bpf = entity("capability", "CAP_BPF")
    shared = Mention.objects.get(entity=bpf, merge_item__text__startswith="Some BPF")
    mention_curate(mentions=[shared], status=MentionStatus.REJECTED, user=curator)
    entities_merge(source=bpf, target=perfmon, user=curator)
    kept = Mention.objects.get(entity=perfmon, merge_item=shared.merge_item)
    assert kept.pk == shared.pk
    assert kept.status == MentionStatus.REJECTED


def test_it_refuses_to_merge_across_kinds(linked_bigpage: ImportRun, curator: User) -> None:
    with pytest.raises(CurationError):
        entities_merge(
            source=entity("syscall", "tee"), target=entity("project", "io_uring"), user=curator
        )


def test_it_renames_an_entity_and_keeps_the_old_name_as_an_alias(
    linked_bigpage: ImportRun, curator: User
) -> None:
    renamed = entity_rename(entity=entity("project", "BPF"), name="eBPF", user=curator)
    assert (renamed.name, renamed.aliases, renamed.curated_by) == ("eBPF", ["BPF"], curator)
    counts = entities_link_for_import(run=linked_bigpage)
    assert counts["entities_created"] == 0
    assert not Entity.objects.filter(kind="project", name="BPF").exists()


@pytest.mark.parametrize(("name", "problem"), [("tee", "already called"), ("", "not a valid")])
def test_it_refuses_a_taken_or_invalid_name(
    linked_bigpage: ImportRun, curator: User, name: str, problem: str
) -> None:
    with pytest.raises(CurationError, match=problem):
        entity_rename(entity=entity("syscall", "setns"), name=name, user=curator)


def test_it_adds_a_manual_link_that_relinking_keeps(
    linked_bigpage: ImportRun, curator: User
) -> None:
    article = ArticleFactory.create(body_text="Nothing to find here.")
    mention = mention_add_manual(
        entity=entity("syscall", "tee"), target=article, sentence="About tee.", user=curator
    )
    assert (mention.source, mention.status) == (MentionSource.CURATED, MentionStatus.ACCEPTED)
    assert (mention.curated_by, mention.article) == (curator, article)
    articles_link(article_ids=[article.pk])
    assert Mention.objects.get(pk=mention.pk).sentence == "About tee."


def test_it_takes_over_a_rejected_mention_when_a_curator_adds_it_by_hand(
    linked_bigpage: ImportRun, curator: User
) -> None:
    article = Article.objects.get(lwn_id=822256)
    mention = Mention.objects.get(entity__name="clone3", article=article)
    mention_curate(mentions=[mention], status=MentionStatus.REJECTED, user=curator)
    again = mention_add_manual(entity=mention.entity, target=article, user=curator)
    assert again.pk == mention.pk
    assert again.status == MentionStatus.ACCEPTED
    assert again.sentence == mention.sentence

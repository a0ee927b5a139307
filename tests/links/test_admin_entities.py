"""Curation in admin: review queue, bulk accept/reject, merge, rename, manual links."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from articles.models import Article, Entity, ImportRun, Mention, MentionSource, MentionStatus

pytestmark = pytest.mark.django_db

MENTIONS = reverse("admin:articles_mention_changelist")
ENTITIES = reverse("admin:articles_entity_changelist")


@pytest.fixture
def admin_client(client: Client, staff: User, linked_bigpage: ImportRun) -> Client:
    client.force_login(staff)
    return client


def test_it_opens_the_mention_list_on_the_pending_queue(admin_client: Client) -> None:
    mention = Mention.objects.filter(entity__name="tee").first()
    assert mention is not None
    mention.status = MentionStatus.ACCEPTED
    mention.save()
    response = admin_client.get(MENTIONS)
    shown = {m.pk for m in response.context["cl"].result_list}
    assert mention.pk not in shown
    assert len(shown) == min(Mention.objects.filter(status=MentionStatus.PENDING).count(), 100)
    everything = admin_client.get(MENTIONS + "?status=all").context["cl"].result_count
    assert everything == Mention.objects.count()


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_it_accepts_and_rejects_in_bulk_recording_who_and_when(
    admin_client: Client, staff: User, action: str
) -> None:
    ids = list(Mention.objects.filter(entity__name="CAP_BPF").values_list("pk", flat=True))
    response = admin_client.post(MENTIONS, {"action": action, ACTION_CHECKBOX_NAME: ids})
    assert response.status_code == 302
    status = MentionStatus.ACCEPTED if action == "accept" else MentionStatus.REJECTED
    for mention in Mention.objects.filter(pk__in=ids):
        assert (mention.status, mention.curated_by) == (status, staff)
        assert mention.curated_at is not None


def test_it_merges_entities_after_a_confirmation_page(admin_client: Client, staff: User) -> None:
    keep = Entity.objects.get(name="vm.swappiness")
    fold = Entity.objects.get(name="memory.swap.high")
    data = {"action": "merge", ACTION_CHECKBOX_NAME: [keep.pk, fold.pk]}
    confirm = admin_client.post(ENTITIES, data)
    assert confirm.status_code == 200
    assert b"Keep which entity?" in confirm.content
    response = admin_client.post(ENTITIES, {**data, "apply": "1", "target": keep.pk})
    assert response.status_code == 302
    keep.refresh_from_db()
    assert not Entity.objects.filter(pk=fold.pk).exists()
    assert (keep.aliases, keep.curated_by) == (["memory.swap.high"], staff)


def test_it_refuses_to_merge_entities_of_different_kinds(admin_client: Client) -> None:
    ids = [Entity.objects.get(name="tee").pk, Entity.objects.get(name="io_uring").pk]
    response = admin_client.post(
        ENTITIES, {"action": "merge", ACTION_CHECKBOX_NAME: ids}, follow=True
    )
    assert b"Select two or more entities of the same kind." in response.content
    assert Entity.objects.filter(pk__in=ids).count() == 2


def _entity_form(entity: Entity, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": entity.kind,
        "name": entity.name,
        "description": entity.description,
        "aliases": "[]",
        "introduced_in": entity.introduced_in_id or "",
        "introduced_release": entity.introduced_release_id or "",
    }
    data.update(changes)
    return data


def test_it_renames_an_entity_through_its_change_form(admin_client: Client, staff: User) -> None:
    entity = Entity.objects.get(kind="project", name="BPF")
    url = reverse("admin:articles_entity_change", args=[entity.pk])
    response = admin_client.post(url, _entity_form(entity, name="eBPF"))
    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.name, entity.aliases, entity.curated_by) == ("eBPF", ["BPF"], staff)


def test_it_refuses_a_rename_onto_an_existing_name(admin_client: Client) -> None:
    entity = Entity.objects.get(kind="syscall", name="setns")
    url = reverse("admin:articles_entity_change", args=[entity.pk])
    response = admin_client.post(url, _entity_form(entity, name="TEE()"))
    assert response.status_code == 200
    assert "merge them" in str(response.context["adminform"].form.errors)


def test_it_adds_a_manual_link_as_the_curator(admin_client: Client, staff: User) -> None:
    entity = Entity.objects.get(name="tee")
    article = Article.objects.get(lwn_id=822256)
    response = admin_client.post(
        reverse("admin:articles_mention_add"),
        {"entity": entity.pk, "article": article.pk, "sentence": "splice and tee, really."},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    mention = Mention.objects.get(entity=entity, article=article)
    assert (mention.source, mention.status) == (MentionSource.CURATED, MentionStatus.ACCEPTED)
    assert (mention.curated_by, mention.sentence) == (staff, "splice and tee, really.")


def test_it_requires_exactly_one_text_for_a_manual_link(admin_client: Client) -> None:
    entity = Entity.objects.get(name="tee")
    response = admin_client.post(reverse("admin:articles_mention_add"), {"entity": entity.pk})
    assert response.status_code == 200
    assert "Choose exactly one text" in str(response.context["adminform"].form.errors)


def test_it_records_a_status_change_made_in_the_change_form(
    admin_client: Client, staff: User
) -> None:
    mention = Mention.objects.get(entity__name="faccessat2", merge_item__isnull=False)
    url = reverse("admin:articles_mention_change", args=[mention.pk])
    response = admin_client.post(url, {"sentence": mention.sentence, "status": "rejected"})
    assert response.status_code == 302
    mention.refresh_from_db()
    assert (mention.status, mention.curated_by) == (MentionStatus.REJECTED, staff)
    assert Entity.objects.get(name="faccessat2").introduced_in is None

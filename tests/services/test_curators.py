"""A curator is a staff member in the Curators group; view-only staff cannot curate."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from articles.models import Entity, EntityKind, Mention, MentionStatus
from articles.services.curators import CURATOR_PERMISSIONS, CURATORS, curators_group_ensure
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

MENTIONS = reverse("admin:articles_mention_changelist")


@pytest.fixture
def pending() -> Mention:
    entity = Entity.objects.create(kind=EntityKind.SYSCALL, name="faccessat2")
    article = ArticleFactory.create(body_text="The new faccessat2() system call.")
    return Mention.objects.create(entity=entity, article=article, sentence="faccessat2()")


def _staff(username: str) -> User:
    return User.objects.create_user(username, password="x", is_staff=True)


def test_migrate_creates_the_curators_group_with_admin_and_api_permissions() -> None:
    group = Group.objects.get(name=CURATORS)

    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == set(CURATOR_PERMISSIONS)


def test_it_leaves_a_group_the_operator_changed_as_it_is() -> None:
    group = Group.objects.get(name=CURATORS)
    group.permissions.remove(Permission.objects.get(codename="change_entity"))

    assert curators_group_ensure() is False
    assert not group.permissions.filter(codename="change_entity").exists()


def test_a_staff_member_in_the_group_curates_the_mention_queue(pending: Mention) -> None:
    cora = _staff("cora")
    cora.groups.add(Group.objects.get(name=CURATORS))
    client = Client()
    client.force_login(cora)

    assert client.get(MENTIONS).status_code == 200
    client.post(MENTIONS, {"action": "accept", ACTION_CHECKBOX_NAME: [pending.pk]})

    pending.refresh_from_db()
    assert (pending.status, pending.curated_by) == (MentionStatus.ACCEPTED, cora)
    assert cora.has_perm("articles.curate_content")  # the API's actions too


def test_view_only_staff_see_the_queue_but_cannot_curate_it(pending: Mention) -> None:
    viewer = _staff("vic")
    viewer.user_permissions.add(Permission.objects.get(codename="view_mention"))
    client = Client()
    client.force_login(viewer)

    response = client.get(MENTIONS)
    assert response.status_code == 200
    form = response.context["action_form"]  # None when no action is left to offer
    offered = {name for name, _ in form.fields["action"].choices} if form else set()
    assert not offered & {"accept", "reject"}
    client.post(MENTIONS, {"action": "accept", ACTION_CHECKBOX_NAME: [pending.pk]})

    pending.refresh_from_db()
    assert pending.status == MentionStatus.PENDING

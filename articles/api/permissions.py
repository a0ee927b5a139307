"""Who may do what through the API, and the paywall rule for related rows.

Reading is public. Subscriber-only text (article bodies, their comments, the
merge-window items and hardware lists taken from them) goes only to users with
``articles.view_subscriber_content`` until LWN's free date. Writing needs the
curator permission or staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet
from rest_framework.permissions import BasePermission

from articles.models.articles import SUBSCRIBER_PERMISSION
from articles.selectors.articles import hide_locked as _hide_locked

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from rest_framework.request import Request
    from rest_framework.views import APIView

CURATOR_PERMISSION = "articles.curate_content"
M = TypeVar("M", bound=Model)


def reads_subscriber_content(user: User | AnonymousUser) -> bool:
    """True when ``user`` may read subscriber-only text before its free date."""
    return bool(user.has_perm(SUBSCRIBER_PERMISSION))


def hide_locked(queryset: QuerySet[M], user: User | AnonymousUser, *, via: str) -> QuerySet[M]:
    """Drop rows whose article (reached through ``via``) is still locked for ``user``.

    Rows of a locked article are its text, so they are left out rather than shown
    without a body: there would be nothing left worth showing. The rule is the
    pages' one (``articles.selectors.articles.hide_locked``), so HTML and JSON never disagree.
    """
    return _hide_locked(queryset, user=user, via=via)


class IsCuratorOrStaff(BasePermission):
    """Logged-in (or token-bearing) curators and staff."""

    message = "Curator or staff permission required."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return bool(user.is_staff or user.has_perm(CURATOR_PERMISSION))

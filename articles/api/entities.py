"""``/api/v1/entities/``: browse entities and their mentions (read-only).

The list filters by ``kind``, ``introduced`` (a release such as ``5.8``),
``name`` (a prefix, ``faccessat2()`` allowed), ``article`` and ``comment`` (LWN
ids: the entities named there) and is paginated. One entity
is ``/api/v1/entities/<kind>/<name>/`` (names are case-insensitive; paths drop
their leading slash), with its mentions grouped by the type of text. For
users without ``articles.view_subscriber_content`` a mention in a
subscriber-only text has ``sentence: null`` and ``locked_until`` its free date.
The detail embeds the newest ``TIMELINE_PAGE`` mentions of each type and links
to ``…/<name>/mentions/?type=…``, the whole cursor-paged list.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.entity_serializers import (
    EntityDetailSerializer,
    EntitySerializer,
    MentionSerializer,
)
from articles.api.errors import error_response
from articles.api.links import Links
from articles.api.pagination import CountedCursorPagination
from articles.api.sync import UpdatedAfterFilter
from articles.filters import ChoiceFilter, IdFilter, ReleaseFilter
from articles.links import canonical
from articles.models import Entity, EntityKind
from articles.selectors import entities as selectors
from articles.selectors import entity_lists, entity_mentions, mention_rows
from articles.selectors.article_entities import entities_named_in
from articles.selectors.mention_rows import MENTION_TYPES


def _user(request: Any) -> User | AnonymousUser:
    return request.user if request is not None else AnonymousUser()


class EntityFilter(django_filters.FilterSet):
    kind = ChoiceFilter(choices=EntityKind.choices)
    introduced = ReleaseFilter(method="filter_introduced", label="Introduced in")
    name = django_filters.CharFilter(method="filter_name", label="Name starts with")
    article = IdFilter(
        method="filter_named_in", help_text="Named in this article (LWN id), its items or devices"
    )
    comment = IdFilter(method="filter_named_in", help_text="Named in this comment (LWN id)")

    class Meta:
        model = Entity
        fields = ["kind"]

    def filter_introduced(
        self, queryset: QuerySet[Entity], name: str, value: str
    ) -> QuerySet[Entity]:
        return entity_lists.entities_filter(queryset, user=_user(self.request), introduced=value)

    def filter_name(self, queryset: QuerySet[Entity], name: str, value: str) -> QuerySet[Entity]:
        return entity_lists.entities_filter(queryset, user=_user(self.request), name_prefix=value)

    def filter_named_in(
        self, queryset: QuerySet[Entity], name: str, value: int
    ) -> QuerySet[Entity]:
        return entities_named_in(queryset, user=_user(self.request), **{name: value})


def _moved(request: Request, entity: Entity, name: str, view: str) -> Response | None:
    """301 to the entity's own URL when ``name`` is a former one (renamed or merged)."""
    if (canonical(entity.kind, name) or name).lower() == entity.name.lower():
        return None
    query = request.META.get("QUERY_STRING", "")
    location = Links(request).entity(entity.kind, entity.name, view) + (
        f"?{query}" if query else ""
    )
    return Response(status=301, headers={"Location": location})


class EntityPagination(CountedCursorPagination):
    sort = ("kind", "name", "pk")


class MentionPagination(CountedCursorPagination):
    # ``entity_mentions`` annotates ``sort_when``: undated mentions last.
    sort = ("-sort_when", "-pk")


MENTION_TYPE = OpenApiParameter(
    "type",
    OpenApiTypes.STR,
    enum=list(MENTION_TYPES),
    description="Only mentions in this kind of text",
)
_MENTION_ERROR = error_response("A bad `type` or `cursor`; `errors` names it.")
_NO_ENTITY = error_response("No such entity.")


class EntityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Entity]):
    """Kernel entities named in the archive, and where they are mentioned."""

    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    pagination_class = EntityPagination
    filter_backends = [UpdatedAfterFilter, DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[Entity]:
        if getattr(self, "swagger_fake_view", False):  # the schema: no database to ask
            return Entity.objects.none()
        return entity_lists.entity_list(user=self.request.user)

    @extend_schema(responses={200: EntityDetailSerializer, 404: _NO_ENTITY})
    @action(
        detail=False,
        url_path=r"(?P<kind>[a-z]+)/(?P<name>.+)",
        url_name="detail",
        filter_backends=[],
        pagination_class=None,
    )
    def named(self, request: Request, kind: str, name: str, format: str | None = None) -> Response:
        """One entity by kind and name, with its mentions grouped by type."""
        # ``format`` comes from the router's suffix route (``…/faccessat2.json``); the
        # renderer has already used it.
        entity = self._entity(request, kind, name)
        if (moved := _moved(request, entity, name, "detail")) is not None:
            return moved
        groups, counts = entity_mentions.entity_mentions_grouped(entity=entity, user=request.user)
        context = {
            **self.get_serializer_context(),
            "groups": groups,
            "counts": counts,
            "related": entity_mentions.entity_related(entity=entity, user=request.user),
        }
        return Response(EntityDetailSerializer(entity, context=context).data)

    @extend_schema(
        parameters=[MENTION_TYPE],
        responses={200: MentionSerializer(many=True), 400: _MENTION_ERROR, 404: _NO_ENTITY},
    )
    @action(
        detail=False,
        url_path=r"(?P<kind>[a-z]+)/(?P<name>.+)/mentions",
        url_name="mentions",
        filter_backends=[],
        pagination_class=MentionPagination,
    )
    def mentions(
        self, request: Request, kind: str, name: str, format: str | None = None
    ) -> Response:
        """Every mention of one entity, newest first, by cursor; ``type`` picks the text kind."""
        entity = self._entity(request, kind, name)
        if (moved := _moved(request, entity, name, "mentions")) is not None:
            return moved
        wanted = request.query_params.get("type") or None
        if wanted is not None and wanted not in MENTION_TYPES:
            raise ValidationError({"type": [f"One of {', '.join(MENTION_TYPES)}."]})
        mentions = entity_mentions.entity_mentions(entity=entity, user=request.user, type=wanted)
        page = self.paginate_queryset(mentions)  # type: ignore[arg-type]
        assert page is not None  # the action always pages
        rows = [mention_rows.mention_row(m, entity=entity, user=request.user) for m in page]
        serializer = MentionSerializer(rows, many=True, context=self.get_serializer_context())  # type: ignore[arg-type]
        return self.get_paginated_response(serializer.data)

    def _entity(self, request: Request, kind: str, name: str) -> Entity:
        entity = selectors.entity_get(kind=kind, name=name, user=request.user)
        if entity is None:
            raise Http404("No such entity")
        return selectors.entity_for(entity, request.user)

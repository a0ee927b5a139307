"""``/api/v1/entities/``: browse entities and their mentions (read-only).

The list filters by ``kind``, ``introduced`` (a release such as ``5.8``) and
``name`` (a prefix, ``faccessat2()`` allowed) and is paginated. One entity
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
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from articles.api.pagination import CountedCursorPagination
from articles.api.sync import UpdatedAfterFilter
from articles.filters import ChoiceFilter, ReleaseFilter
from articles.links import canonical, url_name
from articles.models import Entity, EntityKind
from articles.selectors import entities as selectors
from articles.selectors.entities import MENTION_TYPES, MentionRow


def _detail_url(entity: Entity, request: Request | None, view: str = "detail") -> str:
    return reverse(
        f"api:entity-{view}",
        kwargs={"kind": entity.kind, "name": url_name(entity.kind, entity.name)},
        request=request,
    )


def _mentions_url(entity: Entity, request: Request | None, kind: str | None = None) -> str:
    url = _detail_url(entity, request, view="mentions")
    return f"{url}?type={kind}" if kind else url


class EntitySerializer(serializers.ModelSerializer[Entity]):
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    display_name = serializers.CharField(read_only=True)
    introduced = serializers.SerializerMethodField()
    mention_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Entity
        fields = [
            "kind",
            "name",
            "display_name",
            "url",
            "html_url",
            "description",
            "aliases",
            "introduced",
            "mention_count",
            "updated_at",
        ]

    def get_url(self, entity: Entity) -> str:
        return _detail_url(entity, self.context.get("request"))

    def get_html_url(self, entity: Entity) -> str:
        return entity.get_absolute_url()

    def get_introduced(self, entity: Entity) -> str | None:
        """The release that introduced the entity, e.g. ``5.8``."""
        if getattr(entity, "introduction_locked", False) or entity.introduced_release is None:
            return None  # read from a merge-window item still locked for the caller
        return entity.introduced_release.version


class MentionSerializer(serializers.Serializer[MentionRow]):
    """One mention; ``sentence`` is null while the text is subscriber-only for the caller."""

    type = serializers.CharField()
    date = serializers.DateField(source="when", allow_null=True)
    sentence = serializers.CharField(allow_null=True)
    locked_until = serializers.DateField(allow_null=True)
    # "source" is also a Field attribute; DRF takes declared fields out of the class first.
    source = serializers.CharField(source="mention.source")  # type: ignore[assignment]
    status = serializers.CharField(source="mention.status")
    introduces = serializers.BooleanField()
    href = serializers.CharField()
    article = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    def get_article(self, row: MentionRow) -> dict[str, Any]:
        return {"lwn_id": row.article.lwn_id, "title": row.article.title, "url": row.article.url}

    def get_detail(self, row: MentionRow) -> dict[str, Any]:
        """What the text is: the merge-window group, the device, or the comment."""
        mention = row.mention
        if mention.merge_item is not None:
            item = mention.merge_item
            return {"release": item.release.version, "group": item.group, "id": item.pk}
        if mention.hardware is not None:
            device = mention.hardware
            return {"release": device.release.version, "category": device.category}
        if mention.comment is not None:
            comment = mention.comment
            if row.locked:  # the thread of a locked article is subscriber text
                return {"lwn_id": None, "title": None, "poster": None}
            return {"lwn_id": comment.lwn_id, "title": comment.title, "poster": comment.poster_name}
        return {}


class EntityDetailSerializer(EntitySerializer):
    introduced_in = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    mention_counts = serializers.SerializerMethodField()
    mentions_url = serializers.SerializerMethodField()
    mention_urls = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField()
    # The list annotates this; the detail has the counts by type in its context already.
    mention_count = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta(EntitySerializer.Meta):
        fields = [
            *EntitySerializer.Meta.fields,
            "introduced_in",
            "mention_counts",
            "mentions",
            "mentions_url",
            "mention_urls",
            "related",
        ]

    def get_introduced_in(self, entity: Entity) -> dict[str, Any] | None:
        """The merge-window item that announced the entity."""
        item = entity.introduced_in
        if item is None:
            return None
        return {
            "release": item.release.version,
            "group": item.group,
            "id": item.pk,
            "href": selectors.merge_item_href(item),
            "article": {"lwn_id": item.article.lwn_id, "title": item.article.title},
        }

    def get_mentions(self, entity: Entity) -> dict[str, Any]:
        """The newest mentions of each type, at most ``TIMELINE_PAGE``; all in ``mention_urls``."""
        groups = self.context["groups"]
        return {
            kind: MentionSerializer(groups[kind], many=True, context=self.context).data
            for kind in MENTION_TYPES
        }

    def get_mention_counts(self, entity: Entity) -> dict[str, int]:
        return dict(self.context["counts"])

    def get_mention_count(self, entity: Entity) -> int:
        return sum(self.context["counts"].values())

    def get_mentions_url(self, entity: Entity) -> str:
        """Every mention, newest first, cursor-paged."""
        return _mentions_url(entity, self.context.get("request"))

    def get_mention_urls(self, entity: Entity) -> dict[str, str]:
        """For each type, the cursor-paged list of all its mentions."""
        request = self.context.get("request")
        return {kind: _mentions_url(entity, request, kind) for kind in MENTION_TYPES}

    def get_related(self, entity: Entity) -> list[dict[str, str]]:
        request = self.context.get("request")
        return [
            {"kind": other.kind, "name": other.name, "url": _detail_url(other, request)}
            for other in self.context["related"]
        ]


def _user(request: Any) -> User | AnonymousUser:
    return request.user if request is not None else AnonymousUser()


class EntityFilter(django_filters.FilterSet):
    kind = ChoiceFilter(choices=EntityKind.choices)
    introduced = ReleaseFilter(method="filter_introduced", label="Introduced in")
    name = django_filters.CharFilter(method="filter_name", label="Name starts with")

    class Meta:
        model = Entity
        fields = ["kind"]

    def filter_introduced(
        self, queryset: QuerySet[Entity], name: str, value: str
    ) -> QuerySet[Entity]:
        return selectors.entities_filter(queryset, user=_user(self.request), introduced=value)

    def filter_name(self, queryset: QuerySet[Entity], name: str, value: str) -> QuerySet[Entity]:
        return selectors.entities_filter(queryset, user=_user(self.request), name_prefix=value)


def _moved(request: Request, entity: Entity, name: str, view: str) -> Response | None:
    """301 to the entity's own URL when ``name`` is a former one (renamed or merged)."""
    if (canonical(entity.kind, name) or name).lower() == entity.name.lower():
        return None
    query = request.META.get("QUERY_STRING", "")
    location = _detail_url(entity, request, view) + (f"?{query}" if query else "")
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
_MENTION_ERROR = inline_serializer(
    name="MentionListError", fields={"detail": serializers.JSONField()}
)


class EntityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Entity]):
    """Kernel entities named in the archive, and where they are mentioned."""

    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    pagination_class = EntityPagination
    filter_backends = [UpdatedAfterFilter, DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[Entity]:
        return selectors.entity_list(user=self.request.user)

    @extend_schema(responses=EntityDetailSerializer)
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
        groups, counts = selectors.entity_mentions_grouped(entity=entity, user=request.user)
        context = {
            **self.get_serializer_context(),
            "groups": groups,
            "counts": counts,
            "related": selectors.entity_related(entity=entity, user=request.user),
        }
        return Response(EntityDetailSerializer(entity, context=context).data)

    @extend_schema(
        parameters=[MENTION_TYPE],
        responses={200: MentionSerializer(many=True), 400: _MENTION_ERROR, 404: _MENTION_ERROR},
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
        mentions = selectors.entity_mentions(entity=entity, user=request.user, type=wanted)
        page = self.paginate_queryset(mentions)  # type: ignore[arg-type]
        assert page is not None  # the action always pages
        rows = [selectors.mention_row(m, entity=entity, user=request.user) for m in page]
        serializer = MentionSerializer(rows, many=True, context=self.get_serializer_context())  # type: ignore[arg-type]
        return self.get_paginated_response(serializer.data)

    def _entity(self, request: Request, kind: str, name: str) -> Entity:
        entity = selectors.entity_get(kind=kind, name=name, user=request.user)
        if entity is None:
            raise Http404("No such entity")
        return selectors.entity_for(entity, request.user)

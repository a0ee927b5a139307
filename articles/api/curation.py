"""Mention curation over HTTP: list (the review queue), accept, reject, add.

Curators and staff only, reading included: the list is the curation queue
(``?status=pending``), with every mention's id, which the entity pages do not give.

The same services as admin's curation (``articles.services.curation``), so the
same rules hold: each change records who made it and when (``curated_by``,
``curated_at``, shown in the answer), rejected mentions stay rejected through
re-imports and ``lwn_relink``, and a mention added by hand takes over an
existing one of the same pair.
"""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.base import BrowseViewSet
from articles.api.errors import error_response
from articles.api.links import links_for
from articles.api.permissions import IsCuratorOrStaff
from articles.filters import IdFilter
from articles.links import canonical
from articles.models import (
    Article,
    Comment,
    Entity,
    EntityKind,
    HardwareDevice,
    Mention,
    MentionSource,
    MentionStatus,
    MergeWindowItem,
)
from articles.services.curation import MentionTarget, mention_add_manual, mention_curate

# Body field → (model, the column the API's own URLs identify it by).
TARGETS: dict[str, tuple[type[MentionTarget], str]] = {
    "article": (Article, "lwn_id"),
    "comment": (Comment, "lwn_id"),
    "merge_item": (MergeWindowItem, "pk"),
    "hardware": (HardwareDevice, "pk"),
}

# The texts' own columns, which no answer about a mention uses.
TEXT_COLUMNS = (
    "article__body_html",
    "article__body_text",
    "comment__body_html",
    "comment__body_text",
    "merge_item__html",
    "merge_item__text",
)


class MentionEntitySerializer(serializers.Serializer[Entity]):
    kind = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The entity in the API")
    html_url = serializers.SerializerMethodField(help_text="The entity's page")

    def get_url(self, entity: Entity) -> str:
        return links_for(self.context).entity(entity.kind, entity.name)

    def get_html_url(self, entity: Entity) -> str:
        return links_for(self.context).entity_page(entity.kind, entity.name)


class MentionTargetSerializer(serializers.Serializer[dict[str, Any]]):
    type = serializers.ChoiceField(choices=list(TARGETS))
    id = serializers.IntegerField(help_text="The id its endpoint takes")
    url = serializers.URLField(help_text="The text in the API")


class CuratedMentionSerializer(serializers.ModelSerializer[Mention]):
    url = serializers.SerializerMethodField(help_text="This mention in the API")
    # A mention has no page of its own: its entity and its text have theirs.
    html_url = serializers.SerializerMethodField(help_text="Always null")
    entity = MentionEntitySerializer(read_only=True)
    target = serializers.SerializerMethodField()
    curated_by = serializers.CharField(source="curated_by.username", allow_null=True)

    class Meta:
        model = Mention
        fields = ["id", "url", "html_url", "entity", "target", "sentence", "source", "status"]
        fields += ["updated_at", "curated_by", "curated_at", "created_at"]
        read_only_fields = fields

    def get_url(self, mention: Mention) -> str:
        return links_for(self.context).api("mention-detail", "pk", mention.pk)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_html_url(self, mention: Mention) -> None:
        return None

    @extend_schema_field(MentionTargetSerializer)
    def get_target(self, mention: Mention) -> dict[str, Any]:
        links = links_for(self.context)
        for field, (_model, key) in TARGETS.items():
            row = getattr(mention, field)
            if row is not None:
                value = getattr(row, key)
                url = {
                    "article": links.article,
                    "comment": links.comment,
                    "merge_item": links.merge_item,
                    "hardware": links.device,
                }[field](value)
                return {"type": field, "id": value, "url": url}
        raise AssertionError("a mention has exactly one target")  # a check constraint


class MentionAddSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=EntityKind.choices, help_text="The entity's kind")
    name = serializers.CharField(max_length=200, help_text="The entity's name")
    article = serializers.IntegerField(required=False, min_value=1, help_text="LWN id")
    comment = serializers.IntegerField(required=False, min_value=1, help_text="LWN id")
    merge_item = serializers.IntegerField(required=False, min_value=1, help_text="Item id")
    hardware = serializers.IntegerField(required=False, min_value=1, help_text="Device id")
    sentence = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [field for field in TARGETS if field in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(
                "Give exactly one of " + ", ".join(TARGETS) + " (the text that names the entity)."
            )
        name = canonical(attrs["kind"], attrs["name"]) or attrs["name"]
        entity = Entity.objects.filter(kind=attrs["kind"], name__iexact=name).first()
        if entity is None:
            raise serializers.ValidationError({"name": f"No {attrs['kind']} is called {name}."})
        model, key = TARGETS[given[0]]
        target = model._default_manager.filter(**{key: attrs[given[0]]}).first()
        if target is None:
            raise serializers.ValidationError({given[0]: f"No such {given[0].replace('_', ' ')}."})
        return {"entity": entity, "target": target, "sentence": attrs.get("sentence", "")}


class MentionFilter(df.FilterSet):
    status = df.ChoiceFilter(choices=MentionStatus.choices)
    source = df.ChoiceFilter(choices=MentionSource.choices)
    kind = df.ChoiceFilter(field_name="entity__kind", choices=EntityKind.choices)
    name = df.CharFilter(
        field_name="entity__name", lookup_expr="iexact", help_text="The entity's name"
    )
    article = IdFilter(field_name="article__lwn_id", help_text="LWN id of the article")

    class Meta:
        model = Mention
        fields: list[str] = []


ERRORS = {
    401: error_response("No credentials"),
    403: error_response("Neither curator nor staff"),
}


@extend_schema_view(
    list=extend_schema(summary="Mentions to curate, newest first (curators and staff)"),
    retrieve=extend_schema(summary="One mention (curators and staff)"),
)
class MentionViewSet(BrowseViewSet[Mention]):
    """Curate mentions: the list is the queue, ``POST mentions/`` adds one, ``accept/`` and
    ``reject/`` decide."""

    serializer_class = CuratedMentionSerializer
    permission_classes = [IsAuthenticated, IsCuratorOrStaff]
    filterset_class = MentionFilter
    ordering_map = {"id": "pk", "created_at": "created_at"}
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Mention]:
        # A mention shows its text's id, never the text, whose bodies a page read for
        # nothing (18.5 -> 17.3 ms for a page of 101 at full size).
        return Mention.objects.select_related(
            "entity", "article", "comment", "merge_item", "hardware", "curated_by"
        ).defer(*TEXT_COLUMNS)

    def _answer(self, mention: Mention, code: int = status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=mention.pk)
        body = CuratedMentionSerializer(row, context=self.get_serializer_context()).data
        return Response(body, code)

    @extend_schema(
        summary="Link an entity to a text by hand (accepted, recorded as yours)",
        request=MentionAddSerializer,
        responses={
            201: CuratedMentionSerializer,
            400: error_response("A bad body"),
            **ERRORS,
        },
        examples=[
            OpenApiExample(
                "A system call in an article",
                value={"kind": "syscall", "name": "faccessat2", "article": 822335},
                request_only=True,
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = MentionAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mention = mention_add_manual(user=request.user, **body.validated_data)
        return self._answer(mention, status.HTTP_201_CREATED)

    def _decide(self, decision: str) -> Response:
        mention = self.get_object()
        mention_curate(mentions=[mention], status=decision, user=self.request.user)
        return self._answer(mention)

    @extend_schema(
        summary="Accept a mention (recorded as yours)",
        request=None,
        responses={
            200: CuratedMentionSerializer,
            404: error_response("No such mention"),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._decide(MentionStatus.ACCEPTED)

    @extend_schema(
        summary="Reject a mention: re-imports keep it rejected (recorded as yours)",
        request=None,
        responses={
            200: CuratedMentionSerializer,
            404: error_response("No such mention"),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._decide(MentionStatus.REJECTED)
